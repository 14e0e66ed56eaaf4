import { describe, expect, it, test } from 'vitest';
import { oneSidedBounds, oneSidedMde, oneSidedPower, pAbove, pBelow, questionsForEffect, summarizeDifferences } from '../../../evals/stats/noninferiority.ts';
import statsmodels from './fixtures/statsmodels.json' with { type: 'json' };
import { expectClose } from './helpers.ts';

describe('one-sided tests and bounds on a paired mean difference', () => {
  it.each(statsmodels.power)('power matches statsmodels NormalIndPower (one-sample, one-sided) for %j', ({ effect, sd, n, alpha, power }) => {
    expectClose(oneSidedPower(effect, sd, n, alpha, false), power, 1e-9);
    // The MDE at that power is the effect back.
    expectClose(oneSidedMde(sd, n, alpha, power, false), effect, 1e-9);
  });

  test('0/1 differences: the continuity correction 1/n widens both bounds and costs power', () => {
    const d = [...Array(8).fill(-1), ...Array(61).fill(0)];
    const plain = summarizeDifferences(d, false);
    const binary = summarizeDifferences(d, true);
    expect(binary.cc).toBeCloseTo(1 / 69, 15);
    expect(oneSidedBounds(binary, 0.05).upper - oneSidedBounds(plain, 0.05).upper).toBeCloseTo(1 / 69, 15);
    expect(oneSidedPower(0.1, 0.3, 69, 0.05, true)).toBeLessThan(oneSidedPower(0.1, 0.3, 69, 0.05, false));
  });

  test('no difference at all: bounds at the correction, p = 1 both ways', () => {
    const s = summarizeDifferences(Array(40).fill(0), true);
    expect(oneSidedBounds(s, 0.05)).toEqual({ lower: -1 / 40, upper: 1 / 40 });
    expect(pBelow(s, 0)).toBe(1);
    expect(pAbove(s, -0.05)).toBe(0);
  });

  test('questionsForEffect is the smallest n whose MDE reaches the effect', () => {
    for (const binary of [false, true]) {
      const n = questionsForEffect(0.05, 0.4, 0.05 / 3, 0.8, binary);
      expect(oneSidedMde(0.4, n, 0.05 / 3, 0.8, binary)).toBeLessThanOrEqual(0.05);
      expect(oneSidedMde(0.4, n - 1, 0.05 / 3, 0.8, binary)).toBeGreaterThan(0.05);
    }
  });
});
