import { describe, expect, it } from 'vitest';
import { mdeMean, mdeProportion, sampleSizeForEffect, sampleSizeForProportionDrop } from '../../../evals/stats/power.ts';
import { expectClose, reference } from './helpers.ts';

const { power } = reference;

describe('power (normal approximation)', () => {
  it.each(power.mdeProportion)('mdeProportion(n=$n, p=$p, alpha=$alpha, power=$power)', (r) => {
    expectClose(mdeProportion(r.n, r.p, { alpha: r.alpha, power: r.power }), r.expected, 1e-12);
  });

  it.each(power.mdeMean)('mdeMean(n=$n, sd=$sd, alpha=$alpha, power=$power)', (r) => {
    expectClose(mdeMean(r.n, r.sd, { alpha: r.alpha, power: r.power }), r.expected, 1e-12);
  });

  it.each(power.sampleSizeForEffect)('sampleSizeForEffect(effect=$effect, sd=$sd)', (r) => {
    expect(sampleSizeForEffect(r.effect, r.sd, { alpha: r.alpha, power: r.power })).toBe(r.expected);
  });

  it.each(power.sampleSizeForProportionDrop)('sampleSizeForProportionDrop(p=$p, drop=$drop)', (r) => {
    expect(sampleSizeForProportionDrop(r.p, r.drop, { alpha: r.alpha, power: r.power })).toBe(r.expected);
  });

  it('answers "3-point drop in hit@5 at p = 0.8" with defaults alpha 0.05, power 0.8', () => {
    // (1.959964 + 0.841621)^2 * 0.16 / 0.03^2 = 1395.36 -> 1396
    expect(sampleSizeForProportionDrop(0.8, 0.03)).toBe(1396);
  });

  it('MDE and sample size are inverse to each other', () => {
    const n = sampleSizeForEffect(0.04, 0.3);
    expect(mdeMean(n, 0.3)).toBeLessThanOrEqual(0.04);
    expect(mdeMean(n - 1, 0.3)).toBeGreaterThan(0.04);
    expect(mdeProportion(400, 0.5)).toBe(mdeMean(400, 0.5));
  });

  it('rejects invalid inputs', () => {
    expect(() => mdeProportion(0, 0.5)).toThrow(RangeError);
    expect(() => mdeProportion(100, 1)).toThrow(RangeError);
    expect(() => mdeMean(100, 0)).toThrow(RangeError);
    expect(() => mdeMean(100, 1, { alpha: 0 })).toThrow(RangeError);
    expect(() => mdeMean(100, 1, { power: 1 })).toThrow(RangeError);
    expect(() => mdeMean(100, 1, { power: 0.01 })).toThrow(/too low/);
    expect(() => sampleSizeForEffect(0, 1)).toThrow(RangeError);
    expect(() => sampleSizeForProportionDrop(0.8, 0)).toThrow(RangeError);
    expect(() => sampleSizeForProportionDrop(0.02, 0.03)).toThrow(RangeError);
  });
});
