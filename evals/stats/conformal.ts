// Split-conformal threshold for selective answering (Vovk et al. 2005; Angelopoulos & Bates, "A Gentle
// Introduction to Conformal Prediction", 2021, section 1). The scores are a system's confidences on questions
// it should decline; the threshold makes a new such question's chance of being answered at most `target`.
import { assertInteger } from './validate.ts';

export interface ConformalThreshold {
  /** Answer only when the confidence is >= this: the smallest value on the grid strictly above `scoreAtRank`. */
  threshold: number;
  /** k = ⌈(n + 1)(1 − target)⌉: the threshold sits just above the k-th smallest score. */
  rank: number;
  scoreAtRank: number;
  n: number;
  target: number;
  /**
   * P(a new exchangeable score >= threshold) <= 1 − k/(n + 1) <= target, marginally over the calibration draw;
   * with no ties it equals 1 − k/(n + 1), which exceeds target − 1/(n + 1).
   */
  bound: number;
}

/** k = ⌈(n + 1)(1 − target)⌉, or undefined when k > n: too few scores for any finite threshold to keep the bound. */
export function conformalRank(n: number, target: number): number | undefined {
  assertInteger('n', n, 0);
  if (!(target > 0 && target < 1)) throw new RangeError(`target must be in (0, 1), got ${target}`);
  // The epsilon keeps (n + 1)(1 − target) = 42.000000000000004 from rounding up to 43.
  const k = Math.ceil((n + 1) * (1 - target) - 1e-9);
  return k <= n ? k : undefined;
}

/** Fewest scores with a finite threshold for `target`: n >= ⌈1/target⌉ − 1. */
export function minimumScores(target: number): number {
  for (let n = 0; ; n++) if (conformalRank(n, target) !== undefined) return n;
}

/**
 * The split-conformal threshold over `scores` for `target`, on a grid of `decimals` places (rounded up, so the
 * stored number is readable and still above the k-th score); undefined when there are too few scores.
 */
export function conformalThreshold(scores: readonly number[], target: number, decimals = 4): ConformalThreshold | undefined {
  const n = scores.length;
  const rank = conformalRank(n, target);
  if (rank === undefined) return undefined;
  const sorted = [...scores].sort((a, b) => a - b);
  const scoreAtRank = sorted[rank - 1] as number;
  const scale = 10 ** decimals;
  let threshold = Math.ceil(scoreAtRank * scale) / scale;
  if (threshold <= scoreAtRank) threshold = (Math.round(scoreAtRank * scale) + 1) / scale;
  return { threshold, rank, scoreAtRank, n, target, bound: 1 - rank / (n + 1) };
}

/**
 * Where the count of m new exchangeable scores at or above the threshold lands, over draws of the calibration set
 * too: Beta-binomial(m, n − k + 1, k) for continuous scores (Angelopoulos & Bates 2021, section 3.2). The bound is
 * only its mean over m; one calibration set and one test set of 55 scatter around it by several points.
 * Returns the central interval of counts holding at least `level` of the probability.
 */
export function conformalPredictiveInterval(n: number, rank: number, m: number, level = 0.95): { lo: number; hi: number; mean: number } {
  assertInteger('n', n, 1);
  assertInteger('rank', rank, 1, n);
  assertInteger('m', m, 1);
  const a = n - rank + 1;
  const b = rank;
  // pmf(0) = B(a, m + b) / B(a, b) = prod_{i<m} (b + i) / (a + b + i); then the ratio pmf(x + 1) / pmf(x).
  let p = 1;
  for (let i = 0; i < m; i++) p *= (b + i) / (a + b + i);
  const pmf = [p];
  for (let x = 0; x < m; x++) {
    p *= ((m - x) / (x + 1)) * ((x + a) / (m - x - 1 + b));
    pmf.push(p);
  }
  const tail = (1 - level) / 2;
  let cdf = 0;
  let lo = 0;
  let hi = m;
  let foundLo = false;
  for (const [x, q] of pmf.entries()) {
    cdf += q;
    if (!foundLo && cdf > tail) {
      lo = x;
      foundLo = true;
    }
    if (cdf >= 1 - tail) {
      hi = x;
      break;
    }
  }
  return { lo, hi, mean: (m * a) / (a + b) };
}
