// Percentile bootstrap CI of the mean. Resampled means are sorted and cut with
// the type-7 (numpy 'linear') quantile at (1 - level)/2 and (1 + level)/2.

import { mean } from './moments.ts';
import { quantileSorted } from './quantile.ts';
import { createRng } from './rng.ts';
import { assertFiniteArray, assertInteger, assertNonEmpty, assertOpenUnit } from './validate.ts';

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 10000). */
  resamples?: number;
  /** PRNG seed (default 42); same seed and input give bit-identical output. */
  seed?: number;
  /** Two-sided confidence level in (0, 1) (default 0.95). */
  level?: number;
}

export interface MeanCi {
  mean: number;
  lo: number;
  hi: number;
}

export const DEFAULT_RESAMPLES = 10000;
export const DEFAULT_SEED = 42;
export const DEFAULT_LEVEL = 0.95;

/** Sorted means of `resamples` with-replacement resamples of `values` (same length). */
export function bootstrapMeans(values: readonly number[], resamples: number, seed: number): Float64Array {
  const n = values.length;
  const rng = createRng(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.int(n)] as number;
    means[r] = s / n;
  }
  return means.sort();
}

/**
 * Percentile bootstrap CI for the mean.
 * Throws RangeError on an empty or non-finite input (a CI of nothing is an error
 * in an eval pipeline, not a NaN to propagate). n = 1 gives lo = hi = mean.
 */
export function bootstrapCi(values: readonly number[], opts: BootstrapOptions = {}): MeanCi {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const seed = opts.seed ?? DEFAULT_SEED;
  const level = opts.level ?? DEFAULT_LEVEL;
  assertNonEmpty('values', values);
  assertFiniteArray('values', values);
  assertInteger('resamples', resamples, 1);
  assertOpenUnit('level', level);

  const means = bootstrapMeans(values, resamples, seed);
  const tail = (1 - level) / 2;
  return {
    mean: mean(values),
    lo: quantileSorted(means, tail),
    hi: quantileSorted(means, 1 - tail),
  };
}
