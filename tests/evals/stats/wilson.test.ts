import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../evals/stats/wilson.ts';
import { expectClose, reference } from './helpers.ts';

describe('wilsonInterval', () => {
  it.each(reference.wilson)('matches scipy binomtest(...).proportion_ci(wilson) for $successes/$n at $level', (ref) => {
    const ci = wilsonInterval(ref.successes, ref.n, ref.level);
    expect(ci.p).toBe(ref.p);
    expectClose(ci.lo, ref.lo, 1e-12, 1e-15);
    expectClose(ci.hi, ref.hi, 1e-12, 1e-15);
  });

  it('hand-computed: 8/10 at 95%', () => {
    // z = 1.959963984540054; center = (0.8 + z^2/20) / (1 + z^2/10), half = z sqrt(0.016 + z^2/400) / (1 + z^2/10)
    const z = 1.959963984540054;
    const denom = 1 + (z * z) / 10;
    const center = (0.8 + (z * z) / 20) / denom;
    const half = (z * Math.sqrt(0.016 + (z * z) / 400)) / denom;
    const ci = wilsonInterval(8, 10);
    expectClose(ci.lo, center - half, 1e-14);
    expectClose(ci.hi, center + half, 1e-14);
    expectClose(ci.lo, 0.4901625, 1e-6);
    expectClose(ci.hi, 0.9433178, 1e-6);
  });

  it('pins the bounds at 0 and 1 at the boundaries', () => {
    expect(wilsonInterval(0, 20).lo).toBe(0);
    expect(wilsonInterval(20, 20).hi).toBe(1);
  });

  it('rejects invalid counts and levels', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(2.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(2, 10, 0)).toThrow(RangeError);
  });
});
