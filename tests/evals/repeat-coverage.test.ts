import { describe, expect, test } from 'vitest';
import { aggregateRecords, meanRecords } from '../../evals/aggregate.ts';
import type { RunRecord } from '../../evals/run-file.ts';
import { createRng, type Rng } from '../../evals/stats/rng.ts';

// What the interval of `eval --repeat` covers: the mean over questions (drawn from the population of questions
// like the eval set's) of each question's long-run pass rate. A question's mean over its repeats already carries
// the run-to-run noise, so the question-level bootstrap over those means is the whole interval. Resampling the
// repeats a second time (the old two-stage scheme) counted that noise twice: 98.8% coverage for a nominal 95%.
const TRIALS = 1000;
const QUESTIONS = 40;
const REPEATS = 5;
const plan = { level: 0.05 / 3, power: 0.8, margin: 0.05, correlation: 0.5 };

function repeatedRun(rng: Rng, chance: () => number): RunRecord[][] {
  const chances = Array.from({ length: QUESTIONS }, chance);
  return Array.from({ length: REPEATS }, () =>
    chances.map(
      (p, i): RunRecord => ({
        id: `q${i}`,
        type: 'factoid',
        question: `question ${i}`,
        retrieved: [],
        answer: '',
        citations: [],
        abstained: false,
        latencyMs: 1,
        metrics: { contains: rng.next() < p ? 1 : 0 },
      }),
    ),
  );
}

/** Share of seeded trials whose 95% interval (as `eval --repeat` computes it) holds the true mean. */
function coverage(seed: number, chance: (rng: Rng) => number, truth: number): number {
  const rng = createRng(seed);
  let covered = 0;
  for (let t = 0; t < TRIALS; t++) {
    const records = meanRecords(repeatedRun(rng, () => chance(rng)));
    const ci = aggregateRecords(records, { resamples: 1000, seed: seed + t, alpha: 0.05, plan }).contains?.ci95;
    if (ci && ci[0] <= truth && truth <= ci[1]) covered++;
  }
  return covered / TRIALS;
}

describe('eval --repeat: the 95% interval covers the true mean 95% of the time', () => {
  test('pure run-to-run noise (every question a coin, p = 0.5): the review’s case', () => {
    const c = coverage(24, () => 0.5, 0.5);
    console.info(`coverage, p = 0.5: ${c}`);
    expect(c).toBeGreaterThanOrEqual(0.935);
    expect(c).toBeLessThanOrEqual(0.965);
  });

  test('questions of mixed difficulty (pass chance uniform on [0, 1]) plus run-to-run noise', () => {
    const c = coverage(25, (rng) => rng.next(), 0.5);
    console.info(`coverage, mixed difficulty: ${c}`);
    expect(c).toBeGreaterThanOrEqual(0.935);
    expect(c).toBeLessThanOrEqual(0.965);
  });
});
