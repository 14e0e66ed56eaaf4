import { describe, expect, it } from 'vitest';
import { bootstrapKappaCi, cohenKappa, confusionOf } from '../../../evals/stats/kappa.ts';
import sklearn from './fixtures/sklearn.json' with { type: 'json' };
import { expectClose } from './helpers.ts';

const pairsOf = (grader: number[], human: number[]) => grader.map((g, i) => [g === 1, human[i] === 1] as const);

// Reference values from scikit-learn itself (evals/stats/reference/sklearn_reference.py, Debian's python3-sklearn).
describe('cohenKappa', () => {
  it.each(sklearn.kappa)('matches sklearn cohen_kappa_score (case %#)', ({ grader, human, kappa }) => {
    const got = cohenKappa(confusionOf(pairsOf(grader, human)));
    expect(got).not.toBeNull();
    expectClose(got as number, kappa, 1e-12, 1e-15);
  });

  it('is undefined when both raters give one class to everything, and 0 when only the person does', () => {
    expect(cohenKappa({ tp: 5, fp: 0, fn: 0, tn: 0 })).toBeNull();
    expect(cohenKappa({ tp: 0, fp: 0, fn: 0, tn: 0 })).toBeNull();
    expect(cohenKappa({ tp: 0, fp: 3, fn: 0, tn: 7 })).toBe(0);
  });
});

describe('bootstrapKappaCi', () => {
  const big = sklearn.kappa.at(-3) as (typeof sklearn.kappa)[number];
  const pairs = pairsOf(big.grader, big.human);

  it('brackets κ, is reproducible for a seed and moves with it', () => {
    const ci = bootstrapKappaCi(pairs, { resamples: 2000, seed: 7 });
    expect(ci).not.toBeNull();
    const [lo, hi] = ci as [number, number];
    expect(lo).toBeLessThan(big.kappa);
    expect(hi).toBeGreaterThan(big.kappa);
    expect(bootstrapKappaCi(pairs, { resamples: 2000, seed: 7 })).toEqual(ci);
    expect(bootstrapKappaCi(pairs, { resamples: 2000, seed: 8 })).not.toEqual(ci);
  });

  it('is null for one item or a single class', () => {
    expect(bootstrapKappaCi([[true, true]])).toBeNull();
    expect(
      bootstrapKappaCi(
        Array.from({ length: 10 }, () => [true, true] as const),
        { resamples: 100 },
      ),
    ).toBeNull();
  });
});
