import { expect } from 'vitest';
import reference from './fixtures/reference.json' with { type: 'json' };

export { reference };

/** |actual - expected| <= abs + rel * |expected| */
export function expectClose(actual: number, expected: number, rel = 1e-12, abs = 0): void {
  const tol = abs + rel * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tol)) {
    expect.fail(`expected ${actual} to be within ${tol} of ${expected} (diff ${Math.abs(actual - expected)})`);
  }
}
