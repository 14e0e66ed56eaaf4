import { expect } from 'vitest';
import { bootstrapMeans, DEFAULT_LEVEL, DEFAULT_RESAMPLES, DEFAULT_SEED, type MeanCi } from '../../../evals/stats/bootstrap.ts';
import { mean } from '../../../evals/stats/moments.ts';
import { quantileSorted } from '../../../evals/stats/quantile.ts';
import reference from './fixtures/reference.json' with { type: 'json' };

export { reference };

/** |actual - expected| <= abs + rel * |expected| */
export function expectClose(actual: number, expected: number, rel = 1e-12, abs = 0): void {
  const tol = abs + rel * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`expected ${actual} to be within ${tol} of ${expected} (diff ${Math.abs(actual - expected)})`);
  }
}

/**
 * bootstrapCi by its definition, with nothing kept between calls (bootstrapCis keeps each CI it computed): the
 * sorted resampled means cut at the two tails. What a kept CI must equal.
 */
export function freshBootstrapCi(values: readonly number[], opts: { resamples?: number; seed?: number; level?: number } = {}): MeanCi {
  const level = opts.level ?? DEFAULT_LEVEL;
  const means = bootstrapMeans(values, opts.resamples ?? DEFAULT_RESAMPLES, opts.seed ?? DEFAULT_SEED);
  return { mean: mean(values), lo: quantileSorted(means, (1 - level) / 2), hi: quantileSorted(means, (1 + level) / 2) };
}
