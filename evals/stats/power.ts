// Power / minimum detectable effect, normal approximation, two-sided test:
//   MDE = (z_{1-alpha/2} + z_{power}) * sd / sqrt(n),   n = ceil(((z_{1-alpha/2} + z_{power}) * sd / effect)^2).
// Ignores the (negligible for power >= 0.5) rejection probability in the wrong
// tail and uses a known sd, so small-n answers are optimistic (no t correction).
import { normalPpf, zTwoSided } from './normal.ts';
import { assertInteger, assertOpenUnit, assertPositiveFinite } from './validate.ts';

export interface PowerOptions {
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Desired power 1 - beta (default 0.8). */
  power?: number;
}

/** z_{1-alpha/2} + z_{power}. */
export function zSum(opts: PowerOptions = {}): number {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  assertOpenUnit('alpha', alpha);
  assertOpenUnit('power', power);
  const z = zTwoSided(alpha) + normalPpf(power);
  if (!(z > 0)) throw new RangeError(`power ${power} is too low for alpha ${alpha}: z sum must be positive`);
  return z;
}

/** Bernoulli sd sqrt(p(1 - p)) of a 0/1 metric at baseline rate p. */
function bernoulliSd(p: number): number {
  assertOpenUnit('baselineP', p);
  return Math.sqrt(p * (1 - p));
}

/** Smallest mean difference detectable with n questions for a metric (or paired difference) with this sd. */
export function mdeMean(n: number, sd: number, opts: PowerOptions = {}): number {
  assertInteger('n', n, 1);
  assertPositiveFinite('sd', sd);
  return (zSum(opts) * sd) / Math.sqrt(n);
}

/**
 * Smallest absolute difference in a proportion metric (hit@k, accuracy) detectable
 * with n questions, using the one-sample Bernoulli sd sqrt(p(1-p)) at the baseline p.
 * For a paired comparison the true sd of per-question differences is
 * sqrt(p01 + p10 - (p01 - p10)^2); it is smaller when the two systems mostly agree,
 * so this is conservative for highly correlated systems. Prefer mdeMean with the
 * observed sd of differences once you have paired data.
 */
export function mdeProportion(n: number, baselineP: number, opts: PowerOptions = {}): number {
  return mdeMean(n, bernoulliSd(baselineP), opts);
}

/** Questions needed to detect a mean difference `effect` (absolute) with sd `sd`. */
export function sampleSizeForEffect(effect: number, sd: number, opts: PowerOptions = {}): number {
  assertPositiveFinite('effect', Math.abs(effect));
  assertPositiveFinite('sd', sd);
  const ratio = (zSum(opts) * sd) / Math.abs(effect);
  return Math.ceil(ratio * ratio);
}

/**
 * Questions needed to detect an absolute `drop` from baseline proportion p,
 * e.g. sampleSizeForProportionDrop(0.8, 0.03) for a 3-point drop in hit@5 at 0.8.
 * Uses sd = sqrt(p(1-p)) at the baseline (same approximation as mdeProportion).
 */
export function sampleSizeForProportionDrop(p: number, drop: number, opts: PowerOptions = {}): number {
  const sd = bernoulliSd(p);
  if (!(drop > 0 && drop <= p)) throw new RangeError(`drop must be in (0, p], got ${String(drop)}`);
  return sampleSizeForEffect(drop, sd, opts);
}
