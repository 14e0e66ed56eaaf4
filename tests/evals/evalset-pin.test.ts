import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { evalsetLock, evalsetLockSchema, findEvalsetProblems, testSplitHash } from '../../evals/evalset.ts';

const datasets = fileURLToPath(new URL('../../datasets/', import.meta.url));
// Every bundled eval set with a pin (sotu, the docs sets); a project on its own data has none until it runs
// `ragfolio evalset pin`.
const pinned = readdirSync(datasets).filter((name) => existsSync(join(datasets, name, 'evalset.lock.json')));

describe.skipIf(pinned.length === 0).each(pinned)('datasets/%s: the eval set matches its pinned test split', (name) => {
  const items = findEvalsetProblems(readFileSync(join(datasets, name, 'evalset.jsonl'), 'utf8'), new Set()).items;
  const lock = evalsetLockSchema.parse(JSON.parse(readFileSync(join(datasets, name, 'evalset.lock.json'), 'utf8')));

  test('a changed test question needs a version bump and a new pin (`ragfolio evalset pin`)', () => {
    const now = evalsetLock(items);
    expect(now.version, 'the items carry another version than the lock: run `ragfolio evalset pin`').toBe(lock.version);
    expect(now.test, 'the test split changed without a version bump: revert it, or bump "version" and re-pin').toEqual(lock.test);
  });
});

describe('testSplitHash', () => {
  const item = (id: string, split: 'dev' | 'test', question = 'q?') => ({ id, question, answers: ['a'], gold: ['p'], type: 'factoid' as const, split });
  test('ignores dev items and line order, and sees any change to a test item', () => {
    const base = [item('a', 'test'), item('b', 'dev'), item('c', 'test')];
    const hash = testSplitHash(base);
    expect(testSplitHash([base[2]!, base[0]!])).toBe(hash);
    expect(testSplitHash([...base, item('d', 'dev')])).toBe(hash);
    expect(testSplitHash([item('a', 'test', 'changed?'), base[1]!, base[2]!])).not.toBe(hash);
    expect(testSplitHash([item('a', 'dev'), base[1]!, base[2]!])).not.toBe(hash);
  });
  test('a file mixing versions is refused', () => {
    expect(() =>
      evalsetLock([
        { ...item('a', 'test'), version: 1 },
        { ...item('b', 'test'), version: 2 },
      ]),
    ).toThrow(/mixes versions/);
  });
});
