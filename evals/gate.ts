// The regression gate: for each gated metric, a one-sided test on the paired per-question differences.
//   regression test      H0: Δ >= 0        vs  H1: Δ < 0        (Holm over the gated metrics: FWER <= α)
//   non-inferiority test H0: Δ <= -margin  vs  H1: Δ > -margin  ("no worse than the margin")
// Δ is oriented so that positive is better. Both are read off one pair of one-sided bounds at the metric's
// Holm step level, so the printed bounds and the verdict cannot disagree.
// The MDE and power come from the plan (evals/gate-plan.ts), made from the baseline alone.
import { z } from 'zod';
import { type GatePlan, gatePlanSchema, planGate, underpoweredWarning } from './gate-plan.ts';
import { isConstant, metricSpec, testsAsBinary } from './metrics/registry.ts';
import { holmAdjust, holmLevels } from './stats/holm.ts';
import { mean } from './stats/moments.ts';
import { oneSidedBounds, pBelow, summarizeDifferences } from './stats/noninferiority.ts';

export interface GateOptions {
  metrics: readonly string[];
  /** Largest drop (absolute) accepted as "no worse". */
  margin: number;
  /** Family-wise error rate of the regression tests. */
  alpha: number;
  /** Power the MDE is stated at. */
  power: number;
  /** Within-pair correlation the plan assumes (eval.gate.correlation; absent: 0.5). */
  correlation?: number;
  /** Fail unless non-inferiority is shown, too (not only when a regression is shown). */
  strict: boolean;
}

export const gateVerdictSchema = z.enum(['improved', 'non-inferior', 'regressed within margin', 'inconclusive', 'regressed', 'constant']);
export type GateVerdict = z.infer<typeof gateVerdictSchema>;

export const gateMetricSchema = z.strictObject({
  metric: z.string(),
  /** Questions where both runs have the metric. */
  n: z.number().int(),
  /** Computed only on questions both runs answered (abstaining more can raise it). */
  conditional: z.boolean(),
  baseline: z.number(),
  candidate: z.number(),
  /** candidate − baseline. */
  diff: z.number(),
  /** One-sided level of each bound: α/(m − step + 1) at the metric's Holm step; null for a constant metric (not tested). */
  level: z.number().nullable(),
  /** One-sided (1 − level) bounds on the difference, in the metric's own direction. */
  lower: z.number(),
  upper: z.number(),
  /** One-sided regression p-value, and Holm-adjusted over the gated family. */
  pValue: z.number(),
  pAdjusted: z.number(),
  /** From the baseline's plan: drop detected with `power` at the first Holm step (α/m, one-sided); null when the baseline does not vary. */
  mde: z.number().nullable(),
  /** From the plan: probability of catching a drop of exactly the margin. */
  powerAtMargin: z.number().nullable(),
  /** From the plan: questions that would detect the margin with `power` (when mde > margin). */
  questionsForMargin: z.number().int().nullable(),
  verdict: gateVerdictSchema,
  failed: z.boolean(),
});
export type GateMetric = z.infer<typeof gateMetricSchema>;

export const gateResultSchema = z.strictObject({
  margin: z.number(),
  alpha: z.number(),
  power: z.number(),
  strict: z.boolean(),
  /** Gated metrics tested (constant ones leave the family). */
  family: z.array(z.string()),
  /** The power analysis planned from the baseline alone (absent in comparisons stored before it was). */
  plan: gatePlanSchema.optional(),
  metrics: z.array(gateMetricSchema),
  warnings: z.array(z.string()),
  failed: z.boolean(),
});
export type GateResult = z.infer<typeof gateResultSchema>;
/** What evaluateGate returns: always with its plan. */
export type PlannedGate = GateResult & { plan: GatePlan };

export interface PairedVectors {
  metric: string;
  a: readonly number[];
  b: readonly number[];
}

function verdictOf(lower: number, upper: number, margin: number): GateVerdict {
  if (upper < 0) return lower > -margin ? 'regressed within margin' : 'regressed';
  if (lower > 0) return 'improved';
  return lower > -margin ? 'non-inferior' : 'inconclusive';
}

/**
 * The gate over paired per-question values of the gated metrics (already restricted to questions both runs
 * have). `plan` is the baseline's (compare makes it from the baseline's records); without one it is planned
 * from the `a` side of the vectors, which is the baseline.
 */
export function evaluateGate(vectors: readonly PairedVectors[], options: GateOptions, plan: GatePlan = planFromVectors(vectors, options)): PlannedGate {
  const gated = vectors.filter((v) => options.metrics.includes(v.metric) && v.a.length > 0);
  const tested = gated.filter((v) => !isConstant(v.a, v.b));
  const prepared = tested.map((v) => {
    const binary = testsAsBinary(v.metric, v.a, v.b);
    const sign = metricSpec(v.metric).higherIsBetter ? 1 : -1;
    // Oriented so that positive is better; bounds are mapped back to the metric's direction below.
    const d = v.b.map((y, i) => sign * (y - (v.a[i] as number)));
    const s = summarizeDifferences(d, binary);
    return { v, sign, s, p: pBelow(s, 0) };
  });
  const levels = holmLevels(
    prepared.map((x) => x.p),
    options.alpha,
  );
  const adjusted = holmAdjust(prepared.map((x) => x.p));
  const warnings: string[] = [];

  const metrics = prepared.map(({ v, sign, s, p }, i): GateMetric => {
    const level = levels[i] as number;
    const { lower, upper } = oneSidedBounds(s, level);
    const verdict = verdictOf(lower, upper, options.margin);
    const planned = plan.metrics.find((x) => x.metric === v.metric);
    const failed = verdict === 'regressed' || (options.strict && verdict === 'inconclusive');
    // Back to the metric's own direction: for lower-is-better metrics the worst case is the upper end.
    const [lo, hi] = sign > 0 ? [lower, upper] : [-upper, -lower];
    return {
      metric: v.metric,
      n: s.n,
      conditional: metricSpec(v.metric).conditional,
      baseline: mean(v.a),
      candidate: mean(v.b),
      diff: sign * s.mean,
      level,
      lower: lo,
      upper: hi,
      pValue: p,
      pAdjusted: adjusted[i] as number,
      mde: planned?.mde ?? null,
      powerAtMargin: planned?.powerAtMargin ?? null,
      questionsForMargin: planned?.questionsForMargin ?? null,
      verdict,
      failed,
    };
  });
  // The warning depends on the plan only, so it reads the same whatever the candidate did.
  for (const p of plan.metrics) if (p.questionsForMargin !== null && options.metrics.includes(p.metric)) warnings.push(underpoweredWarning(p, plan));
  const constant = gated.filter((v) => isConstant(v.a, v.b));
  for (const v of constant) warnings.push(`${v.metric} is ${v.a[0]} on every question of both runs (constant by construction?): left out of the gate.`);
  const missing = options.metrics.filter((name) => !gated.some((v) => v.metric === name));
  if (missing.length > 0) warnings.push(`gated metric(s) not in these runs: ${missing.join(', ')}.`);
  const constantRows = constant.map(
    (v): GateMetric => ({
      metric: v.metric,
      n: v.a.length,
      conditional: metricSpec(v.metric).conditional,
      baseline: mean(v.a),
      candidate: mean(v.b),
      diff: 0,
      level: null,
      lower: 0,
      upper: 0,
      pValue: 1,
      pAdjusted: 1,
      mde: null,
      powerAtMargin: null,
      questionsForMargin: null,
      verdict: 'constant',
      failed: false,
    }),
  );
  return {
    margin: options.margin,
    alpha: options.alpha,
    power: options.power,
    strict: options.strict,
    family: prepared.map((x) => x.v.metric),
    plan,
    metrics: [...metrics, ...constantRows],
    warnings,
    failed: metrics.some((x) => x.failed),
  };
}

function planFromVectors(vectors: readonly PairedVectors[], options: GateOptions): GatePlan {
  const records = vectors.flatMap((v) => v.a.map((x) => ({ metrics: { [v.metric]: x } })));
  return planGate(records, options);
}
