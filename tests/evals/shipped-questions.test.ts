import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseGrid, runExperiment } from '../../evals/experiment.ts';
import { operationalLine } from '../../evals/report/table.ts';
import { runEval } from '../../evals/run.ts';
import { type RunFile, readRunFile } from '../../evals/run-file.ts';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { QueryCache } from '../../starter/embeddings/query-cache.ts';
import { shippedEmbeddingFiles, writeShippedEmbeddings } from '../../starter/embeddings/shipped.ts';
import { questionQueries, shippedQuestionVectors, withShippedQuestions } from '../../starter/embeddings/shipped-questions.ts';
import { USE_LITE_MODEL_ID, UseLiteEmbeddings } from '../../starter/embeddings/use-lite.ts';
import { sha256 } from '../../starter/hash.ts';
import { ingest } from '../../starter/ingest.ts';
import { countingEmbedder } from '../helpers/counting-embedder.ts';
import { createFixtureProject, fixtureEvalset } from './fixture-project.ts';

describe('questionQueries: what a question embeds', () => {
  test('the trimmed question, and the planner’s parts of a comparison', () => {
    expect(questionQueries('  Who won?  ')).toEqual(['Who won?']);
    expect(questionQueries('   ')).toEqual([]);
    const parts = questionQueries('What did Bush and Clinton say about taxes?');
    expect(parts).toEqual(['What did Bush and Clinton say about taxes?', 'What did Bush say about taxes?', 'What did Clinton say about taxes?']);
  });
});

let root: string;
let project: ProjectConfig;
const asked = fixtureEvalset.filter((item) => item.status !== 'draft').map((item) => item.question);
/** The fixture's questions but the one edited since the vectors were built. */
const edited = 'How long was the harbor closed by the storm?';

beforeAll(async () => {
  ({ root } = await createFixtureProject());
  project = await loadProjectConfig(root);
  await ingest(project);
  // Built as scripts/build-embeddings.ts builds them: each text alone through embedQuery.
  const model = new UseLiteEmbeddings({ workers: 1 });
  const texts = asked.filter((q) => q !== edited).flatMap(questionQueries);
  const rows = await Promise.all(texts.map(async (t) => [sha256(t), await model.embedQuery(t)] as const));
  await writeShippedEmbeddings(join(root, 'data'), USE_LITE_MODEL_ID, rows, 'questions');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A run file without what legitimately differs between two runs of one config: times and latency's source. */
function comparable(run: RunFile): unknown {
  const { startedAt: _s, finishedAt: _f, operational, records, ...rest } = run;
  const { latencyMsP50: _p50, latencyMsP95: _p95, questionVectors: _q, ...ops } = operational;
  return { ...rest, operational: ops, records: records.map(({ latencyMs: _l, questionVector: _v, ...r }) => r) };
}

describe('shipped question vectors', () => {
  test('a hit is read, not embedded; an edited question misses and is embedded', async () => {
    const shipped = await shippedQuestionVectors(project, USE_LITE_MODEL_ID);
    expect(shipped?.vectors.size).toBe(asked.length - 1);
    const model = countingEmbedder();
    const served = withShippedQuestions(model, shipped);
    expect(await served.embedQuery(asked[0] as string)).toHaveLength(512);
    expect(await served.embedQuery(edited)).toEqual([edited.length, 0.5, -1]);
    expect(model.queries).toEqual([edited]);
    // A grid's query cache is seeded with them the same way.
    const cache = await QueryCache.open(join(root, 'queries.json'), USE_LITE_MODEL_ID, { seed: shipped });
    const grid = countingEmbedder();
    expect(await cache.fill(asked, grid)).toEqual({ hits: asked.length - 1, misses: 1 });
    expect(grid.queries).toEqual([edited]);
  });

  test('eval reads them, records where each question’s vectors came from, and answers as if it had embedded them', async () => {
    const { run } = await runEval(project, { split: 'all', label: 'shipped' });
    expect(run.records.map((r) => [r.question, r.questionVector])).toEqual(asked.map((q) => [q, q === edited ? 'embedded' : 'shipped']));
    expect(run.operational.questionVectors).toEqual({ shipped: asked.length - 1, embedded: 1 });
    // What `eval` prints beside its latency.
    expect(operationalLine(run)).toContain(`(${asked.length - 1} of ${asked.length} questions' vectors shipped with the dataset: no embedding in their latency)`);
    const saved = await readRunFile(join(root, 'runs', (await readdir(join(root, 'runs'))).find((f) => f.endsWith('-shipped.json')) ?? ''));
    expect(saved.records.map((r) => r.questionVector)).toEqual(run.records.map((r) => r.questionVector));

    process.env.RAGFOLIO_SHIPPED_EMBEDDINGS = '0';
    try {
      const { run: embedded } = await runEval(project, { split: 'all', label: 'shipped', runsDir: join(root, 'embedded') });
      expect(embedded.records.every((r) => r.questionVector === 'embedded')).toBe(true);
      expect(comparable(run)).toEqual(comparable(embedded));
    } finally {
      delete process.env.RAGFOLIO_SHIPPED_EMBEDDINGS;
    }
  });

  test('a grid seeds its query cache with them: only the edited question is embedded, and its records say what eval’s say', async () => {
    const board = await runExperiment(project, parseGrid(['k=1,2']), { split: 'all' });
    expect(board.stages?.queries).toEqual({ hits: asked.length - 1, misses: 1 });
    const { records } = await readRunFile(board.baseline.runFile);
    expect(records.map((r) => r.questionVector)).toEqual(asked.map((q) => (q === edited ? 'embedded' : 'shipped')));
  });

  test('stale vectors (a file that does not match its index) are ignored: every question is embedded', async () => {
    const { vectors } = shippedEmbeddingFiles(join(root, 'data'), USE_LITE_MODEL_ID, 'questions');
    const bytes = await readFile(vectors);
    await writeFile(vectors, bytes.subarray(0, bytes.byteLength - 4));
    try {
      expect(await shippedQuestionVectors(project, USE_LITE_MODEL_ID)).toBeUndefined();
      const { run } = await runEval(project, { split: 'all', label: 'stale' });
      expect(run.operational.questionVectors).toEqual({ shipped: 0, embedded: asked.length });
    } finally {
      await writeFile(vectors, bytes);
    }
  });
});
