// Wilson score interval for a binomial proportion (no continuity correction);
// matches scipy.stats.binomtest(k, n).proportion_ci(method='wilson').
import { zTwoSided } from './normal.ts';
import { assertInteger, assertOpenUnit } from './validate.ts';

export interface ProportionCi {
  p: number;
  lo: number;
  hi: number;
}

export function wilsonInterval(successes: number, n: number, level = 0.95): ProportionCi {
  assertInteger('n', n, 1);
  assertInteger('successes', successes, 0, n);
  assertOpenUnit('level', level);

  const z = zTwoSided(1 - level);
  const z2 = z * z;
  const p = successes / n;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // The bounds are exactly 0 / 1 at the boundaries; pin them instead of trusting rounding.
  return {
    p,
    lo: successes === 0 ? 0 : Math.max(0, center - half),
    hi: successes === n ? 1 : Math.min(1, center + half),
  };
}
