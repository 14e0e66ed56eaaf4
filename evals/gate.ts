// The regression gate: for each gated metric, a one-sided test on the paired per-question differences.
//   regression test      H0: Δ >= 0        vs  H1: Δ < 0        (Holm over the gated metrics: FWER <= α)
//   non-inferiority test H0: Δ <= -margin  vs  H1: Δ > -margin  ("no worse than the margin")
// Δ is oriented so that positive is better. Both are read off one pair of one-sided bounds at the metric's
// Holm step level, so the printed bounds and the verdict cannot disagree.
import { metricInfo } from './metric-info.ts';
import { holmAdjust, holmLevels } from './stats/holm.ts';
import { mean, sampleVariance } from './stats/moments.ts';
import { oneSidedBounds, oneSidedMde, oneSidedPower, type PairedMeanSummary, pBelow, questionsForEffect, summarizeDifferences } from './stats/noninferiority.ts';

export interface GateOptions {
  metrics: readonly string[];
  /** Largest drop (absolute) accepted as "no worse". */
  margin: number;
  /** Family-wise error rate of the regression tests. */
  alpha: number;
  /** Power the MDE is stated at. */
  power: number;
  /** Fail unless non-inferiority is shown, too (not only when a regression is shown). */
  strict: boolean;
}

export type GateVerdict = 'improved' | 'non-inferior' | 'regressed within margin' | 'inconclusive' | 'regressed' | 'constant';

export interface GateMetric {
  metric: string;
  /** Questions where both runs have the metric. */
  n: number;
  /** Computed only on questions both runs answered (abstaining more can raise it). */
  conditional: boolean;
  baseline: number;
  candidate: number;
  /** candidate − baseline. */
  diff: number;
  /** One-sided level of each bound: α/(m − step + 1) at the metric's Holm step. */
  level: number;
  /** One-sided (1 − level) bounds on the difference, in the metric's own direction. */
  lower: number;
  upper: number;
  /** One-sided regression p-value, and Holm-adjusted over the gated family. */
  pValue: number;
  pAdjusted: number;
  /** Drop detected with `power` at the first Holm step (α/m, one-sided); null when no sd is known. */
  mde: number | null;
  /** Probability of catching a drop of exactly the margin. */
  powerAtMargin: number | null;
  /** Questions that would detect the margin with `power` (when mde > margin). */
  questionsForMargin: number | null;
  verdict: GateVerdict;
  failed: boolean;
}

export interface GateResult {
  margin: number;
  alpha: number;
  power: number;
  strict: boolean;
  /** Gated metrics tested (constant ones leave the family). */
  family: string[];
  metrics: GateMetric[];
  warnings: string[];
  failed: boolean;
}

/** Metrics defined only on answered questions. */
const CONDITIONAL_ON_ANSWERED = new Set(['citation_precision', 'groundedness']);
export const isConditional = (metric: string): boolean => CONDITIONAL_ON_ANSWERED.has(metric);

export interface PairedVectors {
  metric: string;
  a: readonly number[];
  b: readonly number[];
}

/** Per-question values that are all 0 or 1 (a repeated run's per-question means are not). */
export const isZeroOne = (values: readonly number[]): boolean => values.every((x) => x === 0 || x === 1);

/** Zero variance in both runs and the same value: nothing to test (e.g. groundedness 1 by construction). */
export function isConstant(a: readonly number[], b: readonly number[]): boolean {
  const all = [...a, ...b];
  return all.length > 0 && all.every((x) => x === all[0]);
}

/** sd of the differences for power: observed when the runs differ, else the baseline's own sd (runs correlated at 0.5). */
function designSd(s: PairedMeanSummary, a: readonly number[], binary: boolean): number | null {
  if (s.se > 0) return s.se * Math.sqrt(s.n);
  if (binary) {
    const p = mean(a);
    return p > 0 && p < 1 ? Math.sqrt(p * (1 - p)) : null;
  }
  const sd = a.length > 1 ? Math.sqrt(sampleVariance(a)) : 0;
  return sd > 0 ? sd : null;
}

function verdictOf(lower: number, upper: number, margin: number): GateVerdict {
  if (upper < 0) return lower > -margin ? 'regressed within margin' : 'regressed';
  if (lower > 0) return 'improved';
  return lower > -margin ? 'non-inferior' : 'inconclusive';
}

/** The gate over paired per-question values of the gated metrics (already restricted to questions both runs have). */
export function evaluateGate(vectors: readonly PairedVectors[], options: GateOptions): GateResult {
  const gated = vectors.filter((v) => options.metrics.includes(v.metric) && v.a.length > 0);
  const tested = gated.filter((v) => !isConstant(v.a, v.b));
  const prepared = tested.map((v) => {
    const { higherIsBetter } = metricInfo(v.metric);
    const binary = metricInfo(v.metric).binary && isZeroOne(v.a) && isZeroOne(v.b);
    const sign = higherIsBetter ? 1 : -1;
    // Oriented so that positive is better; bounds are mapped back to the metric's direction below.
    const d = v.b.map((y, i) => sign * (y - (v.a[i] as number)));
    const s = summarizeDifferences(d, binary);
    return { v, binary, sign, s, p: pBelow(s, 0) };
  });
  const m = prepared.length;
  const levels = holmLevels(
    prepared.map((x) => x.p),
    options.alpha,
  );
  const adjusted = holmAdjust(prepared.map((x) => x.p));
  const firstStep = m > 0 ? options.alpha / m : options.alpha;
  const warnings: string[] = [];

  const metrics = prepared.map(({ v, binary, sign, s, p }, i): GateMetric => {
    const level = levels[i] as number;
    const { lower, upper } = oneSidedBounds(s, level);
    const verdict = verdictOf(lower, upper, options.margin);
    const sd = designSd(s, v.a, binary);
    const mde = sd === null ? null : oneSidedMde(sd, s.n, firstStep, options.power, binary);
    const powerAtMargin = sd === null ? null : oneSidedPower(options.margin, sd, s.n, firstStep, binary);
    const questionsForMargin = sd !== null && mde !== null && mde > options.margin ? questionsForEffect(options.margin, sd, firstStep, options.power, binary) : null;
    if (mde !== null && mde > options.margin) {
      warnings.push(
        `${v.metric}: with n = ${s.n} the gate detects a drop of ${mde.toFixed(3)} (power ${options.power} at one-sided α = ${firstStep.toPrecision(3)}); a drop of the margin ${options.margin} is caught with probability ${(powerAtMargin ?? 0).toFixed(2)}. About ${questionsForMargin} questions would detect the margin.`,
      );
    }
    const failed = verdict === 'regressed' || (options.strict && verdict === 'inconclusive');
    // Back to the metric's own direction: for lower-is-better metrics the worst case is the upper end.
    const [lo, hi] = sign > 0 ? [lower, upper] : [-upper, -lower];
    return {
      metric: v.metric,
      n: s.n,
      conditional: isConditional(v.metric),
      baseline: mean(v.a),
      candidate: mean(v.b),
      diff: sign * s.mean,
      level,
      lower: lo,
      upper: hi,
      pValue: p,
      pAdjusted: adjusted[i] as number,
      mde,
      powerAtMargin,
      questionsForMargin,
      verdict,
      failed,
    };
  });
  const constant = gated.filter((v) => isConstant(v.a, v.b));
  for (const v of constant) warnings.push(`${v.metric} is ${v.a[0]} on every question of both runs (constant by construction?): left out of the gate.`);
  const missing = options.metrics.filter((name) => !gated.some((v) => v.metric === name));
  if (missing.length > 0) warnings.push(`gated metric(s) not in these runs: ${missing.join(', ')}.`);
  const constantRows = constant.map(
    (v): GateMetric => ({
      metric: v.metric,
      n: v.a.length,
      conditional: isConditional(v.metric),
      baseline: mean(v.a),
      candidate: mean(v.b),
      diff: 0,
      level: Number.NaN,
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
    metrics: [...metrics, ...constantRows],
    warnings,
    failed: metrics.some((x) => x.failed),
  };
}
