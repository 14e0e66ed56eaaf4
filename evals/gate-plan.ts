// The gate's power analysis, planned from the baseline alone (as before an A/B test, never from the outcome):
// per gated metric, n and a planning sd of one question's paired difference,
//   sd_d = sd_baseline · sqrt(2(1 − ρ))      (ρ: the assumed within-pair correlation, eval.gate.correlation)
// with sd_baseline = sqrt(p(1 − p)) for a 0/1 metric at the baseline rate p, else the baseline's sample sd;
// then, at the gate's first Holm step (one-sided α/m) and with the test's continuity term 1/n for 0/1 metrics,
//   MDE = 1/n + (z_{1−α/m} + z_{power}) · sd_d / sqrt(n),   power at the margin, questions for the margin.
// A candidate cannot move these numbers: a copy of the baseline and a copy with one question flipped get the
// same plan. `eval` stores it in the run file (so a promoted baseline carries it), and every table, warning,
// write-up and site page prints this one MDE.
import { z } from 'zod';
import { testsAsBinary } from './metrics/registry.ts';
import { mean, sampleVariance } from './stats/moments.ts';
import { oneSidedMde, oneSidedPower, questionsForEffect } from './stats/noninferiority.ts';

export interface PlanSettings {
  /** The gated metrics (the Holm family is those the baseline does not hold constant). */
  metrics: readonly string[];
  /** Family-wise error rate of the gate. */
  alpha: number;
  /** Power the MDE is stated at. */
  power: number;
  /** Non-inferiority margin: the drop the power is reported for. */
  margin: number;
  /** Assumed correlation of a question's values in two runs (eval.gate.correlation; absent: DEFAULT_CORRELATION). */
  correlation?: number;
}

/** Under 0.5 a paired difference is as variable as one run's values: sd_d = sd_baseline. */
export const DEFAULT_CORRELATION = 0.5;

const metricPlanSchema = z.strictObject({
  metric: z.string(),
  /** Questions the baseline has the metric on. */
  n: z.number().int(),
  binary: z.boolean(),
  /** Planning sd of one question's paired difference. */
  sd: z.number(),
  /** Smallest drop the gate detects with `power`. */
  mde: z.number(),
  /** Probability of catching a drop of exactly the margin. */
  powerAtMargin: z.number(),
  /** Questions that would detect the margin with `power`; null when this n already does. */
  questionsForMargin: z.number().int().nullable(),
});
export type MetricPlan = z.infer<typeof metricPlanSchema>;

/** The gate's power plan, as stored in a run file (`gatePlan`) and a comparison's gate. */
export const gatePlanSchema = z.strictObject({
  alpha: z.number(),
  power: z.number(),
  margin: z.number(),
  correlation: z.number(),
  /** Gated metrics the baseline varies on: the Holm family the plan assumes. */
  family: z.array(z.string()),
  /** One-sided level of the first Holm step, α/m: the level a lone regression faces. */
  level: z.number(),
  metrics: z.array(metricPlanSchema),
});
export type GatePlan = z.infer<typeof gatePlanSchema>;

/** The level and settings a metric's MDE is planned at (what aggregates need, without the family). */
export type PlanLevel = Pick<PlanSettings, 'power' | 'margin'> & { correlation: number; level: number };

/** The plan of one metric from its baseline values; null when the baseline does not vary (sd 0). */
export function planMetric(metric: string, values: readonly number[], at: PlanLevel): MetricPlan | null {
  const n = values.length;
  if (n < 2) return null;
  const binary = testsAsBinary(metric, values);
  const p = mean(values);
  const sdBaseline = binary ? Math.sqrt(p * (1 - p)) : Math.sqrt(sampleVariance(values));
  if (!(sdBaseline > 0)) return null;
  const sd = sdBaseline * Math.sqrt(2 * (1 - at.correlation));
  const mde = oneSidedMde(sd, n, at.level, at.power, binary);
  return {
    metric,
    n,
    binary,
    sd,
    mde,
    powerAtMargin: oneSidedPower(at.margin, sd, n, at.level, binary),
    questionsForMargin: mde > at.margin ? questionsForEffect(at.margin, sd, at.level, at.power, binary) : null,
  };
}

/** The level and settings of a plan, for the aggregates of the run it was made from. */
export function planLevel(plan: GatePlan): PlanLevel {
  return { level: plan.level, power: plan.power, margin: plan.margin, correlation: plan.correlation };
}

/** Per-metric values of the baseline, in record order. */
function baselineValues(records: readonly { metrics: Record<string, number> }[], metric: string): number[] {
  return records.flatMap((r) => (r.metrics[metric] === undefined ? [] : [r.metrics[metric]]));
}

/** The gate's plan from the baseline's records alone. */
export function planGate(records: readonly { metrics: Record<string, number> }[], settings: PlanSettings): GatePlan {
  const values = settings.metrics.map((metric) => ({ metric, values: baselineValues(records, metric) }));
  const family = values.filter((v) => v.values.length > 1 && new Set(v.values).size > 1).map((v) => v.metric);
  const level = settings.alpha / Math.max(1, family.length);
  const at: PlanLevel = { level, power: settings.power, margin: settings.margin, correlation: settings.correlation ?? DEFAULT_CORRELATION };
  return {
    alpha: settings.alpha,
    power: settings.power,
    margin: settings.margin,
    correlation: at.correlation,
    family,
    level,
    metrics: values.flatMap((v) => planMetric(v.metric, v.values, at) ?? []),
  };
}

/** The one sentence every surface prints for an underpowered gated metric. */
export function underpoweredWarning(m: MetricPlan, plan: Pick<GatePlan, 'power' | 'level' | 'margin'>): string {
  return `${m.metric}: with n = ${m.n} the gate detects a drop of ${m.mde.toFixed(3)} (power ${plan.power} at one-sided α = ${plan.level.toPrecision(3)}, planned from the baseline); a drop of the margin ${plan.margin} is caught with probability ${m.powerAtMargin.toFixed(2)}. About ${m.questionsForMargin} questions would detect the margin.`;
}

/** What an MDE column means, in the words every surface uses. */
export function mdeMeaning(plan: Pick<GatePlan, 'power' | 'level' | 'family' | 'correlation'>): string {
  return `MDE: the drop the regression gate detects with power ${plan.power} (one-sided α/m = ${plan.level.toPrecision(3)}, m = ${plan.family.length} gated metrics, continuity term 1/n for 0/1 metrics), planned from this run alone with a within-pair correlation of ${plan.correlation}.`;
}
