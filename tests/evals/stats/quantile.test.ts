import { describe, expect, it } from 'vitest';
import { quantile } from '../../../evals/stats/quantile.ts';
import { reference } from './helpers.ts';

describe('quantile (numpy linear / type 7)', () => {
  it.each(reference.quantile)('matches numpy.quantile bit for bit (q = $q, n = $values.length)', ({ values, q, expected }) => {
    expect(quantile(values, q)).toBe(expected);
  });

  it('interpolates linearly between order statistics (hand-computed)', () => {
    // sorted [10, 20, 30, 40], h = 3q
    expect(quantile([40, 10, 30, 20], 0.5)).toBe(25); // h = 1.5
    expect(quantile([40, 10, 30, 20], 0.25)).toBe(17.5); // h = 0.75
    expect(quantile([40, 10, 30, 20], 0)).toBe(10);
    expect(quantile([40, 10, 30, 20], 1)).toBe(40);
  });

  it('rejects empty input, non-finite values and q outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, Number.NaN], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });
});
