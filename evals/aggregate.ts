import { passed } from './compare.ts';
import { metricInfo, sortMetrics } from './metric-info.ts';
import type { RunRecord } from './run-file.ts';
import { bootstrapCis, type MeanCi } from './stats/bootstrap.ts';
import { hierarchicalBootstrapCi } from './stats/hierarchical.ts';
import { sampleVariance } from './stats/moments.ts';
import { mdeMean, mdeProportion } from './stats/power.ts';
import { quantile } from './stats/quantile.ts';
import { wilsonInterval } from './stats/wilson.ts';

export interface Aggregate {
  mean: number;
  /** Percentile bootstrap 95% CI of the mean. */
  ci95: [number, number];
  /** Wilson 95% interval, for 0/1 metrics. */
  wilson95?: [number, number];
  /** Questions the metric applies to. */
  n: number;
  /**
   * Smallest change a paired comparison on these n questions detects at α and power 0.8, taking the
   * per-question sd as the sd of the differences (i.e. two runs correlated at 0.5); null if undefined.
   */
  mde: number | null;
}

export interface StatsOptions {
  resamples: number;
  seed: number;
  alpha: number;
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
function aggregateMetric(name: string, values: readonly number[], ci: MeanCi, options: StatsOptions): Aggregate {
  const n = values.length;
  const power = { alpha: options.alpha, power: 0.8 };
  if (metricInfo(name).binary) {
    const successes = values.filter((v) => v === 1).length;
    const w = wilsonInterval(successes, n);
    const p = successes / n;
    return { mean: ci.mean, ci95: [ci.lo, ci.hi], wilson95: [w.lo, w.hi], n, mde: p > 0 && p < 1 ? mdeProportion(n, p, power) : null };
  }
  const sd = n > 1 ? Math.sqrt(sampleVariance(values)) : 0;
  return { mean: ci.mean, ci95: [ci.lo, ci.hi], n, mde: sd > 0 ? mdeMean(n, sd, power) : null };
}

export function aggregateRecords(records: readonly { metrics: Record<string, number> }[], options: StatsOptions): Record<string, Aggregate> {
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

/** Aggregates of a repeated run: mean of per-question means, hierarchical bootstrap CI (questions, then repeats). */
export function aggregateRepeated(repeats: readonly (readonly { id: string; metrics: Record<string, number> }[])[], options: StatsOptions): Record<string, Aggregate> {
  const first = repeats[0] ?? [];
  const names = sortMetrics(repeats.flatMap((rep) => rep.flatMap((r) => Object.keys(r.metrics))));
  const out: Record<string, Aggregate> = {};
  for (const name of names) {
    const groups = first.map((_, q) => repeats.flatMap((rep) => (rep[q]?.metrics[name] === undefined ? [] : [rep[q]?.metrics[name] as number]))).filter((g) => g.length > 0);
    if (groups.length === 0) continue;
    const ci = hierarchicalBootstrapCi(groups, { resamples: options.resamples, seed: options.seed });
    const perQuestion = groups.map((g) => g.reduce((s, x) => s + x, 0) / g.length);
    const sd = perQuestion.length > 1 ? Math.sqrt(sampleVariance(perQuestion)) : 0;
    out[name] = { mean: ci.mean, ci95: [ci.lo, ci.hi], n: groups.length, mde: sd > 0 ? mdeMean(groups.length, sd, { alpha: options.alpha, power: 0.8 }) : null };
  }
  return out;
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
