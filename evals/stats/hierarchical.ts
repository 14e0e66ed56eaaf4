// Two-level (hierarchical) percentile bootstrap for repeated runs: resample questions with replacement, then,
// within each drawn question, resample its repeats with replacement. The statistic is the mean over questions
// of the per-question mean, so both the question-to-question spread and the run-to-run noise of a
// non-deterministic generator widen the interval (resampling questions alone would ignore the second).
import type { MeanCi } from './bootstrap.ts';
import { quantileSorted } from './quantile.ts';
import { createRng } from './rng.ts';
import { assertFiniteArray, assertInteger, assertNonEmpty, assertOpenUnit } from './validate.ts';

export interface HierarchicalOptions {
  resamples: number;
  seed: number;
  /** Two-sided level (default 0.95). */
  level?: number;
}

/** `groups[q]` holds question q's values over the repeats it has the metric in (at least one). */
export function hierarchicalBootstrapCi(groups: readonly (readonly number[])[], options: HierarchicalOptions): MeanCi {
  assertNonEmpty('groups', groups);
  for (const g of groups) {
    assertNonEmpty('group', g);
    assertFiniteArray('group', g);
  }
  assertInteger('resamples', options.resamples, 1);
  const level = options.level ?? 0.95;
  assertOpenUnit('level', level);
  const rng = createRng(options.seed);
  const n = groups.length;
  const groupMean = (g: readonly number[]) => g.reduce((s, x) => s + x, 0) / g.length;
  const estimate = groups.reduce((s, g) => s + groupMean(g), 0) / n;
  const means = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const g = groups[rng.int(n)] as readonly number[];
      let s = 0;
      for (let j = 0; j < g.length; j++) s += g[rng.int(g.length)] as number;
      total += s / g.length;
    }
    means[r] = total / n;
  }
  means.sort();
  const tail = (1 - level) / 2;
  return { mean: estimate, lo: quantileSorted(means, tail), hi: quantileSorted(means, 1 - tail) };
}
