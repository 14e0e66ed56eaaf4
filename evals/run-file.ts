import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { traceSchema } from '../starter/answer/trace.ts';
import { UserError } from '../starter/errors.ts';
import { describeZodError } from '../starter/jsonl.ts';
import { QUESTION_TYPES } from './evalset.ts';
import { gatePlanSchema } from './gate-plan.ts';

export const RUN_VERSION = 1;

const usageSchema = z.strictObject({ inputTokens: z.number(), outputTokens: z.number() });

export const runRecordSchema = z.strictObject({
  id: z.string(),
  type: z.enum(QUESTION_TYPES),
  question: z.string(),
  retrieved: z.array(z.strictObject({ passageId: z.string(), score: z.number() })),
  answer: z.string(),
  citations: z.array(z.string()),
  abstained: z.boolean(),
  latencyMs: z.number(),
  /**
   * Where the question's vectors came from, when the pipeline embeds questions: `shipped` with the dataset
   * (its latency includes no embedding) or `embedded` by the model (its latency includes that). Absent in
   * runs written before it was recorded, and in BM25-only runs.
   */
  questionVector: z.enum(['shipped', 'embedded']).optional(),
  usage: usageSchema.optional(),
  /** The answerer's support for its best answer, and whether that answer is right: the points of a risk–coverage curve. */
  confidence: z.number().optional(),
  correctIfAnswered: z.boolean().optional(),
  /** The short answer span (who/when/how many), when the answerer gave one. */
  short: z.string().optional(),
  /** The agent's or planner's steps: tool calls, queries, latency, tokens. */
  trace: traceSchema.optional(),
  metrics: z.record(z.string(), z.number()),
  /** Repeated runs: the share of repeats this question passed (its metrics are then means over the repeats). */
  passRate: z.number().min(0).max(1).optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;
export type QuestionVector = NonNullable<RunRecord['questionVector']>;

const riskPointSchema = z.strictObject({ threshold: z.number(), coverage: z.number(), risk: z.number(), answered: z.number().int() });

export const aggregateSchema = z.strictObject({
  mean: z.number(),
  /** Percentile bootstrap 95% CI of the mean (a repeated run: over questions, of their means over the repeats). */
  ci95: z.tuple([z.number(), z.number()]),
  /** Wilson 95% interval, for 0/1 metrics. */
  wilson95: z.tuple([z.number(), z.number()]).optional(),
  /** Questions the metric applies to. */
  n: z.number().int(),
  /**
   * The gate's MDE for this metric at this n (evals/gate-plan.ts: one-sided α/m, the configured power and
   * within-pair correlation, 1/n for 0/1 metrics), planned from this run alone; null when the metric does not vary.
   */
  mde: z.number().nullable(),
});
export type Aggregate = z.infer<typeof aggregateSchema>;

const shareSchema = z.strictObject({ k: z.number().int(), n: z.number().int(), p: z.number(), lo: z.number(), hi: z.number() });

/** The abstention threshold a run used and why (starter/abstention-threshold.ts), with the unanswerable questions it answered. */
export const runAbstentionSchema = z.strictObject({
  minScore: z.number(),
  source: z.enum(['conformal', 'fallback', 'manual']),
  reason: z.string(),
  target: z.number().optional(),
  bound: z.number().optional(),
  n: z.number().int().optional(),
  rank: z.number().int().optional(),
  /** Beta-binomial central 95% of the count answered among this run's unanswerable questions (evals/stats/conformal.ts). */
  predicted95: z.strictObject({ lo: z.number().int(), hi: z.number().int(), mean: z.number() }).optional(),
  /** Observed share of this run's unanswerable questions answered, Wilson 95%: beside `bound` on the test split, predicted against observed. */
  unanswerableAnswered: shareSchema.optional(),
});
export type RunAbstention = z.infer<typeof runAbstentionSchema>;

export const runFileSchema = z.strictObject({
  version: z.literal(RUN_VERSION),
  label: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  gitCommit: z.string().optional(),
  config: z.record(z.string(), z.unknown()),
  configHash: z.string(),
  evalsetHash: z.string(),
  /** evals/metrics/version.ts; absent in runs scored before it was recorded (version 1). */
  metricsVersion: z.number().int().min(1).optional(),
  split: z.enum(['dev', 'test', 'all']),
  generator: z.string(),
  records: z.array(runRecordSchema),
  aggregates: z.record(z.string(), aggregateSchema),
  operational: z.strictObject({
    latencyMsP50: z.number(),
    latencyMsP95: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number().optional(),
    /** Absent: timed uncached pipeline calls. `stage-cache`: an experiment grid served the stages from its caches, so these time lookups. */
    latencySource: z.literal('stage-cache').optional(),
    /** Questions whose vectors shipped with the dataset (latency without embedding) and those embedded (records[].questionVector). */
    questionVectors: z.strictObject({ shipped: z.number().int(), embedded: z.number().int() }).optional(),
  }),
  stats: z.strictObject({ resamples: z.number().int(), seed: z.number().int(), alpha: z.number() }),
  /** Absent in runs written before the gate was planned from the baseline. */
  gatePlan: gatePlanSchema.optional(),
  /**
   * `eval --repeat N`: every repeat's records, in order. `records` then holds each question's means over the
   * repeats (what `compare` pairs) and `aggregates` come from the question-level bootstrap over those means.
   */
  repeats: z.array(z.array(runRecordSchema)).optional(),
  /** Pass rate per question type (a pass: a gold answer contained, or a correct abstention), Wilson 95% interval; in a repeated run a question passes when it passed in most repeats. */
  byType: z.record(z.string(), z.strictObject({ n: z.number().int(), passed: z.number().int(), rate: z.number(), wilson95: z.tuple([z.number(), z.number()]) })),
  /** Selective answering (evals/metrics/risk-coverage.ts): the curve over every threshold and the configured one's point. */
  abstention: runAbstentionSchema.optional(),
  riskCoverage: z.strictObject({ threshold: z.number(), operating: riskPointSchema, aurc: z.number(), n: z.number().int(), points: z.array(riskPointSchema) }).optional(),
});
export type RunFile = z.infer<typeof runFileSchema>;

export async function readRunFile(file: string): Promise<RunFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: run file not found. List runs with \`ls runs/\`, or run \`ragfolio eval\`.`);
    if (code === 'EISDIR') throw new UserError(`${file}: a folder, not a run file. Pass a run file (runs/<time>-<label>.json), "baseline" or "latest".`);
    throw new UserError(`${file}: not valid JSON. Re-run \`ragfolio eval\` to write a fresh run.`);
  }
  const parsed = runFileSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${file}: ${describeZodError(parsed.error)}. Not a ragfolio run file (version ${RUN_VERSION}); re-run \`ragfolio eval\`.`);
  return parsed.data;
}

/** Finished run files, oldest first (names start with a sortable timestamp). */
export async function listRunFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}

/** Sortable, filename-safe UTC timestamp: 20261129-031500. */
export function runTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}
