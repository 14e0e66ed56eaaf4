// Exact McNemar test for paired binary outcomes (e.g. per-question pass/fail of
// baseline a vs candidate b): exact two-sided binomial test on the discordant pairs.
import { binomialHalfTwoSidedP } from './binomial.ts';
import { assertSameLength } from './validate.ts';

export interface McNemarResult {
  /** a failed, b passed */
  b01: number;
  /** a passed, b failed */
  b10: number;
  /** Exact two-sided p-value (statsmodels mcnemar(exact=True)); 1 when b01 + b10 = 0. */
  pValue: number;
}

export type BinaryOutcomes = readonly boolean[] | readonly number[];

function toBool(name: string, v: boolean | number, i: number): boolean {
  if (v === true || v === 1) return true;
  if (v === false || v === 0) return false;
  throw new RangeError(`${name}[${i}] must be a boolean or 0/1, got ${String(v)}`);
}

export function exactMcNemar(a: BinaryOutcomes, b: BinaryOutcomes): McNemarResult {
  assertSameLength(a, b);
  let b01 = 0;
  let b10 = 0;
  for (let i = 0; i < a.length; i++) {
    const ai = toBool('a', a[i] as boolean | number, i);
    const bi = toBool('b', b[i] as boolean | number, i);
    if (!ai && bi) b01++;
    else if (ai && !bi) b10++;
  }
  const n = b01 + b10;
  return { b01, b10, pValue: binomialHalfTwoSidedP(Math.min(b01, b10), n) };
}
