import { describe, expect, it } from 'vitest';
import { auroc, pairedAurocBootstrap } from '../../../evals/stats/auroc.ts';
import { createRng } from '../../../evals/stats/rng.ts';

/** The definition: share of (positive, negative) pairs ordered right, ties half. */
function byPairs(pos: readonly number[], neg: readonly number[]): number {
  let s = 0;
  for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

describe('auroc', () => {
  it('is 1 for a perfect separation, 0 reversed, ½ for all ties', () => {
    expect(auroc([3, 4], [1, 2])).toBe(1);
    expect(auroc([1, 2], [3, 4])).toBe(0);
    expect(auroc([1, 1], [1])).toBe(0.5);
  });

  it('equals the pair count on random scores with ties', () => {
    const rng = createRng(7);
    const pos = Array.from({ length: 37 }, () => rng.int(10));
    const neg = Array.from({ length: 11 }, () => rng.int(8));
    expect(auroc(pos, neg)).toBeCloseTo(byPairs(pos, neg), 12);
  });

  it('refuses an empty group', () => {
    expect(() => auroc([], [1])).toThrow(RangeError);
  });
});

describe('pairedAurocBootstrap', () => {
  const rng = createRng(11);
  const positive = Array.from({ length: 60 }, (_, i) => i % 4 !== 0);
  const a = positive.map((p) => rng.next() + (p ? 0.2 : 0));
  const b = positive.map((p, i) => (a[i] as number) + (p ? 0.3 : 0));

  it('brackets each AUROC and their difference, which is b − a', () => {
    const r = pairedAurocBootstrap(a, b, positive, { resamples: 500, seed: 1 });
    const pos = (s: number[]) => s.filter((_, i) => positive[i]);
    const neg = (s: number[]) => s.filter((_, i) => !positive[i]);
    expect(r.a.auroc).toBe(auroc(pos(a), neg(a)));
    expect(r.b.auroc).toBe(auroc(pos(b), neg(b)));
    expect(r.diff.auroc).toBeCloseTo(r.b.auroc - r.a.auroc, 12);
    for (const ci of [r.a, r.b, r.diff]) {
      expect(ci.lo).toBeLessThanOrEqual(ci.auroc);
      expect(ci.hi).toBeGreaterThanOrEqual(ci.auroc);
    }
    // b only ever raises the positives: every resample's difference is >= 0.
    expect(r.diff.lo).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible for a seed and moves with it', () => {
    const one = pairedAurocBootstrap(a, b, positive, { resamples: 300, seed: 5 });
    expect(pairedAurocBootstrap(a, b, positive, { resamples: 300, seed: 5 })).toEqual(one);
    expect(pairedAurocBootstrap(a, b, positive, { resamples: 300, seed: 6 }).a.lo).not.toBe(one.a.lo);
  });
});
