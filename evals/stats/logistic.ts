// Logistic regression with non-negative weights (each feature can only raise the predicted probability) and a
// small L2 penalty, by projected gradient descent on standardised features. Deterministic: no random start, a
// fixed step from the loss's Lipschitz bound, so the same rows give bit-identical weights on every run.
import { assertFiniteArray, assertInteger, assertNonEmpty } from './validate.ts';

export interface LogisticRow {
  /** Feature values; undefined = not observed, counted at the feature's mean. */
  x: readonly (number | undefined)[];
  y: 0 | 1;
  /** Share of the loss this row carries (default 1). */
  weight?: number;
}

export interface MonotoneLogistic {
  intercept: number;
  /** Per feature: the weighted mean and sd it is standardised by, and its weight (>= 0) on the standardised value. */
  features: { mean: number; sd: number; weight: number }[];
  iterations: number;
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the intercept), per unit of total row weight (default 0.01). */
  l2?: number;
  maxIterations?: number;
  /** Stop when no coefficient moves by more than this in one step. */
  tolerance?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function fitMonotoneLogistic(rows: readonly LogisticRow[], options: LogisticOptions = {}): MonotoneLogistic {
  const { l2 = 0.01, maxIterations = 100_000, tolerance = 1e-9 } = options;
  assertNonEmpty('rows', rows);
  assertInteger('maxIterations', maxIterations, 1);
  const d = rows[0]?.x.length ?? 0;
  if (rows.some((r) => r.x.length !== d)) throw new RangeError('fitMonotoneLogistic: every row needs the same number of features');
  const w = rows.map((r) => r.weight ?? 1);
  assertFiniteArray('weight', w);
  const total = w.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError('fitMonotoneLogistic: the row weights must sum to more than 0');
  const standardise = Array.from({ length: d }, (_, j) => {
    let sw = 0;
    let s = 0;
    let ss = 0;
    rows.forEach((r, i) => {
      const x = r.x[j];
      if (x === undefined) return;
      if (!Number.isFinite(x)) throw new RangeError(`fitMonotoneLogistic: feature ${j} of row ${i} is ${x}`);
      sw += w[i] as number;
      s += (w[i] as number) * x;
      ss += (w[i] as number) * x * x;
    });
    const mean = sw > 0 ? s / sw : 0;
    const sd = sw > 0 ? Math.sqrt(Math.max(ss / sw - mean * mean, 0)) : 0;
    // A constant feature carries no information: sd 1 keeps it finite and its weight goes to 0 under the penalty.
    return { mean, sd: sd > 1e-12 ? sd : 1 };
  });
  const z = rows.map((r) => r.x.map((x, j) => (x === undefined ? 0 : (x - (standardise[j]?.mean ?? 0)) / (standardise[j]?.sd ?? 1))));
  // The mean log loss has gradient Lipschitz constant <= ¼ · weighted mean of (1 + |z|²); plus the penalty.
  const lipschitz = (0.25 * z.reduce((a, zi, i) => a + (w[i] as number) * (1 + zi.reduce((s, v) => s + v * v, 0)), 0)) / total + l2;
  const step = 1 / lipschitz;
  let b0 = 0;
  const beta = new Array<number>(d).fill(0);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    let g0 = 0;
    const g = beta.map((bj) => l2 * bj);
    z.forEach((zi, i) => {
      const residual = ((w[i] as number) * (sigmoid(b0 + zi.reduce((s, v, j) => s + v * (beta[j] as number), 0)) - (rows[i] as LogisticRow).y)) / total;
      g0 += residual;
      for (let j = 0; j < d; j++) g[j] = (g[j] as number) + residual * (zi[j] as number);
    });
    let moved = Math.abs(step * g0);
    b0 -= step * g0;
    for (let j = 0; j < d; j++) {
      const next = Math.max(0, (beta[j] as number) - step * (g[j] as number));
      moved = Math.max(moved, Math.abs(next - (beta[j] as number)));
      beta[j] = next;
    }
    if (moved < tolerance) break;
  }
  return { intercept: b0, features: standardise.map((s, j) => ({ ...s, weight: beta[j] as number })), iterations };
}
