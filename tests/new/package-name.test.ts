import { describe, expect, test } from 'vitest';
import { npmNameProblems, suggestNpmName } from '../../scripts/new/package-name.ts';

describe('npm package names (npm rules for new packages)', () => {
  test.each(['my-rag', 'rag', 'a', 'my.rag', 'my_rag', 'rag-2024', '@me/my-rag', '@scope-1/x.y', 'x'.repeat(214)])('accepts %s', (name) => {
    expect(npmNameProblems(name)).toEqual([]);
  });

  test.each([
    ['', 'empty'],
    ['My-Rag', 'lowercase'],
    ['.rag', 'period'],
    ['_rag', 'underscore'],
    [' rag', 'spaces'],
    ['my rag', 'URL-safe'],
    ['rag/x', 'URL-safe'],
    ['@scope/', 'URL-safe'],
    ['@scope/_x', 'after the scope'],
    ['x'.repeat(215), '214'],
    ['node_modules', 'reserved'],
    ['fs', 'built-in'],
    ["rag's", "~'!()*"],
    ['ragé', 'URL-safe'],
  ])('rejects %j (%s)', (name, why) => {
    const problems = npmNameProblems(name);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join(' ')).toContain(why);
  });

  test('suggests a valid name from a folder name', () => {
    expect(suggestNpmName('My RAG Project')).toBe('my-rag-project');
    expect(suggestNpmName('_Notes!')).toBe('notes');
    expect(suggestNpmName('***')).toBe('my-rag');
  });
});
