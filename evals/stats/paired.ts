// Paired comparison of a baseline `a` and candidate `b` scored on the same
// questions. Everything works on the per-question differences d = b - a.
import { type BootstrapOptions, bootstrapCis, DEFAULT_RESAMPLES, DEFAULT_SEED } from './bootstrap.ts';
import { mean } from './moments.ts';
import { drawRows } from './rng.ts';
import { assertFiniteArray, assertInteger, assertNonEmpty, assertSameLength } from './validate.ts';

export interface PairedCi {
  /** mean(b - a) */
  meanDiff: number;
  lo: number;
  hi: number;
}

export interface PermutationOptions {
  /** Monte-Carlo sign-flip draws when exact enumeration is not used (default 10000). */
  resamples?: number;
  /** PRNG seed for the Monte-Carlo case (default 42). */
  seed?: number;
}

export interface PermutationResult {
  /** mean(b - a) */
  meanDiff: number;
  /** Two-sided p-value: P(|mean(s * d)| >= |mean(d)|) under random signs s. */
  pValue: number;
  /** true when all 2^m sign patterns were enumerated (m = number of nonzero differences). */
  exact: boolean;
}

/** Largest number of nonzero differences that is always enumerated exactly (2^20 ≈ 1M patterns). */
export const EXACT_MAX_NONZERO = 20;
/** Hard cap for enumeration requested via resamples >= 2^m (2^32 patterns takes minutes). */
const EXACT_HARD_MAX_NONZERO = 32;

export function differences(a: readonly number[], b: readonly number[]): number[] {
  assertSameLength(a, b);
  assertFiniteArray('a', a);
  assertFiniteArray('b', b);
  return b.map((bi, i) => bi - (a[i] as number));
}

/** Percentile bootstrap CI of mean(b - a), resampling questions (pairs) jointly. */
export function pairedBootstrap(a: readonly number[], b: readonly number[], opts: BootstrapOptions = {}): PairedCi {
  return pairedBootstraps([{ a, b }], opts)[0] as PairedCi;
}

/** pairedBootstrap of each pair of vectors; pairs of equal length share their resamples (as in bootstrapCis). */
export function pairedBootstraps(pairs: readonly { a: readonly number[]; b: readonly number[] }[], opts: BootstrapOptions = {}): PairedCi[] {
  const ds = pairs.map(({ a, b }) => {
    const d = differences(a, b);
    assertNonEmpty('a', d);
    return d;
  });
  return bootstrapCis(ds, opts).map(({ mean: meanDiff, lo, hi }) => ({ meanDiff, lo, hi }));
}

/**
 * Two-sided paired sign-flip randomization test of H0: the distribution of b - a
 * is symmetric about 0.
 *
 * Zero differences are dropped from the sign flips (flipping 0 changes nothing,
 * so the p-value is unaffected). With m nonzero differences:
 * - exact enumeration when m <= 20 or 2^m <= resamples (m <= 32): p = #{|T*| >= |T|} / 2^m
 *   (equals scipy.stats.permutation_test(..., permutation_type='samples') exact);
 * - otherwise Monte Carlo with the +1 correction: p = (#{|T*| >= |T|} + 1) / (resamples + 1),
 *   which is a valid (never zero) p-value.
 * Ties |T*| = |T| are detected with a tolerance covering float summation error.
 */
export function pairedPermutationTest(a: readonly number[], b: readonly number[], opts: PermutationOptions = {}): PermutationResult {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const seed = opts.seed ?? DEFAULT_SEED;
  assertInteger('resamples', resamples, 1);
  const d = differences(a, b);
  assertNonEmpty('a', d);

  const meanDiff = mean(d);
  const nz = d.filter((x) => x !== 0);
  const m = nz.length;
  if (m === 0) return { meanDiff, pValue: 1, exact: true };

  // Compare sums, not means: the 1/n factor is common to all patterns.
  let observed = 0;
  let sumAbs = 0;
  for (const x of nz) {
    observed += x;
    sumAbs += Math.abs(x);
  }
  // Each sum carries at most ~(m - 1) eps sum|d| rounding error.
  const threshold = Math.abs(observed) - 4 * m * Number.EPSILON * sumAbs;

  if (m <= EXACT_MAX_NONZERO || (m <= EXACT_HARD_MAX_NONZERO && 2 ** m <= resamples)) {
    return { meanDiff, pValue: exactSignFlipCount(nz, threshold) / 2 ** m, exact: true };
  }

  const flips = drawRows(2, seed, resamples, m);
  let count = 0;
  for (let r = 0; r < resamples; r++) {
    const coins = flips(r);
    let s = 0;
    // ±x as a product with ±1 (exact, so the same sums): a branch on random coins is mispredicted half the time.
    for (let i = 0; i < m; i++) s += (1 - 2 * (coins[i] as number)) * (nz[i] as number);
    if (Math.abs(s) >= threshold) count++;
  }
  return { meanDiff, pValue: (count + 1) / (resamples + 1), exact: false };
}

/** Number of the 2^m sign patterns whose |sum| reaches the threshold. */
function exactSignFlipCount(nz: readonly number[], threshold: number): number {
  const m = nz.length;
  // A pattern and its complement give sums s and -s exactly (IEEE rounding is
  // sign-symmetric), so enumerate with the last sign fixed and double the count.
  const half = 2 ** (m - 1);
  let count = 0;
  for (let mask = 0; mask < half; mask++) {
    const s = signedSum(nz, mask);
    if (Math.abs(s) >= threshold) count++;
  }
  return 2 * count;
}

/** Sum of nz with bit i of mask flipping nz[i]; needs nz.length <= 32 (JS shifts are mod 32). */
function signedSum(nz: readonly number[], mask: number): number {
  let s = 0;
  for (let i = 0; i < nz.length; i++) s += (1 - 2 * ((mask >>> i) & 1)) * (nz[i] as number);
  return s;
}
