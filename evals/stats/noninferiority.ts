// One-sided tests and bounds on a paired mean difference, normal approximation, dual by construction:
// a bound at one-sided level a excludes c exactly when the matching one-sided p-value is below a.
//   SE = sd(d) / sqrt(n) (sd with n - 1); for 0/1 metrics the bounds widen by the continuity correction 1/n
//   (Edwards), which keeps the test close to exact McNemar when few questions differ.
// Upper bound U = mean + cc + z_{1-a} SE   (regression shown when U < 0)
// Lower bound L = mean - cc - z_{1-a} SE   (non-inferiority shown when L > -margin)
import { mean, sampleVariance } from './moments.ts';
import { normalCdf, normalPpf } from './normal.ts';
import { assertFiniteArray, assertNonEmpty, assertOpenUnit } from './validate.ts';

export interface PairedMeanSummary {
  n: number;
  /** Mean of the differences. */
  mean: number;
  /** Standard error of the mean difference (0 when every difference is equal). */
  se: number;
  /** Continuity correction added to both bounds (1/n for 0/1 data, else 0). */
  cc: number;
}

export function summarizeDifferences(d: readonly number[], binary: boolean): PairedMeanSummary {
  assertNonEmpty('d', d);
  assertFiniteArray('d', d);
  const n = d.length;
  const se = n > 1 ? Math.sqrt(sampleVariance(d) / n) : 0;
  return { n, mean: mean(d), se, cc: binary ? 1 / n : 0 };
}

/** One-sided (1 - a) bounds on the mean difference. */
export function oneSidedBounds(s: PairedMeanSummary, a: number): { lower: number; upper: number } {
  assertOpenUnit('a', a);
  const half = s.cc + normalPpf(1 - a) * s.se;
  return { lower: s.mean - half, upper: s.mean + half };
}

/** p-value of H0: mean >= c against H1: mean < c (small when the difference is clearly below c). */
export function pBelow(s: PairedMeanSummary, c: number): number {
  const gap = c - s.mean - s.cc;
  if (s.se === 0) return gap > 0 ? 0 : 1;
  return normalCdf(-gap / s.se);
}

/** p-value of H0: mean <= c against H1: mean > c (non-inferiority when c = -margin). */
export function pAbove(s: PairedMeanSummary, c: number): number {
  const gap = s.mean - s.cc - c;
  if (s.se === 0) return gap > 0 ? 0 : 1;
  return normalCdf(-gap / s.se);
}

/**
 * Power of the one-sided level-a test to detect a true drop `effect` (> 0) with per-question sd of the
 * differences `sd` on n questions (normal approximation, same continuity correction as the test).
 */
export function oneSidedPower(effect: number, sd: number, n: number, a: number, binary: boolean): number {
  const cc = binary ? 1 / n : 0;
  return normalCdf(((effect - cc) * Math.sqrt(n)) / sd - normalPpf(1 - a));
}

/** Smallest drop the one-sided level-a test detects with the given power. */
export function oneSidedMde(sd: number, n: number, a: number, power: number, binary: boolean): number {
  return (binary ? 1 / n : 0) + ((normalPpf(1 - a) + normalPpf(power)) * sd) / Math.sqrt(n);
}

/** Questions needed for oneSidedMde to reach `effect` (search upward from the normal-approximation guess). */
export function questionsForEffect(effect: number, sd: number, a: number, power: number, binary: boolean): number {
  const z = normalPpf(1 - a) + normalPpf(power);
  let n = Math.max(2, Math.ceil(((z * sd) / effect) ** 2));
  while (oneSidedMde(sd, n, a, power, binary) > effect && n < 1e7) n++;
  return n;
}
