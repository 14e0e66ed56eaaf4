import { describe, expect, it } from 'vitest';
import { fitMonotoneLogistic, type LogisticRow } from '../../../evals/stats/logistic.ts';
import { createRng } from '../../../evals/stats/rng.ts';

// y depends positively on x0, negatively on x1, not at all on x2; x0 is sometimes unobserved.
const rng = createRng(3);
const rows: LogisticRow[] = Array.from({ length: 300 }, (_, i) => {
  const x = [rng.next() * 2, rng.next(), rng.next()];
  const z = 3 * (x[0] as number) - 2 * (x[1] as number) - 2.5;
  return { x: [i % 10 === 0 ? undefined : x[0], x[1], x[2]], y: rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0, weight: i < 100 ? 2 : 1 };
});

describe('fitMonotoneLogistic', () => {
  const fit = fitMonotoneLogistic(rows, { l2: 0.01 });

  it('gives the same model bit for bit on the same rows', () => {
    expect(fitMonotoneLogistic(rows, { l2: 0.01 })).toEqual(fit);
  });

  it('never gives a negative weight: a feature that lowers the odds gets 0, one that raises them a positive weight', () => {
    expect(fit.features[0]?.weight).toBeGreaterThan(0.5);
    expect(fit.features[1]?.weight).toBe(0);
    for (const f of fit.features) expect(f.weight).toBeGreaterThanOrEqual(0);
  });

  it('stops at the constrained optimum (KKT): zero gradient on the intercept and free weights, none pulling a zero weight up', () => {
    const total = rows.reduce((s, r) => s + (r.weight ?? 1), 0);
    const z = rows.map((r) => r.x.map((x, j) => (x === undefined ? 0 : (x - (fit.features[j]?.mean ?? 0)) / (fit.features[j]?.sd ?? 1))));
    const grad = [0, ...fit.features.map((f) => 0.01 * f.weight)];
    rows.forEach((r, i) => {
      const zi = z[i] as number[];
      const p = 1 / (1 + Math.exp(-(fit.intercept + zi.reduce((s, v, j) => s + v * (fit.features[j]?.weight ?? 0), 0))));
      const res = ((r.weight ?? 1) * (p - r.y)) / total;
      grad[0] = (grad[0] as number) + res;
      zi.forEach((v, j) => {
        grad[j + 1] = (grad[j + 1] as number) + res * v;
      });
    });
    expect(Math.abs(grad[0] as number)).toBeLessThan(1e-6);
    fit.features.forEach((f, j) => {
      if (f.weight > 0) expect(Math.abs(grad[j + 1] as number)).toBeLessThan(1e-6);
      else expect(grad[j + 1]).toBeGreaterThan(-1e-6);
    });
  });

  it('standardises by the weighted mean and sd of the observed values', () => {
    const observed = rows.filter((r) => r.x[0] !== undefined);
    const w = observed.reduce((s, r) => s + (r.weight ?? 1), 0);
    const mean = observed.reduce((s, r) => s + (r.weight ?? 1) * (r.x[0] as number), 0) / w;
    expect(fit.features[0]?.mean).toBeCloseTo(mean, 12);
  });

  it('refuses rows of different widths', () => {
    expect(() =>
      fitMonotoneLogistic([
        { x: [1], y: 1 },
        { x: [1, 2], y: 0 },
      ]),
    ).toThrow(RangeError);
  });
});
