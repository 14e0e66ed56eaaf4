import { describe, expect, it } from 'vitest';
import { conformalPredictiveInterval, conformalRank, conformalThreshold, minimumScores } from '../../../evals/stats/conformal.ts';
import { createRng } from '../../../evals/stats/rng.ts';

describe('conformalRank', () => {
  it.each([
    // n, target, k = ceil((n + 1)(1 - target)) worked by hand
    [55, 0.25, 42], // 56 * 0.75 = 42 exactly: no rounding up past it
    [30, 0.25, 24], // 31 * 0.75 = 23.25
    [19, 0.1, 18], // 20 * 0.9 = 18
    [3, 0.25, 3], // 4 * 0.75 = 3: the smallest n for 25%
    [2, 0.25, undefined], // 3 * 0.75 = 2.25 -> 3 > n
    [0, 0.5, undefined],
  ])('n=%i target=%f -> k=%s', (n, target, k) => {
    expect(conformalRank(n, target)).toBe(k);
  });

  it('agrees with the brute-force smallest k whose k/(n + 1) reaches 1 - target', () => {
    for (const target of [0.05, 0.1, 0.2, 0.25, 0.3, 0.5]) {
      for (let n = 0; n <= 120; n++) {
        let brute: number | undefined;
        for (let k = 1; k <= n; k++) {
          if (k / (n + 1) >= 1 - target - 1e-12) {
            brute = k;
            break;
          }
        }
        expect(conformalRank(n, target), `n=${n} target=${target}`).toBe(brute);
      }
    }
  });

  it('minimumScores is ceil(1/target) - 1', () => {
    expect(minimumScores(0.25)).toBe(3);
    expect(minimumScores(0.1)).toBe(9);
    expect(minimumScores(0.3)).toBe(3);
  });

  it('refuses a target outside (0, 1)', () => {
    expect(() => conformalRank(10, 0)).toThrow(RangeError);
    expect(() => conformalRank(10, 1)).toThrow(RangeError);
  });
});

describe('conformalThreshold', () => {
  it('hand-computed fixture: 7 scores, target 0.25 -> just above the 6th smallest', () => {
    // (7 + 1) * 0.75 = 6; sorted: 0.10 0.20 0.30 0.40 0.50 0.61234 0.90
    const t = conformalThreshold([0.9, 0.3, 0.61234, 0.1, 0.5, 0.2, 0.4], 0.25);
    expect(t).toEqual({ threshold: 0.6124, rank: 6, scoreAtRank: 0.61234, n: 7, target: 0.25, bound: 1 - 6 / 8 });
  });

  it('a score already on the grid gets the next grid value, so that score is declined', () => {
    expect(conformalThreshold([0.1, 0.2, 0.5], 0.25)?.threshold).toBe(0.5001);
  });

  it('ties: every tied score at the rank is declined', () => {
    const scores = [0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.8];
    const t = conformalThreshold(scores, 0.25);
    expect(t?.scoreAtRank).toBe(0.3);
    expect(scores.filter((s) => s >= (t?.threshold ?? Number.NaN))).toEqual([0.8]);
  });

  it('undefined with too few scores', () => {
    expect(conformalThreshold([0.4, 0.7], 0.25)).toBeUndefined();
  });

  // The guarantee is marginal: over draws of the calibration set and the new question together. A skewed,
  // discrete-looking distribution shows it does not depend on the score's distribution.
  it('seeded simulation: a new exchangeable score is answered with probability 1 - k/(n + 1) <= target', () => {
    const rng = createRng(2026);
    const draw = () => rng.next() ** 3;
    const trials = 4000;
    for (const [n, target] of [
      [55, 0.25],
      [20, 0.1],
    ] as const) {
      let answered = 0;
      for (let i = 0; i < trials; i++) {
        const t = conformalThreshold(Array.from({ length: n }, draw), target);
        if (!t) throw new Error('enough scores');
        if (draw() >= t.threshold) answered++;
      }
      const k = conformalRank(n, target) as number;
      const bound = 1 - k / (n + 1);
      const se = Math.sqrt((bound * (1 - bound)) / trials);
      expect(bound).toBeLessThanOrEqual(target);
      // The observed share sits within simulation error of the exact value, so at most target + 3 se.
      expect(answered / trials).toBeLessThanOrEqual(target + 3 * se);
      expect(Math.abs(answered / trials - bound)).toBeLessThan(4 * se);
    }
  });
});

describe('conformalPredictiveInterval', () => {
  it('matches the Beta-binomial(55, 14, 42) computed with log-gamma (scipy.stats.betabinom(55, 14, 42))', () => {
    // Central 95%: P(X <= 5) = 0.0208 < 0.025 < P(X <= 6) = 0.0409; P(X <= 22) = 0.9667 < 0.975 <= P(X <= 23) = 0.9786. Mean 55 * 14/56 = 13.75.
    expect(conformalPredictiveInterval(55, 42, 55)).toEqual({ lo: 6, hi: 23, mean: 13.75 });
  });

  it('agrees with a seeded simulation of calibration and test draws', () => {
    const rng = createRng(7);
    const [n, m, trials] = [30, 20, 3000];
    const k = conformalRank(n, 0.25) as number;
    const counts: number[] = [];
    for (let i = 0; i < trials; i++) {
      const t = conformalThreshold(
        Array.from({ length: n }, () => rng.next()),
        0.25,
        12,
      ) as { threshold: number };
      let c = 0;
      for (let j = 0; j < m; j++) if (rng.next() >= t.threshold) c++;
      counts.push(c);
    }
    const { lo, hi, mean } = conformalPredictiveInterval(n, k, m);
    const inside = counts.filter((c) => c >= lo && c <= hi).length / trials;
    expect(inside).toBeGreaterThan(0.93);
    expect(Math.abs(counts.reduce((s, c) => s + c, 0) / trials - mean)).toBeLessThan(0.2);
  });
});
