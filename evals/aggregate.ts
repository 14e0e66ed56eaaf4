import { type PlanLevel, planMetric } from './gate-plan.ts';
import { passed, sortMetrics, testsAsBinary } from './metrics/registry.ts';
import type { Aggregate, RunRecord } from './run-file.ts';
import { bootstrapCis, type MeanCi } from './stats/bootstrap.ts';
import { quantile } from './stats/quantile.ts';
import { wilsonInterval } from './stats/wilson.ts';

/** A metric's mean, CIs, n and MDE as the run file stores it (run-file.ts's aggregateSchema). */
export type { Aggregate } from './run-file.ts';

export interface StatsOptions {
  resamples: number;
  seed: number;
  alpha: number;
}

/** What the aggregates need: the bootstrap settings and the level the gate plans its MDE at. */
export interface AggregateOptions extends StatsOptions {
  plan: PlanLevel;
}

/** Per-metric values over the records that have the metric, in record order (the pairing key for compare). */
export function metricVectors(records: readonly { metrics: Record<string, number> }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const name of sortMetrics(records.flatMap((r) => Object.keys(r.metrics)))) {
    out.set(
      name,
      records.flatMap((r) => (r.metrics[name] === undefined ? [] : [r.metrics[name]])),
    );
  }
  return out;
}

/** Mean, CIs and MDE of one metric, given its bootstrap CI (computed for all metrics at once in aggregateRecords). */
function aggregateMetric(name: string, values: readonly number[], ci: MeanCi, options: AggregateOptions): Aggregate {
  const n = values.length;
  const mde = planMetric(name, values, options.plan)?.mde ?? null;
  if (testsAsBinary(name, values)) {
    const w = wilsonInterval(values.filter((v) => v === 1).length, n);
    return { mean: ci.mean, ci95: [ci.lo, ci.hi], wilson95: [w.lo, w.hi], n, mde };
  }
  return { mean: ci.mean, ci95: [ci.lo, ci.hi], n, mde };
}

/**
 * Mean, bootstrap CI and MDE of every metric over the questions that have it. For a repeated run the records
 * are the per-question means over the repeats (meanRecords), and the question-level bootstrap over them is the
 * right interval: a question's mean already carries its run-to-run noise, so resampling the repeats again
 * would count that noise twice (coverage ~99% for a nominal 95%, tests/evals/repeat-coverage.test.ts).
 */
export function aggregateRecords(records: readonly { metrics: Record<string, number> }[], options: AggregateOptions): Record<string, Aggregate> {
  const metrics = [...metricVectors(records)].filter(([, values]) => values.length > 0);
  const cis = bootstrapCis(
    metrics.map(([, values]) => values),
    { resamples: options.resamples, seed: options.seed },
  );
  return Object.fromEntries(metrics.map(([name, values], i) => [name, aggregateMetric(name, values, cis[i] as MeanCi, options)]));
}

/**
 * Each question's mean over the repeats: every metric averaged over the repeats that have it, the pass rate,
 * and "abstained" when it abstained in most repeats. What `compare` pairs, question by question.
 */
export function meanRecords(repeats: readonly (readonly RunRecord[])[]): RunRecord[] {
  const first = repeats[0] ?? [];
  return first.map((record, q) => {
    const same = repeats.map((rep) => rep[q]).filter((r): r is RunRecord => r !== undefined && r.id === record.id);
    const names = [...new Set(same.flatMap((r) => Object.keys(r.metrics)))];
    const metrics = Object.fromEntries(
      names.map((name) => {
        const values = same.flatMap((r) => (r.metrics[name] === undefined ? [] : [r.metrics[name]]));
        return [name, values.reduce((s, x) => s + x, 0) / values.length];
      }),
    );
    const passes = same.map(passed).filter((p): p is boolean => p !== undefined);
    return {
      ...record,
      abstained: same.filter((r) => r.abstained).length * 2 > same.length,
      latencyMs: same.reduce((s, r) => s + r.latencyMs, 0) / same.length,
      metrics,
      ...(passes.length > 0 ? { passRate: passes.filter(Boolean).length / passes.length } : {}),
    };
  });
}

/** Questions whose pass rate over the repeats is strictly between 0 and 1. */
export function flakyQuestions(records: readonly { id: string; passRate?: number }[]): { id: string; passRate: number }[] {
  return records.flatMap((r) => (r.passRate !== undefined && r.passRate > 0 && r.passRate < 1 ? [{ id: r.id, passRate: r.passRate }] : []));
}

export interface Operational {
  latencyMsP50: number;
  latencyMsP95: number;
  inputTokens: number;
  outputTokens: number;
  /** Estimated from config.eval.pricing; absent without prices or usage. */
  costUsd?: number;
}

export function operationalStats(
  records: readonly { latencyMs: number; usage?: { inputTokens: number; outputTokens: number } }[],
  pricing?: { inputPerMTok: number; outputPerMTok: number },
): Operational {
  const latencies = records.map((r) => r.latencyMs);
  const inputTokens = records.reduce((s, r) => s + (r.usage?.inputTokens ?? 0), 0);
  const outputTokens = records.reduce((s, r) => s + (r.usage?.outputTokens ?? 0), 0);
  const hasUsage = records.some((r) => r.usage);
  return {
    latencyMsP50: latencies.length > 0 ? quantile(latencies, 0.5) : 0,
    latencyMsP95: latencies.length > 0 ? quantile(latencies, 0.95) : 0,
    inputTokens,
    outputTokens,
    ...(pricing && hasUsage ? { costUsd: (inputTokens * pricing.inputPerMTok + outputTokens * pricing.outputPerMTok) / 1e6 } : {}),
  };
}

export interface TypeSummary {
  n: number;
  passed: number;
  rate: number;
  wilson95: [number, number];
}

/** Pass rate by question type: where the system fails. Questions with no pass notion (undefined) are left out. */
export function passRateByType(records: readonly { type: string; passed: boolean | undefined }[]): Record<string, TypeSummary> {
  const out: Record<string, TypeSummary> = {};
  const judged = records.filter((r) => r.passed !== undefined);
  for (const type of [...new Set(judged.map((r) => r.type))].sort()) {
    const ofType = judged.filter((r) => r.type === type);
    const passed = ofType.filter((r) => r.passed).length;
    const w = wilsonInterval(passed, ofType.length);
    out[type] = { n: ofType.length, passed, rate: passed / ofType.length, wilson95: [w.lo, w.hi] };
  }
  return out;
}
