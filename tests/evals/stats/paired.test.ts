import { describe, expect, it } from 'vitest';
import { bootstrapCi } from '../../../evals/stats/bootstrap.ts';
import { pairedBootstrap, pairedBootstraps, pairedPermutationTest } from '../../../evals/stats/paired.ts';
import { expectClose, freshBootstrapCi, reference } from './helpers.ts';

describe('pairedBootstrap', () => {
  const [scores] = reference.permutationExact;
  const a = scores!.a;
  const b = scores!.b;

  it('is the bootstrap of the per-question differences b - a', () => {
    const d = b.map((x, i) => x - a[i]!);
    const { mean, lo, hi } = bootstrapCi(d, { seed: 3 });
    expect(pairedBootstrap(a, b, { seed: 3 })).toEqual({ meanDiff: mean, lo, hi });
  });

  it('reports mean(b - a) and brackets it; swapping a and b mirrors the interval', () => {
    const ci = pairedBootstrap(a, b);
    expectClose(ci.meanDiff, scores!.meanDiff, 1e-14);
    expect(ci.lo).toBeLessThan(ci.meanDiff);
    expect(ci.hi).toBeGreaterThan(ci.meanDiff);
    const flipped = pairedBootstrap(b, a);
    expectClose(flipped.lo, -ci.hi, 1e-12);
    expectClose(flipped.hi, -ci.lo, 1e-12);
  });

  it('pairedBootstraps gives each pair exactly what pairedBootstrap gives it alone', () => {
    const pairs = [
      { a, b },
      { a: b, b: a },
      { a: a.slice(0, 7), b: b.slice(0, 7) },
    ];
    const alone = pairs.map((p) =>
      freshBootstrapCi(
        p.b.map((x, i) => x - p.a[i]!),
        { seed: 4, resamples: 2000 },
      ),
    );
    expect(pairedBootstraps(pairs, { seed: 4, resamples: 2000 })).toEqual(alone.map(({ mean, lo, hi }) => ({ meanDiff: mean, lo, hi })));
  });

  it('is reproducible per seed', () => {
    const { mean, lo, hi } = freshBootstrapCi(
      b.map((x, i) => x - a[i]!),
      { seed: 9 },
    );
    expect(pairedBootstrap(a, b, { seed: 9 })).toEqual({ meanDiff: mean, lo, hi });
    expect(pairedBootstrap(a, b, { seed: 9 })).not.toEqual(pairedBootstrap(a, b, { seed: 10 }));
  });

  it('throws on different lengths or empty input', () => {
    expect(() => pairedBootstrap([1, 2], [1])).toThrow(/same length/);
    expect(() => pairedBootstrap([], [])).toThrow(RangeError);
  });
});

describe('pairedPermutationTest', () => {
  it.each(reference.permutationExact)('exact p-value matches scipy / enumeration ($name)', (ref) => {
    const res = pairedPermutationTest(ref.a, ref.b);
    expect(res.exact).toBe(true);
    expectClose(res.meanDiff, ref.meanDiff, 1e-12, 1e-15);
    expectClose(res.pValue, ref.pValue, 1e-12);
  });

  it('hand-computed: d = [1, 2] has sums {3, 1, -1, -3}, so p = 2/4', () => {
    expect(pairedPermutationTest([0, 0], [1, 2])).toEqual({ meanDiff: 1.5, pValue: 0.5, exact: true });
  });

  it('hand-computed: 5 same-sign unit differences give p = 2/32; zero differences are irrelevant', () => {
    const a = [0, 0, 0, 0, 0];
    const b = [1, 1, 1, 1, 1];
    expect(pairedPermutationTest(a, b).pValue).toBe(0.0625);
    expect(pairedPermutationTest([...a, 1, 1, 0], [...b, 1, 1, 0]).pValue).toBe(0.0625);
  });

  it('returns p = 1 when all differences are zero', () => {
    expect(pairedPermutationTest([0.2, 0.4], [0.2, 0.4])).toEqual({ meanDiff: 0, pValue: 1, exact: true });
  });

  it('enumerates exactly up to 20 nonzero differences', () => {
    const a = new Array<number>(20).fill(0);
    const b = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (1 + (i % 4)));
    const res = pairedPermutationTest(a, b);
    expect(res.exact).toBe(true);
    // Exact p-values are multiples of 2^-20.
    expect(Number.isInteger(res.pValue * 2 ** 20)).toBe(true);
  });

  it('also enumerates when 2^m <= resamples', () => {
    const mc = reference.permutationMonteCarlo; // 25 nonzero differences
    const res = pairedPermutationTest(mc.a, mc.b, { resamples: 2 ** 25 });
    expect(res.exact).toBe(true);
    expectClose(res.pValue, mc.exactPValue, 1e-12);
  });

  describe('Monte-Carlo branch (25 nonzero differences)', () => {
    const mc = reference.permutationMonteCarlo;

    it('is close to the exact (DP) p-value and uses the +1 correction', () => {
      const resamples = 20000;
      const res = pairedPermutationTest(mc.a, mc.b, { resamples, seed: 1 });
      expect(res.exact).toBe(false);
      expectClose(res.meanDiff, mc.meanDiff, 1e-14);
      // p = (count + 1) / (R + 1) for an integer count.
      const count = res.pValue * (resamples + 1) - 1;
      expect(Math.abs(count - Math.round(count))).toBeLessThan(1e-6);
      const se = Math.sqrt((mc.exactPValue * (1 - mc.exactPValue)) / resamples);
      expect(Math.abs(res.pValue - mc.exactPValue)).toBeLessThan(4 * se);
    });

    it('is reproducible per seed and uses seed 42 / 10000 resamples by default', () => {
      const r1 = pairedPermutationTest(mc.a, mc.b, { seed: 4 });
      expect(pairedPermutationTest(mc.a, mc.b, { seed: 4 })).toEqual(r1);
      expect(pairedPermutationTest(mc.a, mc.b, { seed: 5 }).pValue).not.toBe(r1.pValue);
      expect(pairedPermutationTest(mc.a, mc.b)).toEqual(pairedPermutationTest(mc.a, mc.b, { seed: 42, resamples: 10000 }));
    });

    it('never returns p = 0: a huge effect gives exactly 1 / (R + 1)', () => {
      const a = new Array<number>(40).fill(0);
      const b = new Array<number>(40).fill(1);
      expect(pairedPermutationTest(a, b, { resamples: 999 })).toEqual({ meanDiff: 1, pValue: 1 / 1000, exact: false });
    });
  });

  it('throws on different lengths, empty input and bad options', () => {
    expect(() => pairedPermutationTest([1, 2, 3], [1, 2])).toThrow(/same length/);
    expect(() => pairedPermutationTest([], [])).toThrow(RangeError);
    expect(() => pairedPermutationTest([1], [2], { resamples: 0 })).toThrow(RangeError);
    expect(() => pairedPermutationTest([1], [Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});
