import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ImportedDataset } from '../../scripts/new/datasets/types.ts';
import { packageImports, relativeImports } from '../../scripts/new/imports.ts';
import { collectKitFiles, KIT_ROOT, type KitFiles } from '../../scripts/new/kit.ts';
import { isTestSource, KIT_ONLY, PROMPTFOO_FILES, SOTU_DEPENDENT_TESTS } from '../../scripts/new/manifest.ts';
import type { ScaffoldOptions } from '../../scripts/new/options.ts';
import { planScaffold } from '../../scripts/new/plan.ts';

// Keeps the lists in scripts/new/manifest.ts honest as the kit grows. The e2e test (generate, install,
// npm test) is the final word; these checks catch most mistakes in a second.
let kit: KitFiles;
beforeAll(async () => {
  kit = await collectKitFiles(undefined, { withUntracked: true });
});

const read = (path: string) => readFile(join(KIT_ROOT, path), 'utf8');
const isKitOnly = (p: string) => KIT_ONLY.some((k) => (k.endsWith('/') ? p.startsWith(k) : p === k));
// Tests a project gets (kit-only ones, such as tests/new/, never reach one).
const kitTests = () => kit.files.filter((p) => p.startsWith('tests/') && !isKitOnly(p) && /\.[cm]?[jt]s$/.test(p));

/**
 * Tests reviewed as independent of the bundled data: config.test.ts only names its default path;
 * command.test.ts serves a copy of whatever dataset the project has and asks it nothing; review.test.ts reviews
 * the project's reference run (synthetic without the bundled baseline) over whatever eval set it has.
 */
const REVIEWED_NOT_DEPENDENT = ['tests/starter/config.test.ts', 'tests/server/command.test.ts', 'tests/server/review.test.ts'];

test('every test that reads the bundled dataset is listed in SOTU_DEPENDENT_TESTS, and every listed file exists', async () => {
  for (const listed of SOTU_DEPENDENT_TESTS) expect(kit.files, listed).toContain(listed);
  const unlisted: string[] = [];
  for (const path of kitTests().filter((p) => !REVIEWED_NOT_DEPENDENT.includes(p) && !p.startsWith('tests/docs/'))) {
    const text = await read(path);
    // Mentioning the path in a fixture string is fine; reading it from disk or running the CLI on it is not.
    const mentions = /datasets\/sotu|'datasets',\s*'sotu'/.test(text);
    const doesIo = /from 'node:fs|from 'node:child_process'|loadCorpus\(|loadEvalset\(|loadProjectConfig\(/.test(text);
    // The project's own config and index hold whatever dataset the project has: the bundled one only in the kit.
    const usesProjectData = path.endsWith('.test.ts') && /await loadKit\(|loadProjectConfig\((repoRoot|ROOT|REPO_ROOT)\)/.test(text);
    if (((mentions && doesIo) || usesProjectData) && !(SOTU_DEPENDENT_TESTS as readonly string[]).includes(path)) unlisted.push(path);
  }
  expect(unlisted, 'add these to SOTU_DEPENDENT_TESTS in scripts/new/manifest.ts (or, if they only mention the path, to REVIEWED_NOT_DEPENDENT here)').toEqual([]);
});

test('every promptfoo path exists', () => {
  for (const path of PROMPTFOO_FILES)
    expect(
      kit.files.some((f) => (path.endsWith('/') ? f.startsWith(path) : f === path)),
      path,
    ).toBe(true);
});

const folder: ImportedDataset = { kind: 'folder', name: 'notes', source: 'notes', files: [{ path: 'corpus.jsonl', content: '\n' }], passages: 1, documents: 1, questions: 0, notes: [] };
const variants: [string, ScaffoldOptions][] = [
  ['defaults', { name: 'my-rag', author: '', provider: 'local', retriever: 'hybrid', promptfoo: true, dataset: { kind: 'bundled', name: 'sotu' } }],
  ['--no-promptfoo and an imported dataset', { name: 'my-rag', author: '', provider: 'openai', retriever: 'bm25', promptfoo: false, dataset: folder }],
];

describe.each(variants)('a project planned with %s', (_, options) => {
  test('imports only files it has and packages its package.json lists (so tsc and vitest find every module)', async () => {
    const ops = planScaffold(options, kit);
    const planned = new Set(ops.map((op) => op.to));
    const pkgOp = ops.find((op) => op.to === 'package.json');
    const pkg = JSON.parse(pkgOp?.op === 'write' ? pkgOp.content : '{}') as { dependencies?: object; devDependencies?: object };
    const installed = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
    const missing: string[] = [];
    for (const op of ops.filter((o) => /\.([cm]?[jt]s)$/.test(o.to))) {
      const text = op.op === 'write' ? op.content : await read(op.from);
      for (const target of relativeImports(text, op.to)) if (!planned.has(target)) missing.push(`${op.to} → ${target}`);
      // Packages a listed dependency brings along (vitest/config via vitest, tsx's API) count as installed.
      for (const name of packageImports(text)) if (!installed.has(name) && !['vite', 'tsx'].includes(name)) missing.push(`${op.to} → package ${name}`);
    }
    expect(missing).toEqual([]);
  });
});

test('a test is left out only when it imports something the project lacks (today: tests importing bench/)', async () => {
  const ops = planScaffold(variants[0]?.[1] as ScaffoldOptions, kit);
  const planned = new Set(ops.map((op) => op.to));
  const left = kit.files.filter((p) => isTestSource(p) && !isKitOnly(p) && !(SOTU_DEPENDENT_TESTS as readonly string[]).includes(p) && !planned.has(p));
  for (const path of left) {
    const text = await read(path);
    const unavailable = relativeImports(text, path).filter((p) => !planned.has(p));
    expect(unavailable.length, `${path} was left out without a missing import`).toBeGreaterThan(0);
  }
  // No source file is ever left out this way: the project's own code must be whole.
  expect(left.every((p) => isTestSource(p))).toBe(true);
});
