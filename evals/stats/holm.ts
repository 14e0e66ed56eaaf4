// Holm–Bonferroni step-down adjustment (controls FWER), identical to
// statsmodels.stats.multitest.multipletests(p, method='holm')[1]:
// sort ascending, p_(i) * (m - i) for 0-based rank i, running max, cap at 1.
import { assertClosedUnit } from './validate.ts';

/** Adjusted p-values returned in the input order. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const [i, p] of pValues.entries()) assertClosedUnit(`pValues[${i}]`, p);
  const order = pValues.map((_, i) => i).sort((i, j) => (pValues[i] as number) - (pValues[j] as number));
  const adjusted = new Array<number>(m);
  let runningMax = 0;
  order.forEach((idx, rank) => {
    // Running max keeps the adjusted values monotone in the raw p-values.
    runningMax = Math.max(runningMax, Math.min(1, (m - rank) * (pValues[idx] as number)));
    adjusted[idx] = runningMax;
  });
  return adjusted;
}

/**
 * The level each hypothesis is tested at by Holm's step-down: α/m, α/(m − 1), … in order of p-value until
 * the first non-rejection (p > level, as statsmodels); that step's level then applies to every hypothesis
 * after it. A one-sided bound printed at its hypothesis' level agrees with Holm's verdict (ties aside).
 */
export function holmLevels(pValues: readonly number[], alpha: number): number[] {
  const m = pValues.length;
  for (const [i, p] of pValues.entries()) assertClosedUnit(`pValues[${i}]`, p);
  const order = pValues.map((_, i) => i).sort((i, j) => (pValues[i] as number) - (pValues[j] as number));
  const levels = new Array<number>(m);
  let stopped: number | undefined;
  order.forEach((idx, rank) => {
    const level = stopped ?? alpha / (m - rank);
    levels[idx] = level;
    if (stopped === undefined && (pValues[idx] as number) > level) stopped = level;
  });
  return levels;
}
