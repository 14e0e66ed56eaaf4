import { describe, expect, it } from 'vitest';
import { mean, sampleVariance } from '../../../evals/stats/moments.ts';
import { expectClose } from './helpers.ts';

describe('moments', () => {
  it('hand-computed mean and ddof = 1 variance', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    // squared deviations 4 + 1 + 0 + 9 = 14, / 3
    expectClose(sampleVariance([1, 2, 3, 6]), 14 / 3, 1e-15);
    expect(mean(Float64Array.from([0.5]))).toBe(0.5);
  });

  it('throws instead of returning NaN on too-short input', () => {
    expect(() => mean([])).toThrow(RangeError);
    expect(() => sampleVariance([1])).toThrow(RangeError);
  });
});
