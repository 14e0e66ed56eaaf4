import { describe, expect, it } from 'vitest';
import { bootstrapCi, bootstrapCis } from '../../../evals/stats/bootstrap.ts';
import { zTwoSided } from '../../../evals/stats/normal.ts';
import { createRng } from '../../../evals/stats/rng.ts';
import { freshBootstrapCi, reference } from './helpers.ts';

describe('bootstrapCi', () => {
  it.each(reference.bootstrap)('matches the Python mirror bit for bit (n = $values.length, R = $resamples, seed = $seed, level = $level)', ({ values, resamples, seed, level, mean, lo, hi }) => {
    expect(bootstrapCi(values, { resamples, seed, level })).toEqual({ mean, lo, hi });
  });

  const sample = Array.from({ length: 60 }, (_, i) => ((i * 37) % 11) / 10);

  it('is reproducible: same seed gives identical numbers, another seed differs', () => {
    const a = bootstrapCi(sample, { seed: 5 });
    expect(freshBootstrapCi(sample, { seed: 5 })).toEqual(a);
    const b = bootstrapCi(sample, { seed: 6 });
    expect(b.mean).toBe(a.mean);
    expect([b.lo, b.hi]).not.toEqual([a.lo, a.hi]);
  });

  it('uses seed 42, 10000 resamples and level 0.95 by default', () => {
    expect(bootstrapCi(sample)).toEqual(bootstrapCi(sample, { seed: 42, resamples: 10000, level: 0.95 }));
  });

  it('brackets the sample mean, and a higher level gives a wider interval', () => {
    const ci95 = bootstrapCi(sample);
    const ci80 = bootstrapCi(sample, { level: 0.8 });
    expect(ci95.lo).toBeLessThan(ci95.mean);
    expect(ci95.hi).toBeGreaterThan(ci95.mean);
    expect(ci95.lo).toBeLessThanOrEqual(ci80.lo);
    expect(ci95.hi).toBeGreaterThanOrEqual(ci80.hi);
  });

  it('n = 1 gives a degenerate interval at the value', () => {
    expect(bootstrapCi([0.37])).toEqual({ mean: 0.37, lo: 0.37, hi: 0.37 });
  });

  it('constant input gives a (numerically) degenerate interval', () => {
    const ci = bootstrapCi(new Array<number>(25).fill(0.1), { resamples: 500 });
    expect(ci.lo).toBeCloseTo(0.1, 15);
    expect(ci.hi).toBeCloseTo(0.1, 15);
  });

  it('hand-computed: two points, every resample mean is 0, 0.5 or 1', () => {
    const ci = bootstrapCi([0, 1], { resamples: 2000, seed: 1 });
    expect(ci.mean).toBe(0.5);
    // P(mean = 0) = P(mean = 1) = 1/4 > 2.5%, so both percentiles land on the extremes.
    expect(ci.lo).toBe(0);
    expect(ci.hi).toBe(1);
  });

  it('bootstrapCis gives each vector exactly what bootstrapCi gives it alone (shared resamples per length)', () => {
    const vectors = [sample, sample.map((x) => x * x), sample.slice(0, 17), [0, 1, 1, 0, 1], sample.map((x) => (x > 0.5 ? 1 : 0))];
    const opts = { resamples: 3000, seed: 9, level: 0.9 };
    expect(bootstrapCis(vectors, opts)).toEqual(vectors.map((v) => freshBootstrapCi(v, opts)));
    expect(() => bootstrapCis([sample, []])).toThrow(/must not be empty/);
  });

  it('a CI kept from an earlier call is the one computed afresh, for the exact values and options only', () => {
    const fresh = (values: number[], resamples: number, seed: number, level: number) => freshBootstrapCi(values, { resamples, seed, level });
    const v = [0.25, 1, 0, 0.5, 1, 0.75, 0];
    const w = [1, 0, 1];
    const first = bootstrapCis([v, w, v], { resamples: 500, seed: 3 });
    expect(first).toEqual([fresh(v, 500, 3, 0.95), fresh(w, 500, 3, 0.95), fresh(v, 500, 3, 0.95)]);
    // Kept now: the same again, and each other option or value is its own CI.
    expect(bootstrapCis([w, v], { resamples: 500, seed: 3 })).toEqual([first[1], first[0]]);
    expect(bootstrapCi(v, { resamples: 500, seed: 4 })).toEqual(fresh(v, 500, 4, 0.95));
    expect(bootstrapCi(v, { resamples: 501, seed: 3 })).toEqual(fresh(v, 501, 3, 0.95));
    expect(bootstrapCi(v, { resamples: 500, seed: 3, level: 0.8 })).toEqual(fresh(v, 500, 3, 0.8));
    const nudged = [...v.slice(0, -1), Number.MIN_VALUE];
    expect(bootstrapCi(nudged, { resamples: 500, seed: 3 })).toEqual(fresh(nudged, 500, 3, 0.95));
    // A caller changing what it got does not change what is kept.
    (first[0] as { lo: number }).lo = -1;
    expect(bootstrapCi(v, { resamples: 500, seed: 3 })).toEqual(fresh(v, 500, 3, 0.95));
    // Past the bound the oldest are dropped and computed again, with the same numbers.
    bootstrapCis(
      Array.from({ length: 4100 }, (_, i) => [i, 1]),
      { resamples: 2, seed: 3 },
    );
    expect(bootstrapCi(v, { resamples: 500, seed: 3 })).toEqual(fresh(v, 500, 3, 0.95));
  });

  it('throws a RangeError on empty input or invalid options', () => {
    expect(() => bootstrapCi([])).toThrow(/must not be empty/);
    expect(() => bootstrapCi([1, Number.NaN])).toThrow(RangeError);
    expect(() => bootstrapCi([1, 2], { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapCi([1, 2], { level: 1 })).toThrow(RangeError);
    expect(() => bootstrapCi([1, 2], { seed: 0.5 })).toThrow(RangeError);
  });

  it('on a large sample, the width is close to the normal-theory width', () => {
    const rng = createRng(99);
    const n = 2000;
    const x = Array.from({ length: n }, () => rng.next());
    const m = x.reduce((s, v) => s + v, 0) / n;
    // The bootstrap distribution of the mean has the plug-in (ddof = 0) variance / n.
    const sdPlugin = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / n);
    const normalWidth = 2 * zTwoSided(0.05) * (sdPlugin / Math.sqrt(n));
    const ci = bootstrapCi(x, { resamples: 4000, seed: 3 });
    expect((ci.hi - ci.lo) / normalWidth).toBeGreaterThan(0.95);
    expect((ci.hi - ci.lo) / normalWidth).toBeLessThan(1.05);
  });

  it('covers the true mean of Bernoulli(0.7), n = 40, about 95% of the time', () => {
    const rng = createRng(11);
    const trials = 400;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const x = Array.from({ length: 40 }, () => (rng.next() < 0.7 ? 1 : 0));
      const ci = bootstrapCi(x, { resamples: 1000, seed: t });
      if (ci.lo <= 0.7 && 0.7 <= ci.hi) covered++;
    }
    // Percentile bootstrap slightly under-covers at small n; binomial SE of the estimate is ~1.1%.
    expect(covered / trials).toBeGreaterThan(0.9);
    expect(covered / trials).toBeLessThan(0.99);
  });
});
