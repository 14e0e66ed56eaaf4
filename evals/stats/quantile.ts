// Percentile convention: linear interpolation between order statistics,
// Hyndman & Fan type 7 = numpy.quantile(method='linear') (numpy's default) = R type 7.
// h = (n - 1) q, j = floor(h), g = h - j; Q(q) = (1 - g) x[j] + g x[j + 1],
// evaluated with numpy's two-sided lerp so results match numpy bit-for-bit.
import { assertClosedUnit, assertFiniteArray, assertNonEmpty } from './validate.ts';

/** Quantile of an ascending-sorted, non-empty array (unchecked, for hot loops). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  const h = (n - 1) * q;
  const j = Math.floor(h);
  if (j >= n - 1) return sorted[n - 1] as number;
  const a = sorted[j] as number;
  const b = sorted[j + 1] as number;
  const g = h - j;
  const diff = b - a;
  // numpy's _lerp: anchor on the nearer endpoint, which keeps the result monotone in g.
  return g < 0.5 ? a + diff * g : b - diff * (1 - g);
}

export function quantile(values: readonly number[], q: number): number {
  assertNonEmpty('values', values);
  assertFiniteArray('values', values);
  assertClosedUnit('q', q);
  return quantileSorted(Float64Array.from(values).sort(), q);
}
