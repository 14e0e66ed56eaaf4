import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONFIG_FILE, configSchema, dataDir, datasetDir, findProjectRoot, loadProjectConfig, parseConfig } from '../../starter/config.ts';
import { isUserError, type UserError } from '../../starter/errors.ts';
import { stableHash } from '../../starter/hash.ts';

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-config-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

async function projectWith(content: string | undefined): Promise<string> {
  const dir = join(root, `p${n++}`);
  await mkdir(dir, { recursive: true });
  if (content !== undefined) await writeFile(join(dir, CONFIG_FILE), content);
  return dir;
}

function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(isUserError(error), `expected a UserError, got ${String(error)}`).toBe(true);
    return error as UserError;
  }
  throw new Error('expected a UserError, but nothing was thrown');
}

describe('parseConfig', () => {
  test('an empty config gets every default', () => {
    const config = parseConfig({}, CONFIG_FILE);
    expect(config).toEqual({
      dataset: 'datasets/sotu',
      dataDir: '.ragfolio',
      chunk: { mode: 'passage' },
      embeddings: { provider: 'local', model: 'use-lite', workers: 2 },
      // The dev split's choices (evals/tuning/README.md); configs/naive.json keeps the first version's.
      retriever: { kind: 'hybrid', k: 5, candidates: 100, fusion: { method: 'convex', rrfK: 60, denseWeight: 1, bm25Weight: 1, alpha: 0.3, normalization: 'zscore' }, bm25: { k1: 0.9, b: 0.4 } },
      generator: {
        provider: 'extractive',
        unit: 'window',
        maxSentences: 2,
        secondSource: 0.7,
        minScore: 0.51,
        confidence: 'support',
        contextWeight: 0.5,
        cuePenalty: 0.2,
        semanticWeight: 0.65,
        relatedWeight: 1,
        retrievalWeight: 0.2,
        sectionWindow: 3,
      },
      planner: { enabled: true, partMinConfidence: 0.4 },
      eval: expect.objectContaining({
        split: 'dev',
        ks: [1, 3, 5, 10],
        resamples: 10_000,
        seed: 42,
        alpha: 0.05,
        gate: { metrics: ['hit@5', 'ndcg@10', 'contains'], margin: 0.05, power: 0.8, strict: false },
      }),
    });
  });

  test('a partial section keeps its other defaults; provider-specific defaults follow the provider', () => {
    const config = parseConfig({ retriever: { k: 10, fusion: { rrfK: 10 } }, generator: { provider: 'openai' }, embeddings: { provider: 'openai' } }, CONFIG_FILE);
    expect(config.retriever).toEqual({
      kind: 'hybrid',
      k: 10,
      candidates: 100,
      fusion: { method: 'convex', rrfK: 10, denseWeight: 1, bm25Weight: 1, alpha: 0.3, normalization: 'zscore' },
      bm25: { k1: 0.9, b: 0.4 },
    });
    expect(config.generator).toEqual({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0, timeoutMs: 30_000, maxRetries: 3 });
    expect(config.embeddings).toEqual({ provider: 'openai', model: 'text-embedding-3-small' });
    expect(parseConfig({ chunk: { mode: 'split', size: 400, overlap: 50 } }, CONFIG_FILE).chunk).toEqual({ mode: 'split', size: 400, overlap: 50 });
  });

  test('the defaults pass their own schema (what `ragfolio new` writes is valid)', () => {
    const defaults = parseConfig({}, CONFIG_FILE);
    expect(configSchema.parse(JSON.parse(JSON.stringify(defaults)))).toEqual(defaults);
  });

  test.each([
    [{ bogus: 1 }, /bogus/],
    [{ retriever: { kk: 5 } }, /retriever.*kk/],
    [{ retriever: { fusion: { rrfk: 60 } } }, /retriever\.fusion.*rrfk/],
    [{ eval: { gate: { metric: ['hit@5'] } } }, /eval\.gate.*metric/],
  ])('an unknown field (%j) is a UserError naming the file and the field', (json, field) => {
    const error = userErrorOf(() => parseConfig(json, '/p/ragfolio.config.json'));
    expect(error.message).toMatch(/^\/p\/ragfolio\.config\.json: /);
    expect(error.message).toMatch(field);
    expect(error.message).toMatch(/Unrecognized key/);
  });

  test.each([
    [{ retriever: { k: 'five' } }, 'retriever.k'],
    [{ retriever: { k: 0 } }, 'retriever.k'],
    [{ retriever: { k: 2.5 } }, 'retriever.k'],
    [{ retriever: { kind: 'sparse' } }, 'retriever.kind'],
    [{ chunk: { mode: 'split', size: 10, overlap: 0 } }, 'chunk.size'],
    [{ chunk: { mode: 'sentences' } }, 'chunk.mode'],
    [{ embeddings: { provider: 'local', workers: 99 } }, 'embeddings.workers'],
    [{ generator: { provider: 'extractive', minScore: 2 } }, 'generator.minScore'],
    [{ generator: { provider: 'openai', timeoutMs: -1 } }, 'generator.timeoutMs'],
    [{ dataset: 42 }, 'dataset'],
    [{ eval: { ks: [] } }, 'eval.ks'],
  ])('a wrong type or value (%j) is a UserError naming the file and %s', (json, field) => {
    const error = userErrorOf(() => parseConfig(json, 'ragfolio.config.json'));
    expect(error.message.startsWith(`ragfolio.config.json: ${field}: `)).toBe(true);
    expect(error.message).toContain('Fix the field or delete it to use the default.');
    expect(error.message).not.toContain('\n');
  });
});

describe('loadProjectConfig', () => {
  test('no config file: all defaults, paths resolved against the project, not the cwd', async () => {
    const dir = await projectWith(undefined);
    const project = await loadProjectConfig(dir);
    expect(project.root).toBe(resolve(dir));
    expect(project.config).toEqual(parseConfig({}, CONFIG_FILE));
    expect(datasetDir(project)).toBe(join(dir, 'datasets', 'sotu'));
    expect(dataDir(project)).toBe(join(dir, '.ragfolio'));
    expect(project.configHash).toBe(stableHash(project.config));
  });

  test('the hash ignores key order and changes with any value', async () => {
    const a = await loadProjectConfig(await projectWith('{"dataset":"data","retriever":{"k":3,"kind":"bm25"}}'));
    const b = await loadProjectConfig(await projectWith('{"retriever":{"kind":"bm25","k":3},"dataset":"data"}'));
    const c = await loadProjectConfig(await projectWith('{"retriever":{"kind":"bm25","k":4},"dataset":"data"}'));
    expect(a.configHash).toBe(b.configHash);
    expect(a.configHash).not.toBe(c.configHash);
  });

  test('malformed JSON is a UserError naming the file, line and column', async () => {
    const dir = await projectWith('{"dataset": "data",\n  "retriever": {');
    const error = await loadProjectConfig(dir).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`^${join(dir, CONFIG_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:17: not valid JSON \\(Expected property name or '}'\\)`));
  });

  test('an invalid field in the file is a UserError naming the file path and the field', async () => {
    const dir = await projectWith('{"retriever": {"k": "five"}}');
    const error = await loadProjectConfig(dir).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain(`${join(dir, CONFIG_FILE)}: retriever.k: `);
  });

  test('overrides are validated too', async () => {
    const dir = await projectWith('{}');
    const ok = await loadProjectConfig(dir, (c) => ({ ...c, retriever: { ...c.retriever, k: 7 } }));
    expect(ok.config.retriever.k).toBe(7);
    const error = await loadProjectConfig(dir, (c) => ({ ...c, retriever: { ...c.retriever, k: 0 } })).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/retriever\.k/);
  });
});

describe('findProjectRoot', () => {
  test('walks up to the folder holding ragfolio.config.json', async () => {
    const dir = await projectWith('{}');
    const deep = join(dir, 'a', 'b');
    await mkdir(deep, { recursive: true });
    expect(findProjectRoot(deep)).toBe(resolve(dir));
    expect(findProjectRoot(dir)).toBe(resolve(dir));
  });
});

describe('configs/naive.json, the named baseline', () => {
  test("is a valid config holding the first version's choices (equal-weight RRF, lexical sentences, no cues)", async () => {
    const kit = resolve(import.meta.dirname, '../..');
    const { config } = await loadProjectConfig(kit, undefined, join(kit, 'configs', 'naive.json'));
    expect(config.retriever.fusion).toMatchObject({ method: 'rrf', rrfK: 60, denseWeight: 1, bm25Weight: 1 });
    expect(config.generator).toMatchObject({
      provider: 'extractive',
      unit: 'sentences',
      contextWeight: 0,
      cuePenalty: 0,
      semanticWeight: 0,
      relatedWeight: 0,
      retrievalWeight: 0,
      sectionWindow: 1,
      minScore: 0.5,
    });
  });
  test("--config lays the file over the project config: sections it names replace the project's, the rest stay", async () => {
    const dir = await projectWith(JSON.stringify({ dataset: 'datasets/mine', retriever: { kind: 'bm25', k: 7 } }));
    await writeFile(join(dir, 'over.json'), JSON.stringify({ retriever: { kind: 'dense' } }));
    const { config } = await loadProjectConfig(dir, undefined, join(dir, 'over.json'));
    expect(config.dataset).toBe('datasets/mine');
    expect(config.retriever).toMatchObject({ kind: 'dense', k: 5 });
  });
  test('--config with a missing file is a UserError naming it', async () => {
    const error = await loadProjectConfig(root, undefined, join(root, 'nope.json')).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/nope\.json: config file not found/);
  });
});
