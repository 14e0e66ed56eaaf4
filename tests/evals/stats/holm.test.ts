import { describe, expect, it } from 'vitest';
import { holmAdjust, holmLevels } from '../../../evals/stats/holm.ts';
import statsmodels from './fixtures/statsmodels.json' with { type: 'json' };
import { expectClose } from './helpers.ts';

// Reference values from statsmodels itself (evals/stats/reference/statsmodels_reference.py, Debian's python3-statsmodels).
describe('holmAdjust', () => {
  it.each(statsmodels.holm)('matches statsmodels multipletests(method="holm") for %j', ({ p, adjusted, reject05 }) => {
    const got = holmAdjust(p);
    expect(got).toHaveLength(adjusted.length);
    for (const [i, v] of got.entries()) expectClose(v, adjusted[i]!, 1e-15);
    // The step-down levels reject the same hypotheses as statsmodels at α = 0.05.
    const levels = holmLevels(p, 0.05);
    expect(p.map((x, i) => x <= levels[i]!)).toEqual(reject05);
  });

  it('hand-computed: [0.01, 0.04, 0.03, 0.005]', () => {
    // sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> max(0.06, 0.04) = 0.06
    const got = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    for (const [i, v] of [0.03, 0.06, 0.06, 0.02].entries()) expectClose(got[i]!, v, 1e-15);
  });

  it('is monotone in the raw p-values, never below them, and capped at 1', () => {
    const p = [0.3, 0.001, 0.8, 0.04, 0.04, 0.2, 0.6];
    const adj = holmAdjust(p);
    const order = p.map((_, i) => i).sort((i, j) => p[i]! - p[j]!);
    for (let k = 1; k < order.length; k++) expect(adj[order[k]!]!).toBeGreaterThanOrEqual(adj[order[k - 1]!]!);
    adj.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(p[i]!);
      expect(v).toBeLessThanOrEqual(1);
    });
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => holmAdjust([0.1, 1.2])).toThrow(RangeError);
    expect(() => holmAdjust([Number.NaN])).toThrow(RangeError);
  });
});
