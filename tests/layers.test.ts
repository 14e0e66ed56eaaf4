import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './helpers/cli.ts';

/**
 * Layers point down: starter (app) ← evals (harness) ← scripts (CLI) ← bench. The app never imports the
 * harness (a command injects what it needs), and tests copied into generated projects never import bench/.
 */
function tsFiles(dir: string): string[] {
  // A generated project has no bench/ (it is kit-only): nothing there to check.
  if (!existsSync(join(REPO_ROOT, dir))) return [];
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
    .map((e) => relative(REPO_ROOT, join(e.parentPath, e.name)));
}

/** Repo-relative paths of the files a module imports (static, type-only and dynamic imports alike). */
function importsOf(file: string): string[] {
  const source = readFileSync(join(REPO_ROOT, file), 'utf8');
  const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '');
  return specifiers.map((s) => relative(REPO_ROOT, resolve(REPO_ROOT, dirname(file), s)));
}

const rules: [string, (file: string) => boolean, RegExp][] = [
  ['starter', () => true, /^(evals|scripts|bench)\//],
  ['evals', () => true, /^(scripts|bench)\//],
  ['tests', (file) => !file.startsWith('tests/bench/'), /^bench\//],
  // The scaffolder is kit-only: code that generated projects or the bench need lives in evals/ or starter/.
  ['bench', () => true, /^scripts\/new\//],
];

describe('layers point down', () => {
  test.each(rules)('%s imports nothing above it', (dir, applies, forbidden) => {
    const offending = tsFiles(dir)
      .filter(applies)
      .flatMap((file) => importsOf(file).flatMap((target) => (forbidden.test(target) ? [`${file} → ${target}`] : [])));
    expect(offending).toEqual([]);
  });

  test('the import reader sees static, type-only and dynamic imports', () => {
    const imports = importsOf('starter/index/vector-store.ts');
    expect(imports).toContain('starter/config.ts');
    expect(imports).toContain('starter/index/vector-store-pgvector.ts');
  });
});
