import { describe, expect, it } from 'vitest';
import { normalCdf, normalPpf, zTwoSided } from '../../../evals/stats/normal.ts';
import { expectClose, reference } from './helpers.ts';

describe('normalCdf', () => {
  it.each(reference.normal.cdf)('matches scipy.stats.norm.cdf at x = $x', ({ x, cdf }) => {
    // Relative 1e-13 also covers the far tails; scipy flushes Phi(-38) (≈2.9e-316) to 0.
    expectClose(normalCdf(x), cdf, 1e-13, 1e-300);
  });

  it('is symmetric: cdf(x) + cdf(-x) = 1', () => {
    for (const x of [0.1, 0.7, 1.3, 2.2, 3.9]) {
      expectClose(normalCdf(x) + normalCdf(-x), 1, 1e-15);
    }
  });

  it('handles infinities and hand values', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('rejects NaN', () => {
    expect(() => normalCdf(Number.NaN)).toThrow(RangeError);
  });
});

describe('normalPpf', () => {
  it.each(reference.normal.ppf)('matches scipy.stats.norm.ppf at p = $p', ({ p, ppf }) => {
    expectClose(normalPpf(p), ppf, 1e-13, 1e-15);
  });

  it('inverts normalCdf', () => {
    // Stop at x = 2: above that cdf(x) rounds near 1 and the round trip is ill-conditioned.
    for (let x = -30; x <= 2; x += 0.37) {
      expectClose(normalPpf(normalCdf(x)), x, 1e-9, 1e-12);
    }
  });

  it('returns the textbook critical values', () => {
    expectClose(zTwoSided(0.05), 1.959963984540054, 1e-14);
    expectClose(normalPpf(0.95), 1.6448536269514722, 1e-14);
    expect(normalPpf(0.5)).toBe(0);
  });

  it('maps the endpoints to infinities and rejects p outside [0, 1]', () => {
    expect(normalPpf(0)).toBe(-Infinity);
    expect(normalPpf(1)).toBe(Infinity);
    expect(() => normalPpf(-0.1)).toThrow(RangeError);
    expect(() => normalPpf(1.1)).toThrow(RangeError);
    expect(() => normalPpf(Number.NaN)).toThrow(RangeError);
    expect(() => zTwoSided(0)).toThrow(RangeError);
  });
});
