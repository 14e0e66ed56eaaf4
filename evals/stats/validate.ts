// Input guards shared by the stats module. Convention: invalid input throws a
// RangeError with the argument name; no function silently returns NaN.

export function assertFiniteArray(name: string, values: readonly number[]): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${name}[${i}] must be a finite number, got ${String(v)}`);
    }
  }
}

export function assertNonEmpty(name: string, values: readonly unknown[]): void {
  if (values.length === 0) throw new RangeError(`${name} must not be empty`);
}

export function assertSameLength(a: readonly unknown[], b: readonly unknown[]): void {
  if (a.length !== b.length) {
    throw new RangeError(`paired inputs must have the same length, got ${a.length} and ${b.length}`);
  }
}

export function assertInteger(name: string, x: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(x) || x < min || x > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(x)}`);
  }
}

/** Open interval (0, 1): confidence levels, alpha, power, proportions used as parameters. */
export function assertOpenUnit(name: string, x: number): void {
  if (!(x > 0 && x < 1)) throw new RangeError(`${name} must be in (0, 1), got ${String(x)}`);
}

/** Closed interval [0, 1]: probabilities and p-values. */
export function assertClosedUnit(name: string, x: number): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${String(x)}`);
}
