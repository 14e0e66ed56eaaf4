import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Aggregate, aggregateRecords, passRateByType, type StatsOptions } from '../../evals/aggregate.ts';
import { planGate, planLevel } from '../../evals/gate-plan.ts';
import { passed } from '../../evals/metrics/registry.ts';
import { type RunFile, type RunRecord, runFileSchema } from '../../evals/run-file.ts';
import { createRng } from '../../evals/stats/rng.ts';
import { configSchema } from '../../starter/config.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

const BASELINE = join(REPO_ROOT, 'evals', 'baseline.json');

/**
 * The run the gate tests mutate: the shipped evals/baseline.json, whatever it holds today; in a project that
 * has none (`ragfolio new` on another dataset), a seeded synthetic run of the same shape.
 */
export function referenceRun(file = BASELINE): RunFile {
  if (existsSync(file)) return runFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const rng = createRng(12);
  const stats = { resamples: 1000, seed: 42, alpha: 0.05 };
  const records: RunRecord[] = Array.from({ length: 80 }, (_, i) => {
    const hit = rng.next() < 0.8 ? 1 : 0;
    const contains = hit && rng.next() < 0.6 ? 1 : 0;
    return {
      id: `q${i}`,
      type: 'factoid',
      question: `question ${i}`,
      retrieved: [],
      answer: contains ? 'right' : 'wrong',
      citations: [],
      abstained: false,
      latencyMs: 1,
      metrics: { 'hit@5': hit, 'ndcg@10': hit * (0.4 + 0.6 * rng.next()), contains },
    };
  });
  return syntheticRun('synthetic', records, stats, { evalsetHash: 'synthetic', byType: passRateByType(records.map((r) => ({ type: r.type, passed: passed(r) }))) });
}

/** A run's aggregates as `eval` computes them, with the MDE planned under the default gate. */
export function testAggregates(records: readonly { metrics: Record<string, number> }[], stats: StatsOptions): Record<string, Aggregate> {
  const plan = planGate(records, { ...configSchema.parse({}).eval.gate, alpha: stats.alpha });
  return aggregateRecords(records, { ...stats, plan: planLevel(plan) });
}

/** A minimal run file around `records` (dev split, one eval set), for tests of compare, the leaderboard and saved types. */
export function syntheticRun(label: string, records: RunRecord[], stats: StatsOptions, overrides: Partial<RunFile> = {}): RunFile {
  return {
    version: 1,
    label,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    config: {},
    configHash: label,
    evalsetHash: 'same',
    split: 'dev',
    generator: 'extractive',
    records,
    aggregates: testAggregates(records, stats),
    operational: { latencyMsP50: 1, latencyMsP95: 1, inputTokens: 0, outputTokens: 0 },
    stats,
    byType: {},
    ...overrides,
  };
}
