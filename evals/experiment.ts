import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Config, configSchema, type ProjectConfig } from '../starter/config.ts';
import { UserError } from '../starter/errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../starter/fs-atomic.ts';
import { stableHash } from '../starter/hash.ts';
import { ingest } from '../starter/ingest.ts';
import { describeZodError } from '../starter/jsonl.ts';
import { projectPaths } from '../starter/paths.ts';
import { compareRuns, comparisonSchema, type GatedComparison } from './compare.ts';
import { loadEvalset, type Split, selectItems } from './evalset.ts';
import { sharedAggregates } from './grid/aggregates.ts';
import { prefetchStages } from './grid/prefetch.ts';
import { GridStages } from './grid/stages.ts';
import { GridThreads, gridThreads } from './grid/threads.ts';
import { renderLeaderboard } from './report/leaderboard.ts';
import { gitCommit, runEval } from './run.ts';
import { aggregateSchema, type RunFile, runTimestamp } from './run-file.ts';

type Setter = (config: Config, value: string) => unknown;

const num = (key: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UserError(`--grid ${key}=${value}: "${value}" is not a number.`);
  return n;
};

/** Extractive-answerer settings leave a chat-model config unchanged. */
const extractive = (c: Config, fields: Record<string, unknown>): unknown => (c.generator.provider === 'extractive' ? { ...c, generator: { ...c.generator, ...fields } } : c);

/** Grid keys a user can sweep, each writing one config field. Values are validated by the config schema afterwards. */
const SETTERS: Record<string, Setter> = {
  chunkSize: (c, v) => ({ ...c, chunk: { mode: 'split', size: num('chunkSize', v), overlap: Math.round(num('chunkSize', v) / 8) } }),
  k: (c, v) => ({ ...c, retriever: { ...c.retriever, k: num('k', v) } }),
  retriever: (c, v) => ({ ...c, retriever: { ...c.retriever, kind: v } }),
  candidates: (c, v) => ({ ...c, retriever: { ...c.retriever, candidates: num('candidates', v) } }),
  rrfK: (c, v) => ({ ...c, retriever: { ...c.retriever, fusion: { ...c.retriever.fusion, rrfK: num('rrfK', v) } } }),
  denseWeight: (c, v) => ({ ...c, retriever: { ...c.retriever, fusion: { ...c.retriever.fusion, denseWeight: num('denseWeight', v) } } }),
  bm25Weight: (c, v) => ({ ...c, retriever: { ...c.retriever, fusion: { ...c.retriever.fusion, bm25Weight: num('bm25Weight', v) } } }),
  fusion: (c, v) => ({ ...c, retriever: { ...c.retriever, fusion: { ...c.retriever.fusion, method: v } } }),
  alpha: (c, v) => ({ ...c, retriever: { ...c.retriever, fusion: { ...c.retriever.fusion, alpha: num('alpha', v) } } }),
  normalization: (c, v) => ({ ...c, retriever: { ...c.retriever, fusion: { ...c.retriever.fusion, normalization: v } } }),
  k1: (c, v) => ({ ...c, retriever: { ...c.retriever, bm25: { ...c.retriever.bm25, k1: num('k1', v) } } }),
  b: (c, v) => ({ ...c, retriever: { ...c.retriever, bm25: { ...c.retriever.bm25, b: num('b', v) } } }),
  minScore: (c, v) => extractive(c, { minScore: num('minScore', v) }),
  maxSentences: (c, v) => extractive(c, { maxSentences: num('maxSentences', v) }),
  sectionWindow: (c, v) => extractive(c, { sectionWindow: num('sectionWindow', v) }),
  unit: (c, v) => extractive(c, { unit: v }),
  secondSource: (c, v) => extractive(c, { secondSource: num('secondSource', v) }),
  contextWeight: (c, v) => extractive(c, { contextWeight: num('contextWeight', v) }),
  cuePenalty: (c, v) => extractive(c, { cuePenalty: num('cuePenalty', v) }),
  semanticWeight: (c, v) => extractive(c, { semanticWeight: num('semanticWeight', v) }),
  relatedWeight: (c, v) => extractive(c, { relatedWeight: num('relatedWeight', v) }),
  retrievalWeight: (c, v) => extractive(c, { retrievalWeight: num('retrievalWeight', v) }),
};

export interface GridAxis {
  key: string;
  values: string[];
}

/** Parse `key=v1,v2` arguments into axes, rejecting unknown keys and empty value lists. */
export function parseGrid(specs: readonly string[]): GridAxis[] {
  if (specs.length === 0) throw new UserError('--grid needs at least one key=values pair, e.g. --grid k=3,5,10 retriever=dense,bm25,hybrid');
  return specs.map((spec) => {
    const [key, list] = spec.split('=', 2);
    if (!key || list === undefined || !(key in SETTERS)) {
      throw new UserError(`--grid "${spec}": expected key=v1,v2 with key one of ${Object.keys(SETTERS).join(', ')}.`);
    }
    const values = list
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (values.length === 0) throw new UserError(`--grid "${spec}": give at least one value.`);
    return { key, values };
  });
}

export type Combo = Record<string, string>;

export function expandGrid(axes: readonly GridAxis[]): Combo[] {
  return axes.reduce<Combo[]>((combos, { key, values }) => combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))), [{}]);
}

/** The project's config with one grid point's values set; a value the config does not allow is the --grid's fault, not the file's. */
export function applyCombo(config: Config, combo: Combo): Config {
  const next = Object.entries(combo).reduce<unknown>((c, [key, value]) => (SETTERS[key] as Setter)(c as Config, value), config);
  const parsed = configSchema.safeParse(next);
  if (!parsed.success) throw new UserError(`--grid ${comboLabel(combo)}: ${describeZodError(parsed.error)}. Give --grid values the config allows.`);
  return parsed.data;
}

export function comboLabel(combo: Combo): string {
  return Object.entries(combo)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

const countSchema = z.strictObject({ hits: z.number().int(), misses: z.number().int() });

export const leaderboardRowSchema = z.strictObject({
  label: z.string(),
  combo: z.record(z.string(), z.string()),
  configHash: z.string(),
  runFile: z.string(),
  aggregates: z.record(z.string(), aggregateSchema),
  /** Against the reference (the grid's first configuration), on the same questions. */
  comparison: comparisonSchema,
});
export type LeaderboardRow = z.infer<typeof leaderboardRowSchema>;

/** leaderboard.json, written by `experiment` and read back by the write-up and the site. */
export const leaderboardSchema = z.strictObject({
  createdAt: z.string(),
  split: z.string(),
  sortBy: z.string(),
  /** The reference every row is compared with: the grid's first configuration (the project's own configuration in leaderboards before grids cached stages). */
  baseline: z.strictObject({ label: z.string(), configHash: z.string(), runFile: z.string(), aggregates: z.record(z.string(), aggregateSchema) }),
  rows: z.array(leaderboardRowSchema),
  files: z.strictObject({ markdown: z.string(), json: z.string() }),
  /** Retrieval metrics are scored on this many passages whatever a configuration's `k` (absent in older leaderboards). */
  retrievalDepth: z.number().int().optional(),
  /** What the stage caches saved (absent in older leaderboards). */
  stages: z
    .strictObject({
      queries: countSchema,
      retrieval: countSchema,
      answers: countSchema,
      scores: countSchema,
      /** `scores` is absent in leaderboards written before scoring was timed. */
      floorMs: z.strictObject({ queries: z.number(), retrieval: z.number(), answers: z.number(), scores: z.number().optional() }),
      configs: z.number().int(),
      indexes: z.number().int(),
      /** Threads the stages, CIs and comparisons were computed on (1: the main thread; absent in older leaderboards). */
      threads: z.number().int().optional(),
    })
    .optional(),
});
export type Leaderboard = z.infer<typeof leaderboardSchema>;

/** Where a grid is: building an index, embedding the questions, or evaluating grid point `config` of `configs`. */
export interface GridProgress {
  stage: 'index' | 'queries' | 'prefetch' | 'eval';
  /** 1-based grid point (the first one for the index and question stages). */
  config: number;
  configs: number;
  label: string;
  done: number;
  total: number;
}

export interface ExperimentOptions {
  split?: Split | 'all';
  sortBy?: string;
  onProgress?: (progress: GridProgress) => void;
  /** Threads to compute the stages on (1: the main thread, with the embedder's own); by default evals/grid/threads.ts's gridThreads. */
  threads?: number;
  /** The grid threads' entry, e.g. the CLI build's grid worker (scripts/cli/build-cli.mjs); by default evals/grid/worker.mjs through tsx. */
  gridWorker?: string;
}

export interface GridPoint {
  label: string;
  combo: Combo;
  project: ProjectConfig;
}

export function gridPoints(project: ProjectConfig, axes: readonly GridAxis[]): GridPoint[] {
  return expandGrid(axes).map((combo, i) => {
    const config = applyCombo(project.config, combo);
    return { label: `exp${String(i + 1).padStart(2, '0')}-${Object.values(combo).join('-')}`, combo, project: { root: project.root, config, configHash: stableHash(config) } };
  });
}

/**
 * Run every configuration of the grid on one split (dev by default) and rank them against the first one.
 * Each stage runs once per distinct input (evals/grid/stages.ts): one ingest per index, each question
 * embedded once per model (and kept on disk), retrieval once per retriever setting, answers once per
 * (generator, contexts). Every grid point still gets the run file `runEval` would write for it alone.
 */
export async function runExperiment(project: ProjectConfig, axes: readonly GridAxis[], options: ExperimentOptions = {}): Promise<Leaderboard> {
  const split = options.split ?? 'dev';
  const { eval: e } = project.config;
  const sortBy = options.sortBy ?? e.gate.metrics[0] ?? 'hit@5';
  const createdAt = new Date();
  const dir = join(projectPaths(project).runs, 'experiments', runTimestamp(createdAt));
  const runsDir = join(dir, 'runs');
  const points = gridPoints(project, axes);
  const configs = points.length;
  const progress = (stage: GridProgress['stage'], i: number, done: number, total: number) => options.onProgress?.({ stage, config: i + 1, configs, label: points[i]?.label ?? '', done, total });

  // Grid points that share an index (same store, embeddings and chunking) build or check it once.
  const indexes = new Map(points.map((pt, i) => [stableHash({ store: pt.project.config.store, embeddings: pt.project.config.embeddings, chunk: pt.project.config.chunk }), i]));
  for (const i of indexes.values()) {
    progress('index', i, 0, 1);
    await ingest((points[i] as GridPoint).project);
  }

  // Every configuration's stages first, question-major (evals/grid/prefetch.ts), on worker threads where the
  // grid allows (evals/grid/threads.ts); the evaluations below then read every stage from the caches.
  const stages = new GridStages();
  const projects = points.map((pt) => pt.project);
  const first = (points[0] as GridPoint).project;
  // Threads start before the main thread loads its index, so they load theirs meanwhile; the eval set's line
  // count stands in for the number of questions, which needs the corpus to check.
  const lines = (await readFile(projectPaths(first).evalset, 'utf8').catch(() => '')).split('\n').filter((l) => l.trim()).length;
  const threads = options.threads ?? gridThreads(projects, lines);
  const pool = threads > 1 ? GridThreads.start(projects, threads, options.gridWorker) : undefined;
  try {
    const questions = selectItems(await loadEvalset(projectPaths(first).evalset, new Set((await stages.corpus(first)).byId.keys())), split).map((item) => item.question);
    const grid = { split, sortBy, createdAt, dir, runsDir, indexes: indexes.size, threads, pool, progress };
    if (!pool) {
      await prefetchStages(stages, projects, questions, (stage, done, total) => progress(stage, 0, done, total));
      return await evaluateGrid(project, points, stages, grid);
    }
    // The main thread evaluates (scores) each question as soon as the threads' stages for it are in.
    const prefetching = pool.prefetch(stages, first, questions, (done, total) => progress('prefetch', 0, done, total));
    const [, board] = await Promise.all([prefetching, evaluateGrid(project, points, stages, grid)]);
    return board;
  } finally {
    await pool?.close();
  }
}

/** Each grid point's run file from the stage caches, the paired comparisons with the first one, and the leaderboard. */
async function evaluateGrid(
  project: ProjectConfig,
  points: readonly GridPoint[],
  stages: GridStages,
  o: {
    split: Split | 'all';
    sortBy: string;
    createdAt: Date;
    dir: string;
    runsDir: string;
    indexes: number;
    threads: number;
    pool?: GridThreads;
    progress: (stage: GridProgress['stage'], i: number, done: number, total: number) => void;
  },
): Promise<Leaderboard> {
  const { split, sortBy, createdAt, dir, runsDir, progress } = o;
  const { eval: e } = project.config;
  const configs = points.length;
  const aggregate = sharedAggregates(o.pool ? (records, options) => (o.pool as GridThreads).aggregate(records, options) : undefined);
  const commit = gitCommit(project.root);
  const evaluate = async (point: GridPoint, i: number) => {
    const { run, file } = await runEval(point.project, {
      split,
      label: point.label,
      runsDir,
      pipeline: await stages.pipeline(point.project),
      latencySource: 'stage-cache',
      aggregate,
      commit,
      score: await stages.scorer(point.project),
      // An extractive grid point is answered in seconds from the stage caches: checkpoints would cost more than a rerun.
      checkpoint: point.project.config.generator.provider !== 'extractive',
      onProgress: (done, total) => progress('eval', i, done, total),
    });
    return { point, run, file };
  };
  // With threads, every run at once: the main thread scores while the threads bootstrap the CIs of runs scored before.
  const runs: { point: GridPoint; run: RunFile; file: string }[] = [];
  if (o.pool) runs.push(...(await Promise.all(points.map(evaluate))));
  else for (const [i, point] of points.entries()) runs.push(await evaluate(point, i));
  await stages.save();

  const [reference, ...others] = runs;
  if (!reference) throw new UserError('--grid: the grid has no configurations.');
  const options = { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed };
  const comparisons = await Promise.all(others.map(({ run }) => (o.pool ? o.pool.compare(reference.run, run, options) : compareRuns(reference.run, run, options))));
  const rows: LeaderboardRow[] = others.map(({ point, run, file }, i) => ({
    label: comboLabel(point.combo),
    combo: point.combo,
    configHash: point.project.configHash,
    runFile: file,
    aggregates: run.aggregates,
    comparison: comparisons[i] as GatedComparison,
  }));
  rows.sort((a, b) => (b.aggregates[sortBy]?.mean ?? -Infinity) - (a.aggregates[sortBy]?.mean ?? -Infinity));

  const files = { markdown: join(dir, 'leaderboard.md'), json: join(dir, 'leaderboard.json') };
  const board: Leaderboard = {
    createdAt: createdAt.toISOString(),
    split,
    sortBy,
    baseline: { label: `${comboLabel(reference.point.combo)} (first in the grid)`, configHash: reference.point.project.configHash, runFile: reference.file, aggregates: reference.run.aggregates },
    rows,
    files,
    retrievalDepth: Math.max(...e.ks),
    stages: { ...stages.stats, configs, indexes: o.indexes, threads: o.pool ? o.threads : 1 },
  };
  await writeJsonAtomic(files.json, board);
  await writeFileAtomic(files.markdown, renderLeaderboard(board, e.compare));
  return board;
}

/** The newest leaderboard under runs/experiments, if any. */
export async function latestLeaderboard(runsDir: string): Promise<{ file: string; board: Leaderboard } | undefined> {
  const dir = join(runsDir, 'experiments');
  if (!existsSync(dir)) return undefined;
  for (const stamp of (await readdir(dir)).sort().reverse()) {
    const file = join(dir, stamp, 'leaderboard.json');
    if (!existsSync(file)) continue;
    const parsed = leaderboardSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    if (!parsed.success) throw new UserError(`${file}: ${describeZodError(parsed.error)}. Re-run the experiment to rewrite it.`);
    return { file, board: parsed.data };
  }
  return undefined;
}
