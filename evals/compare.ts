import { z } from 'zod';
import { configSchema } from '../starter/config.ts';
import { UserError } from '../starter/errors.ts';
import { evaluateGate, type GateOptions, gateResultSchema, type PlannedGate } from './gate.ts';
import { planGate } from './gate-plan.ts';
import { isConstant, metricSpec, passed, testsAsBinary } from './metrics/registry.ts';
import type { RunFile, RunRecord } from './run-file.ts';
import { holmAdjust } from './stats/holm.ts';
import { exactMcNemar } from './stats/mcnemar.ts';
import { mean } from './stats/moments.ts';
import { oneSidedBounds, pAbove, pBelow, summarizeDifferences } from './stats/noninferiority.ts';
import { type PairedCi, pairedBootstraps, pairedPermutationTest } from './stats/paired.ts';

export const verdictSchema = z.enum(['improved', 'regressed', 'no significant change']);
export type Verdict = z.infer<typeof verdictSchema>;

export const metricComparisonSchema = z.strictObject({
  metric: z.string(),
  /** Questions where both runs have the metric. */
  n: z.number().int(),
  baseline: z.number(),
  candidate: z.number(),
  /** candidate − baseline, with its paired-bootstrap 95% CI. */
  diff: z.number(),
  ci95: z.tuple([z.number(), z.number()]),
  test: z.enum(['mcnemar', 'permutation']),
  pValue: z.number(),
  /** Holm-adjusted across the metrics compared (descriptive; the gate has its own family, see Comparison.gate). */
  pAdjusted: z.number(),
  verdict: verdictSchema,
  gated: z.boolean(),
  /** A gated metric whose one-sided test failed the gate (see Comparison.gate for its bounds). */
  gateFailed: z.boolean(),
  /** Same value on every question of both runs: not tested, outside every Holm family (absent in old leaderboards). */
  constant: z.boolean().optional(),
  /** Defined on answered questions only, so n counts the questions both runs answered (absent in old leaderboards). */
  conditional: z.boolean().optional(),
});
export type MetricComparison = z.infer<typeof metricComparisonSchema>;

/** How often each run answered (did not abstain), paired over the same questions. */
export const answeredRateSchema = z.strictObject({
  n: z.number().int(),
  baseline: z.number(),
  candidate: z.number(),
  diff: z.number(),
  /** Two-sided (1 − α) interval of the difference and its two-sided p-value (same approximation as the gate). */
  ci: z.tuple([z.number(), z.number()]),
  pValue: z.number(),
});
export type AnsweredRate = z.infer<typeof answeredRateSchema>;

export const flipSchema = z.strictObject({ id: z.string(), type: z.string(), question: z.string(), direction: z.enum(['pass→fail', 'fail→pass']) });
export type Flip = z.infer<typeof flipSchema>;

/** A paired comparison as `compare --json` prints it and a leaderboard row stores it. */
export const comparisonSchema = z.strictObject({
  baselineLabel: z.string(),
  candidateLabel: z.string(),
  split: z.string(),
  metrics: z.array(metricComparisonSchema),
  flips: z.array(flipSchema),
  gateFailed: z.boolean(),
  /** Absent from comparisons stored before the gate had its own family (old leaderboards). */
  answered: answeredRateSchema.optional(),
  gate: gateResultSchema.optional(),
});
export type Comparison = z.infer<typeof comparisonSchema>;

/** What compareRuns returns: a comparison with its gate and answered rate. */
export type GatedComparison = Comparison & { answered: AnsweredRate; gate: PlannedGate };

export interface CompareOptions {
  metrics: readonly string[];
  /** margin/power/strict default to the config's defaults; `tolerance` is ignored (replaced by margin). */
  gate: Pick<GateOptions, 'metrics'> & Partial<Pick<GateOptions, 'margin' | 'power' | 'strict' | 'correlation'>> & { tolerance?: number };
  alpha: number;
  resamples: number;
  seed: number;
}

/** What a comparison reads of a run (a RunFile is one); a grid sends only this to the thread that compares. */
export type ComparedRun = Pick<RunFile, 'label' | 'split' | 'evalsetHash' | 'metricsVersion'> & { records: ComparedRecord[] };
type ComparedRecord = Pick<RunRecord, 'id' | 'type' | 'question' | 'metrics' | 'abstained' | 'passRate'>;

/** The part of `run` a comparison reads. */
export function comparedRun(run: ComparedRun): ComparedRun {
  return {
    label: run.label,
    split: run.split,
    evalsetHash: run.evalsetHash,
    ...(run.metricsVersion === undefined ? {} : { metricsVersion: run.metricsVersion }),
    records: run.records.map(({ id, type, question, metrics, abstained, passRate }) => ({ id, type, question, metrics, abstained, ...(passRate === undefined ? {} : { passRate }) })),
  };
}

export function assertComparable(a: ComparedRun, b: ComparedRun): void {
  if (a.evalsetHash !== b.evalsetHash) {
    throw new UserError(
      `the runs "${a.label}" and "${b.label}" were scored on different eval sets (sha256 ${a.evalsetHash.slice(0, 12)}… vs ${b.evalsetHash.slice(0, 12)}…): their numbers are not comparable. Re-run both with \`ragfolio eval\` on the current eval set.`,
    );
  }
  const [va, vb] = [a.metricsVersion ?? 1, b.metricsVersion ?? 1];
  if (va !== vb) {
    throw new UserError(
      `the runs "${a.label}" and "${b.label}" were scored with different metric definitions (version ${va} vs ${vb}, evals/metrics/version.ts): a changed metric would look like a changed system. Re-run the older one with \`ragfolio eval\` (or save a new baseline with \`ragfolio eval --save-baseline\`).`,
    );
  }
  if (a.split !== b.split) throw new UserError(`the runs "${a.label}" (${a.split}) and "${b.label}" (${b.split}) used different splits. Re-run one with --split ${a.split}.`);
}

/** Paired comparison of two runs on the same questions: one test per metric, Holm across metrics. */
export function compareRuns(baseline: ComparedRun, candidate: ComparedRun, options: CompareOptions): GatedComparison {
  assertComparable(baseline, candidate);
  const byId = new Map(candidate.records.map((r) => [r.id, r]));
  const pairs = baseline.records.flatMap((a) => {
    const b = byId.get(a.id);
    return b ? [[a, b] as const] : [];
  });
  if (pairs.length !== baseline.records.length || pairs.length !== candidate.records.length) {
    throw new UserError(`the runs "${baseline.label}" and "${candidate.label}" did not answer the same questions. Re-run the incomplete one.`);
  }

  // Every compared and gated metric, on the questions both runs have it for.
  const names = [...new Set([...options.metrics, ...options.gate.metrics])];
  const vectors = names.flatMap((metric) => {
    const both = pairs.filter(([a, b]) => a.metrics[metric] !== undefined && b.metrics[metric] !== undefined);
    return both.length === 0 ? [] : [{ metric, a: both.map(([a]) => a.metrics[metric] ?? 0), b: both.map(([, b]) => b.metrics[metric] ?? 0) }];
  });
  const gateOptions: GateOptions = {
    metrics: options.gate.metrics,
    margin: options.gate.margin ?? GATE_DEFAULTS.margin,
    power: options.gate.power ?? GATE_DEFAULTS.power,
    strict: options.gate.strict ?? GATE_DEFAULTS.strict,
    ...(options.gate.correlation === undefined ? {} : { correlation: options.gate.correlation }),
    alpha: options.alpha,
  };
  // Planned from the baseline's own records: the candidate cannot change the MDE it is judged by.
  const gate = evaluateGate(vectors, gateOptions, planGate(baseline.records, gateOptions));
  const scored = vectors.filter((v) => options.metrics.includes(v.metric));
  // One pass for every metric's CI, as in aggregateRecords.
  const cis = pairedBootstraps(scored, { resamples: options.resamples, seed: options.seed });
  const rows = scored.map(({ metric, a: x, b: y }, i) => {
    const ci = cis[i] as PairedCi;
    // Per-question means of a repeated run are not 0/1: the permutation test takes them.
    const binary = testsAsBinary(metric, x, y);
    const constant = isConstant(x, y);
    const pValue = constant ? 1 : binary ? exactMcNemar(x, y).pValue : pairedPermutationTest(x, y, { resamples: options.resamples, seed: options.seed }).pValue;
    return {
      metric,
      n: x.length,
      baseline: mean(x),
      candidate: mean(y),
      diff: ci.meanDiff,
      ci95: [ci.lo, ci.hi] as [number, number],
      test: binary ? ('mcnemar' as const) : ('permutation' as const),
      pValue,
      constant,
    };
  });
  // Constant metrics would only dilute the family: Holm over the others.
  const tested = rows.filter((r) => !r.constant);
  const adjustedTested = holmAdjust(tested.map((r) => r.pValue));
  const adjusted = new Map(tested.map((r, i) => [r.metric, adjustedTested[i] ?? 1]));
  const metrics = rows.map((row): MetricComparison => {
    const pAdjusted = adjusted.get(row.metric) ?? 1;
    const better = metricSpec(row.metric).higherIsBetter ? row.diff > 0 : row.diff < 0;
    const verdict: Verdict = pAdjusted < options.alpha && row.diff !== 0 ? (better ? 'improved' : 'regressed') : 'no significant change';
    const gated = options.gate.metrics.includes(row.metric);
    const gateFailed = gate.metrics.some((g) => g.metric === row.metric && g.failed);
    return { ...row, pAdjusted, verdict, gated, gateFailed, conditional: metricSpec(row.metric).conditional };
  });

  const flips = pairs.flatMap(([a, b]): Flip[] => {
    if (passed(a) === undefined || passed(a) === passed(b)) return [];
    return [{ id: a.id, type: a.type, question: a.question, direction: passed(a) ? 'pass→fail' : 'fail→pass' }];
  });
  const answered = answeredRate(pairs, options.alpha);
  // A conditional metric can rise because the candidate answers less: say so next to the gate.
  if (answersFewer(answered)) {
    for (const m of gate.metrics.filter((g) => g.conditional)) {
      gate.warnings.push(
        `${m.metric} is computed on answered questions only, and the candidate answered significantly fewer (${answered.baseline.toFixed(3)} → ${answered.candidate.toFixed(3)}): read its change as a trade, not a win.`,
      );
    }
  }
  return { baselineLabel: baseline.label, candidateLabel: candidate.label, split: baseline.split, metrics, flips, answered, gate, gateFailed: gate.failed };
}

/** The config defaults of the gate (read from the config schema), for callers that pass only the gated metrics. */
const GATE_DEFAULTS = configSchema.parse({}).eval.gate;

/** The candidate answered significantly fewer questions: a conditional metric's rise is then a trade, not a win. */
export const answersFewer = (a: AnsweredRate | undefined): boolean => a !== undefined && a.ci[1] < 0;

function answeredRate(pairs: readonly (readonly [ComparedRecord, ComparedRecord])[], alpha: number): AnsweredRate {
  const a = pairs.map(([x]) => (x.abstained ? 0 : 1));
  const b = pairs.map(([, y]) => (y.abstained ? 0 : 1));
  const s = summarizeDifferences(
    b.map((v, i) => v - (a[i] as number)),
    true,
  );
  const { lower, upper } = oneSidedBounds(s, alpha / 2);
  return { n: pairs.length, baseline: mean(a), candidate: mean(b), diff: s.mean, ci: [lower, upper], pValue: Math.min(1, 2 * Math.min(pBelow(s, 0), pAbove(s, 0))) };
}
