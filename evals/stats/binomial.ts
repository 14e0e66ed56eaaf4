// Exact Binomial(n, 1/2) tail used by the exact McNemar test.
import { assertInteger } from './validate.ts';

/**
 * P(X <= k) for X ~ Binomial(n, 1/2), computed relative to the largest summed
 * term so it neither underflows (2^-n) nor overflows (C(n, k)) for large n.
 */
export function binomialHalfCdf(k: number, n: number): number {
  assertInteger('n', n, 0);
  assertInteger('k', k, 0, n);
  if (2 * k >= n) return 1 - binomialHalfCdfBelowHalf(n - k - 1, n);
  return binomialHalfCdfBelowHalf(k, n);
}

/** Requires k < n / 2, where pmf is increasing on [0, k], so pmf(k) is the largest term. */
function binomialHalfCdfBelowHalf(k: number, n: number): number {
  if (k < 0) return 0;
  const pmfK = binomialHalfPmf(k, n);
  // sum_{j<=k} pmf(j) / pmf(k), using pmf(j-1) / pmf(j) = j / (n - j + 1).
  let ratio = 1;
  let sum = 1;
  for (let j = k; j >= 1; j--) {
    ratio *= j / (n - j + 1);
    sum += ratio;
    if (ratio < Number.EPSILON * 1e-3 * sum) break;
  }
  return pmfK * sum;
}

function binomialHalfPmf(k: number, n: number): number {
  if (n <= 1000) {
    // C(n - k + i, i) is an integer at every step (exact while < 2^53) and 2^-n is
    // exact for n <= 1022, so small cases come out exact.
    let c = 1;
    for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
    return c * 2 ** -n;
  }
  // log C(n, k) = sum_{i=1..k} log((n - k + i) / i); avoids overflow / underflow.
  let logPmf = -n * Math.LN2;
  for (let i = 1; i <= k; i++) logPmf += Math.log((n - k + i) / i);
  return Math.exp(logPmf);
}

/**
 * Two-sided exact binomial test p-value at p0 = 1/2 for k successes in n trials.
 * Symmetric null, so p = min(1, 2 P(X <= min(k, n - k))); identical to
 * scipy.stats.binomtest(k, n, 0.5, alternative='two-sided').pvalue.
 */
export function binomialHalfTwoSidedP(k: number, n: number): number {
  assertInteger('n', n, 0);
  assertInteger('k', k, 0, n);
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfCdf(Math.min(k, n - k), n));
}
