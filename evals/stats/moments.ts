// Plain left-to-right summation on purpose: the Python reference mirrors it,
// which keeps bootstrap results bit-for-bit comparable.

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('mean of an empty array is undefined');
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

/** Sample variance with denominator n - 1 (ddof = 1, numpy.var(x, ddof=1)). */
export function sampleVariance(values: ArrayLike<number>): number {
  if (values.length < 2) throw new RangeError('sample variance needs at least 2 values');
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = (values[i] as number) - m;
    ss += d * d;
  }
  return ss / (values.length - 1);
}
