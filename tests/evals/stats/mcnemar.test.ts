import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, binomialHalfTwoSidedP } from '../../../evals/stats/binomial.ts';
import { exactMcNemar } from '../../../evals/stats/mcnemar.ts';
import { expectClose, reference } from './helpers.ts';

describe('binomialHalfTwoSidedP', () => {
  it.each(reference.binomial)('matches scipy.stats.binomtest($k, $n, 0.5)', ({ k, n, pValue }) => {
    expectClose(binomialHalfTwoSidedP(k, n), pValue, 1e-10, 1e-300);
  });

  it('cdf is exact on small hand cases', () => {
    expect(binomialHalfCdf(0, 3)).toBe(1 / 8);
    expect(binomialHalfCdf(1, 3)).toBe(1 / 2);
    expect(binomialHalfCdf(3, 3)).toBe(1);
    expectClose(binomialHalfCdf(2, 6), 22 / 64, 1e-15);
  });
});

describe('exactMcNemar', () => {
  it.each(reference.mcnemar)('matches statsmodels mcnemar(exact=True) via binomtest (case %#)', (ref) => {
    const res = exactMcNemar(ref.a, ref.b);
    expect(res.b01).toBe(ref.b01);
    expect(res.b10).toBe(ref.b10);
    expectClose(res.pValue, ref.pValue, 1e-12);
  });

  it('hand-computed: 5 vs 0 discordant pairs gives p = 2 * (1/2)^5', () => {
    const a = [0, 0, 0, 0, 0, 1, 1, 0];
    const b = [1, 1, 1, 1, 1, 1, 1, 0];
    expect(exactMcNemar(a, b)).toEqual({ b01: 5, b10: 0, pValue: 0.0625 });
  });

  it('accepts booleans and 0/1 interchangeably', () => {
    const a = [true, false, true, true, false];
    const b = [false, true, true, false, false];
    expect(exactMcNemar(a, b)).toEqual(exactMcNemar(a.map(Number), b.map(Number)));
    expect(exactMcNemar(a, b)).toMatchObject({ b01: 1, b10: 2 });
  });

  it('p = 1 with no discordant pairs (including empty input)', () => {
    expect(exactMcNemar([1, 0], [1, 0])).toEqual({ b01: 0, b10: 0, pValue: 1 });
    expect(exactMcNemar([], [])).toEqual({ b01: 0, b10: 0, pValue: 1 });
  });

  it('rejects non-binary values and different lengths', () => {
    expect(() => exactMcNemar([0.5], [1])).toThrow(RangeError);
    expect(() => exactMcNemar([2], [1])).toThrow(RangeError);
    expect(() => exactMcNemar([1, 0], [1])).toThrow(/same length/);
  });
});
