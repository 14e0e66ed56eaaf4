import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Config, type ProjectConfig, parseConfig } from '../starter/config.ts';
import { UserError } from '../starter/errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../starter/fs-atomic.ts';
import { stableHash } from '../starter/hash.ts';
import { ingest } from '../starter/ingest.ts';
import { describeZodError } from '../starter/jsonl.ts';
import { projectPaths } from '../starter/paths.ts';
import { type Comparison, compareRuns } from './compare.ts';
import type { Split } from './evalset.ts';
import { fmt, fmtCi, markdownTable, type Table } from './report/table.ts';
import { runEval } from './run.ts';
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
  unit: (c, v) => extractive(c, { unit: v }),
  secondSource: (c, v) => extractive(c, { secondSource: num('secondSource', v) }),
  contextWeight: (c, v) => extractive(c, { contextWeight: num('contextWeight', v) }),
  cuePenalty: (c, v) => extractive(c, { cuePenalty: num('cuePenalty', v) }),
  semanticWeight: (c, v) => extractive(c, { semanticWeight: num('semanticWeight', v) }),
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

export function applyCombo(config: Config, combo: Combo, file: string): Config {
  const next = Object.entries(combo).reduce<unknown>((c, [key, value]) => (SETTERS[key] as Setter)(c as Config, value), config);
  return parseConfig(next, `${file} (with --grid ${comboLabel(combo)})`);
}

export function comboLabel(combo: Combo): string {
  return Object.entries(combo)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

export interface LeaderboardRow {
  label: string;
  combo: Combo;
  configHash: string;
  runFile: string;
  aggregates: RunFile['aggregates'];
  /** Against the baseline configuration, on the same questions. */
  comparison: Comparison;
}

export interface Leaderboard {
  createdAt: string;
  split: string;
  sortBy: string;
  baseline: { label: string; configHash: string; runFile: string; aggregates: RunFile['aggregates'] };
  rows: LeaderboardRow[];
  files: { markdown: string; json: string };
}

export interface ExperimentOptions {
  split?: Split | 'all';
  sortBy?: string;
  onStep?: (message: string) => void;
}

/**
 * Run every configuration of the grid on one split (dev by default), next to the project's own
 * configuration as the baseline, and rank them. The embedding cache is shared, so only text a
 * chunking has not produced before is embedded.
 */
export async function runExperiment(project: ProjectConfig, axes: readonly GridAxis[], options: ExperimentOptions = {}): Promise<Leaderboard> {
  const split = options.split ?? 'dev';
  const { eval: e } = project.config;
  const sortBy = options.sortBy ?? e.gate.metrics[0] ?? 'hit@5';
  const createdAt = new Date();
  const dir = join(projectPaths(project).runs, 'experiments', runTimestamp(createdAt));
  const runsDir = join(dir, 'runs');
  const combos = expandGrid(axes);

  const evaluate = async (p: ProjectConfig, label: string) => {
    options.onStep?.(`${label}: indexing`);
    await ingest(p);
    options.onStep?.(`${label}: evaluating`);
    return runEval(p, { split, label, runsDir });
  };

  const base = await evaluate(project, 'baseline');
  const rows: LeaderboardRow[] = [];
  for (const [i, combo] of combos.entries()) {
    const config = applyCombo(project.config, combo, 'ragfolio.config.json');
    const p: ProjectConfig = { root: project.root, config, configHash: stableHash(config) };
    const label = `exp${String(i + 1).padStart(2, '0')}-${Object.values(combo).join('-')}`;
    const { run, file } = await evaluate(p, label);
    const comparison = compareRuns(base.run, run, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
    rows.push({ label: comboLabel(combo), combo, configHash: p.configHash, runFile: file, aggregates: run.aggregates, comparison });
  }
  rows.sort((a, b) => (b.aggregates[sortBy]?.mean ?? -Infinity) - (a.aggregates[sortBy]?.mean ?? -Infinity));

  const files = { markdown: join(dir, 'leaderboard.md'), json: join(dir, 'leaderboard.json') };
  const board: Leaderboard = {
    createdAt: createdAt.toISOString(),
    split,
    sortBy,
    baseline: { label: 'baseline (ragfolio.config.json)', configHash: project.configHash, runFile: base.file, aggregates: base.run.aggregates },
    rows,
    files,
  };
  await writeJsonAtomic(files.json, board);
  await writeFileAtomic(files.markdown, renderLeaderboard(board, e.compare));
  return board;
}

export function leaderboardTable(board: Leaderboard, metrics: readonly string[]): Table {
  const shown = metrics.filter((m) => board.baseline.aggregates[m] !== undefined);
  const cell = (a: RunFile['aggregates'], m: string) => {
    const x = a[m];
    return x ? `${fmt(x.mean)} ${fmtCi(x.ci95, 2)}` : '—';
  };
  const verdicts = (c: Comparison) =>
    c.metrics
      .filter((m) => m.verdict !== 'no significant change')
      .map((m) => `${m.metric} ${m.diff >= 0 ? '+' : ''}${m.diff.toFixed(3)} (${m.verdict === 'improved' ? 'better' : 'worse'}, p=${m.pAdjusted.toFixed(3)})`)
      .join(', ') || 'no significant change';
  return {
    header: ['configuration', ...shown, 'vs baseline (Holm-adjusted)'],
    rows: [
      [board.baseline.label, ...shown.map((m) => cell(board.baseline.aggregates, m)), '—'],
      ...board.rows.map((r) => [r.label, ...shown.map((m) => cell(r.aggregates, m)), verdicts(r.comparison)]),
    ],
  };
}

export function renderLeaderboard(board: Leaderboard, metrics: readonly string[]): string {
  const n = board.rows.length;
  return [
    `# Experiment leaderboard (${board.createdAt})`,
    '',
    `Split: **${board.split}** · sorted by **${board.sortBy}** · ${n} configurations against the project's configuration. Cells: mean [95% bootstrap CI].`,
    '',
    markdownTable(leaderboardTable(board, metrics)),
    '',
    `Each row is compared with the baseline on the same questions (paired bootstrap CI, McNemar or permutation test, Holm across metrics within the row).`,
    `With ${n} rows, about ${(n * 0.05).toFixed(1)} rows per metric would show a "significant" change by chance alone if nothing differed: confirm a winner on the test split before you claim it.`,
    '',
  ].join('\n');
}

const comparisonSchema = z.object({
  baselineLabel: z.string(),
  candidateLabel: z.string(),
  split: z.string(),
  metrics: z.array(
    z.object({
      metric: z.string(),
      n: z.number(),
      baseline: z.number(),
      candidate: z.number(),
      diff: z.number(),
      ci95: z.tuple([z.number(), z.number()]),
      test: z.enum(['mcnemar', 'permutation']),
      pValue: z.number(),
      pAdjusted: z.number(),
      verdict: z.enum(['improved', 'regressed', 'no significant change']),
      gated: z.boolean(),
      gateFailed: z.boolean(),
    }),
  ),
  flips: z.array(z.object({ id: z.string(), type: z.string(), question: z.string(), direction: z.enum(['pass→fail', 'fail→pass']) })),
  gateFailed: z.boolean(),
});

export const leaderboardSchema = z.object({
  createdAt: z.string(),
  split: z.string(),
  sortBy: z.string(),
  baseline: z.object({ label: z.string(), configHash: z.string(), runFile: z.string(), aggregates: z.record(z.string(), aggregateSchema) }),
  rows: z.array(
    z.object({
      label: z.string(),
      combo: z.record(z.string(), z.string()),
      configHash: z.string(),
      runFile: z.string(),
      aggregates: z.record(z.string(), aggregateSchema),
      comparison: comparisonSchema,
    }),
  ),
  files: z.object({ markdown: z.string(), json: z.string() }),
});

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
