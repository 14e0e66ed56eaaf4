// Cohen's κ for two binary raters (a grader and a person), from their 2×2 table; matches
// sklearn.metrics.cohen_kappa_score (reference/sklearn_reference.py pins it on fixtures).
import { DEFAULT_LEVEL, DEFAULT_RESAMPLES, DEFAULT_SEED } from './bootstrap.ts';
import { quantileSorted } from './quantile.ts';
import { createRng } from './rng.ts';
import { assertInteger, assertOpenUnit } from './validate.ts';

/** Rows: the grader's pass/fail; columns: the person's yes/no. tp = both say yes. */
export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function confusionOf(pairs: readonly (readonly [grader: boolean, human: boolean])[]): Confusion {
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const [g, h] of pairs) {
    if (g && h) c.tp++;
    else if (g) c.fp++;
    else if (h) c.fn++;
    else c.tn++;
  }
  return c;
}

/**
 * κ = (p_o − p_e) / (1 − p_e). Null when p_e = 1 (both raters gave one and the same class to every item):
 * agreement beyond chance is then undefined (sklearn returns NaN there).
 */
export function cohenKappa(c: Confusion): number | null {
  const n = c.tp + c.fp + c.fn + c.tn;
  if (n === 0) return null;
  const po = (c.tp + c.tn) / n;
  const pe = ((c.tp + c.fp) * (c.tp + c.fn) + (c.fn + c.tn) * (c.fp + c.tn)) / (n * n);
  return pe === 1 ? null : (po - pe) / (1 - pe);
}

/**
 * Percentile bootstrap CI of κ over items (pairs resampled with replacement, seeded). Resamples where κ is
 * undefined are dropped; null when fewer than half the resamples give a κ (too few items or one class only).
 */
export function bootstrapKappaCi(pairs: readonly (readonly [boolean, boolean])[], opts: { resamples?: number; seed?: number; level?: number } = {}): [number, number] | null {
  const resamples = opts.resamples ?? DEFAULT_RESAMPLES;
  const level = opts.level ?? DEFAULT_LEVEL;
  assertInteger('resamples', resamples, 1);
  assertOpenUnit('level', level);
  const n = pairs.length;
  if (n < 2) return null;
  const draw = createRng(opts.seed ?? DEFAULT_SEED).intBelow(n);
  const kappas: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (let i = 0; i < n; i++) {
      const [g, h] = pairs[draw()] as readonly [boolean, boolean];
      if (g && h) c.tp++;
      else if (g) c.fp++;
      else if (h) c.fn++;
      else c.tn++;
    }
    const k = cohenKappa(c);
    if (k !== null) kappas.push(k);
  }
  if (kappas.length < resamples / 2) return null;
  const sorted = Float64Array.from(kappas).sort();
  const tail = (1 - level) / 2;
  return [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)];
}
