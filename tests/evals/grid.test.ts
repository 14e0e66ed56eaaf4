import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gridPoints, type Leaderboard, leaderboardSchema, parseGrid, runExperiment } from '../../evals/experiment.ts';
import { runEval } from '../../evals/run.ts';
import { type RunFile, readRunFile } from '../../evals/run-file.ts';
import { builtGridWorker } from '../../scripts/cli/build-cli.mjs';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { embeddingModelId } from '../../starter/embeddings/index.ts';
import { projectPaths } from '../../starter/paths.ts';
import { createFixtureProject } from './fixture-project.ts';

/**
 * What legitimately differs between a grid point's run file and the same config run alone: when it ran, and
 * latency, which in a grid times the stage caches (and says so in operational.latencySource). File names
 * differ too (another folder and timestamp); they are not part of the run file.
 */
const EXCLUDED = ['startedAt', 'finishedAt', 'operational.latencyMsP50', 'operational.latencyMsP95', 'operational.latencySource', 'records[].latencyMs'] as const;

function comparable(run: RunFile): unknown {
  const { startedAt: _s, finishedAt: _f, operational, records, ...rest } = run;
  const { latencyMsP50: _p50, latencyMsP95: _p95, latencySource: _src, ...ops } = operational;
  return { ...rest, operational: ops, records: records.map(({ latencyMs: _l, ...r }) => r) };
}

let root: string;
let project: ProjectConfig;
const axes = parseGrid(['retriever=bm25,hybrid', 'k=1,2', 'alpha=0.3,0.7']);
let board: Leaderboard;

beforeAll(async () => {
  ({ root } = await createFixtureProject());
  project = await loadProjectConfig(root);
  board = await runExperiment(project, axes, { split: 'all' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('experiment grids with shared stages', () => {
  test(`every grid point's run file equals running its config alone with runEval (except ${EXCLUDED.join(', ')})`, async () => {
    const points = gridPoints(project, axes);
    const files = [board.baseline.runFile, ...board.rows.map((r) => r.runFile)];
    expect(files).toHaveLength(points.length);
    const byHash = new Map(await Promise.all(files.map(async (f) => [(await readRunFile(f)).configHash, await readRunFile(f)] as const)));
    for (const point of points) {
      const grid = byHash.get(point.project.configHash);
      expect(grid?.operational.latencySource).toBe('stage-cache');
      const { run: alone } = await runEval(point.project, { split: 'all', label: point.label, runsDir: join(root, 'alone') });
      expect(alone.operational.latencySource).toBeUndefined();
      expect(alone.records.length).toBeGreaterThan(0);
      expect(comparable(grid as RunFile)).toEqual(comparable(alone));
    }
  });

  test('computes each stage once per distinct input and keeps question vectors on disk', async () => {
    const stages = board.stages;
    expect(stages?.configs).toBe(8);
    expect(stages?.indexes).toBe(1);
    // bm25 ignores alpha and depth makes k=1 and k=2 retrieve the same list: far fewer retrievals than asks.
    expect(stages?.retrieval.hits).toBeGreaterThan(stages?.retrieval.misses ?? Infinity);
    expect(stages?.answers.hits).toBeGreaterThan(0);
    // Every ask is scored or reuses a score of an identical (retrieved list, answer, contexts).
    expect((stages?.scores.hits ?? 0) + (stages?.scores.misses ?? 0)).toBe(8 * 4);
    expect(stages?.scores.hits).toBeGreaterThan(0);
    expect(stages?.queries.misses).toBe(4);
    expect(leaderboardSchema.safeParse(board).success).toBe(true);

    const again = await runExperiment(project, parseGrid(['retriever=hybrid', 'k=2']), { split: 'all' });
    expect(again.stages?.queries).toEqual({ hits: 4, misses: 0 });
  });

  test('computed on two worker threads, the stages, every run file and the comparisons are those of the single-thread grid', async () => {
    // Without the question vectors the first grid kept, so the threads embed them too.
    await rm(projectPaths(project).embeddingCache(`${embeddingModelId(project.config.embeddings)}-queries`));
    const threaded = await runExperiment(project, axes, { split: 'all', threads: 2 });
    expect(threaded.stages?.queries).toEqual(board.stages?.queries);
    const runs = async (b: Leaderboard) =>
      new Map(await Promise.all([b.baseline.runFile, ...b.rows.map((r) => r.runFile)].map(async (f) => [(await readRunFile(f)).configHash, await readRunFile(f)] as const)));
    const [single, onThreads] = [await runs(board), await runs(threaded)];
    expect(onThreads.size).toBe(8);
    for (const [hash, run] of onThreads) expect(comparable(run)).toEqual(comparable(single.get(hash) as RunFile));
    for (const stage of ['retrieval', 'answers', 'scores'] as const) expect(threaded.stages?.[stage]).toEqual(board.stages?.[stage]);
    // The paired comparisons, made on the threads too, are the main thread's.
    const comparisons = (b: Leaderboard) => new Map(b.rows.map((r) => [r.label, r.comparison]));
    expect(comparisons(threaded)).toEqual(comparisons(board));
  });

  test('threads started from the CLI build, as `ragfolio experiment` starts them, give the same run files and comparisons', async () => {
    // The test setup built the CLI from these sources (tests/global-setup.ts), so the build is fresh.
    const gridWorker = await builtGridWorker(resolve(import.meta.dirname, '../..'));
    expect(gridWorker).toMatch(/grid-worker\.js$/);
    const built = await runExperiment(project, axes, { split: 'all', threads: 2, gridWorker });
    expect(built.stages?.threads).toBe(2);
    const runs = async (b: Leaderboard) =>
      new Map(await Promise.all([b.baseline.runFile, ...b.rows.map((r) => r.runFile)].map(async (f) => [(await readRunFile(f)).configHash, comparable(await readRunFile(f))] as const)));
    expect(await runs(built)).toEqual(await runs(board));
    const comparisons = (b: Leaderboard) => new Map(b.rows.map((r) => [r.label, r.comparison]));
    expect(comparisons(built)).toEqual(comparisons(board));
  });

  test('points that differ only in what picks from the ranked runs (minScore, secondSource) share their ranking and still equal runEval alone', async () => {
    const pickers = parseGrid(['minScore=0,1', 'secondSource=0,0.7']);
    const picked = await runExperiment(project, pickers, { split: 'all' });
    const files = [picked.baseline.runFile, ...picked.rows.map((r) => r.runFile)];
    const byHash = new Map(await Promise.all(files.map(async (f) => [(await readRunFile(f)).configHash, await readRunFile(f)] as const)));
    const answered = new Set<string>();
    for (const point of gridPoints(project, pickers)) {
      const grid = byHash.get(point.project.configHash) as RunFile;
      const { run: alone } = await runEval(point.project, { split: 'all', label: point.label, runsDir: join(root, 'alone-pickers') });
      expect(comparable(grid)).toEqual(comparable(alone));
      answered.add(alone.records.map((r) => r.abstained).join());
    }
    // The thresholds are far apart: the points do not all answer alike, so a shared ranking had something to differ on.
    expect(answered.size).toBeGreaterThan(1);
  });

  test('the leaderboard compares every other configuration with the first one of the grid', () => {
    expect(board.baseline.label).toMatch(/^retriever=bm25 k=1 alpha=0\.3 \(first in the grid\)$/);
    expect(board.rows).toHaveLength(7);
    for (const row of board.rows) {
      expect(row.comparison.candidateLabel).not.toBe(row.comparison.baselineLabel);
      expect(row.comparison.baselineLabel).toBe('exp01-bm25-1-0.3');
    }
  });
});
