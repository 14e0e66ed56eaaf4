// Percentile bootstrap CI of the mean. Resampled means are sorted and cut with
// the type-7 (numpy 'linear') quantile at (1 - level)/2 and (1 + level)/2.

import { mean } from './moments.ts';
import { quantileSorted } from './quantile.ts';
import { drawRows } from './rng.ts';
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
  return bootstrapMeansShared([values], resamples, seed)[0] as Float64Array;
}

/**
 * bootstrapMeans of several equal-length vectors in one pass. The resample indices depend only on
 * (n, resamples, seed), so every vector sees the same resamples it would see alone: each result equals
 * bootstrapMeans(vector) bit for bit, and the random draws are paid once instead of once per metric.
 */
export function bootstrapMeansShared(vectors: readonly (readonly number[])[], resamples: number, seed: number): Float64Array[] {
  const n = vectors[0]?.length ?? 0;
  if (vectors.some((v) => v.length !== n)) throw new RangeError('bootstrapMeansShared: vectors must have the same length');
  const columns = vectors.map((v) => Float64Array.from(v));
  const means = vectors.map(() => new Float64Array(resamples));
  const resample = drawRows(n, seed, resamples, n);
  // The hot loop of every eval: resamples × n × metrics additions (~25M for 200 questions and 18 metrics).
  // Four columns per pass over the picks: one sum waits on each of its additions, while four independent sums
  // are added side by side. Each is still summed left to right alone, so every mean is the same bit for bit.
  const blocks = columns.length - (columns.length % 4);
  for (let r = 0; r < resamples; r++) {
    const picks = resample(r);
    for (let m = 0; m < blocks; m += 4) {
      const [c0, c1, c2, c3] = columns.slice(m, m + 4) as [Float64Array, Float64Array, Float64Array, Float64Array];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < n; i++) {
        const p = picks[i] as number;
        s0 += c0[p] as number;
        s1 += c1[p] as number;
        s2 += c2[p] as number;
        s3 += c3[p] as number;
      }
      (means[m] as Float64Array)[r] = s0 / n;
      (means[m + 1] as Float64Array)[r] = s1 / n;
      (means[m + 2] as Float64Array)[r] = s2 / n;
      (means[m + 3] as Float64Array)[r] = s3 / n;
    }
    for (let m = blocks; m < columns.length; m++) {
      const column = columns[m] as Float64Array;
      let s = 0;
      for (let i = 0; i < n; i++) s += column[picks[i] as number] as number;
      (means[m] as Float64Array)[r] = s / n;
    }
  }
  return means.map((m) => m.sort());
}

/**
 * Percentile bootstrap CI for the mean.
 * Throws RangeError on an empty or non-finite input (a CI of nothing is an error
 * in an eval pipeline, not a NaN to propagate). n = 1 gives lo = hi = mean.
 */
export function bootstrapCi(values: readonly number[], opts: BootstrapOptions = {}): MeanCi {
  return bootstrapCis([values], opts)[0] as MeanCi;
}

/** CIs kept by bootstrapCis, most recently used last; at most this many (a key is ~8 bytes per value). */
const KEPT_CIS = 4096;
const keptCis = new Map<string, MeanCi>();

/**
 * bootstrapCi of each vector; vectors of equal length share their resamples (same numbers, one pass). A CI
 * depends only on the vector's values and the options, so each one is kept, keyed by exactly those (the values'
 * bytes, so -0 and every last bit count), and an identical vector later in the process (a grid's runs share
 * many metric columns, and its comparisons many difference vectors) gets the same CI without resampling.
 */
export function bootstrapCis(vectors: readonly (readonly number[])[], opts: BootstrapOptions = {}): MeanCi[] {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const seed = opts.seed ?? DEFAULT_SEED;
  const level = opts.level ?? DEFAULT_LEVEL;
  for (const values of vectors) {
    assertNonEmpty('values', values);
    assertFiniteArray('values', values);
  }
  assertInteger('resamples', resamples, 1);
  assertOpenUnit('level', level);

  const keys = vectors.map((values) => `${resamples}/${seed}/${level}/${Buffer.from(Float64Array.from(values).buffer).toString('latin1')}`);
  // One vector per key not kept yet, grouped by length.
  const missing = new Map<string, readonly number[]>();
  for (const [i, key] of keys.entries()) if (!keptCis.has(key)) missing.set(key, vectors[i] as readonly number[]);
  const tail = (1 - level) / 2;
  for (const n of new Set([...missing.values()].map((v) => v.length))) {
    const group = [...missing].filter(([, v]) => v.length === n);
    const sorted = bootstrapMeansShared(
      group.map(([, v]) => v),
      resamples,
      seed,
    );
    for (const [j, [key, values]] of group.entries()) {
      const means = sorted[j] as Float64Array;
      keptCis.set(key, { mean: mean(values), lo: quantileSorted(means, tail), hi: quantileSorted(means, 1 - tail) });
    }
  }
  const out = keys.map((key) => {
    const ci = keptCis.get(key) as MeanCi;
    // Most recently used last, so the oldest is dropped first.
    keptCis.delete(key);
    keptCis.set(key, ci);
    return { ...ci };
  });
  for (const key of keptCis.keys()) {
    if (keptCis.size <= KEPT_CIS) break;
    keptCis.delete(key);
  }
  return out;
}
