import { UserError } from '../starter/errors.ts';
import { metricInfo } from './metric-info.ts';
import type { RunFile, RunRecord } from './run-file.ts';
import { holmAdjust } from './stats/holm.ts';
import { exactMcNemar } from './stats/mcnemar.ts';
import { mean } from './stats/moments.ts';
import { type PairedCi, pairedBootstraps, pairedPermutationTest } from './stats/paired.ts';

export type Verdict = 'improved' | 'regressed' | 'no significant change';

export interface MetricComparison {
  metric: string;
  /** Questions where both runs have the metric. */
  n: number;
  baseline: number;
  candidate: number;
  /** candidate − baseline, with its paired-bootstrap 95% CI. */
  diff: number;
  ci95: [number, number];
  test: 'mcnemar' | 'permutation';
  pValue: number;
  /** Holm-adjusted across the metrics compared. */
  pAdjusted: number;
  verdict: Verdict;
  gated: boolean;
  /** A gated metric that regressed significantly by more than the tolerance. */
  gateFailed: boolean;
}

export interface Flip {
  id: string;
  type: string;
  question: string;
  direction: 'pass→fail' | 'fail→pass';
}

export interface Comparison {
  baselineLabel: string;
  candidateLabel: string;
  split: string;
  metrics: MetricComparison[];
  flips: Flip[];
  gateFailed: boolean;
}

export interface CompareOptions {
  metrics: readonly string[];
  gate: { metrics: readonly string[]; tolerance: number };
  alpha: number;
  resamples: number;
  seed: number;
}

/**
 * A question "passes" when the answer contains a gold answer, or, if unanswerable, when the system abstained.
 * Undefined for retrieval-only questions (no gold answer strings, e.g. imported from BEIR).
 */
export function passed(record: RunRecord): boolean | undefined {
  const score = record.type === 'unanswerable' ? record.metrics.abstain_correct : record.metrics.contains;
  return score === undefined ? undefined : score === 1;
}

export function assertComparable(a: RunFile, b: RunFile): void {
  if (a.evalsetHash !== b.evalsetHash) {
    throw new UserError(
      `the runs "${a.label}" and "${b.label}" were scored on different eval sets (sha256 ${a.evalsetHash.slice(0, 12)}… vs ${b.evalsetHash.slice(0, 12)}…): their numbers are not comparable. Re-run both with \`ragfolio eval\` on the current eval set.`,
    );
  }
  if (a.split !== b.split) throw new UserError(`the runs "${a.label}" (${a.split}) and "${b.label}" (${b.split}) used different splits. Re-run one with --split ${a.split}.`);
}

/** Paired comparison of two runs on the same questions: one test per metric, Holm across metrics. */
export function compareRuns(baseline: RunFile, candidate: RunFile, options: CompareOptions): Comparison {
  assertComparable(baseline, candidate);
  const byId = new Map(candidate.records.map((r) => [r.id, r]));
  const pairs = baseline.records.flatMap((a) => {
    const b = byId.get(a.id);
    return b ? [[a, b] as const] : [];
  });
  if (pairs.length !== baseline.records.length || pairs.length !== candidate.records.length) {
    throw new UserError(`the runs "${baseline.label}" and "${candidate.label}" did not answer the same questions. Re-run the incomplete one.`);
  }

  const scored = options.metrics.flatMap((metric) => {
    const both = pairs.filter(([a, b]) => a.metrics[metric] !== undefined && b.metrics[metric] !== undefined);
    return both.length === 0 ? [] : [{ metric, a: both.map(([a]) => a.metrics[metric] ?? 0), b: both.map(([, b]) => b.metrics[metric] ?? 0) }];
  });
  // One pass for every metric's CI, as in aggregateRecords.
  const cis = pairedBootstraps(scored, { resamples: options.resamples, seed: options.seed });
  const rows = scored.map(({ metric, a: x, b: y }, i) => {
    const ci = cis[i] as PairedCi;
    const { binary } = metricInfo(metric);
    const pValue = binary ? exactMcNemar(x, y).pValue : pairedPermutationTest(x, y, { resamples: options.resamples, seed: options.seed }).pValue;
    return {
      metric,
      n: x.length,
      baseline: mean(x),
      candidate: mean(y),
      diff: ci.meanDiff,
      ci95: [ci.lo, ci.hi] as [number, number],
      test: binary ? ('mcnemar' as const) : ('permutation' as const),
      pValue,
    };
  });
  const adjusted = holmAdjust(rows.map((r) => r.pValue));
  const metrics = rows.map((row, i): MetricComparison => {
    const pAdjusted = adjusted[i] ?? 1;
    const better = metricInfo(row.metric).higherIsBetter ? row.diff > 0 : row.diff < 0;
    const verdict: Verdict = pAdjusted < options.alpha && row.diff !== 0 ? (better ? 'improved' : 'regressed') : 'no significant change';
    const gated = options.gate.metrics.includes(row.metric);
    return { ...row, pAdjusted, verdict, gated, gateFailed: gated && verdict === 'regressed' && Math.abs(row.diff) > options.gate.tolerance };
  });

  const flips = pairs.flatMap(([a, b]): Flip[] => {
    if (passed(a) === undefined || passed(a) === passed(b)) return [];
    return [{ id: a.id, type: a.type, question: a.question, direction: passed(a) ? 'pass→fail' : 'fail→pass' }];
  });
  return { baselineLabel: baseline.label, candidateLabel: candidate.label, split: baseline.split, metrics, flips, gateFailed: metrics.some((m) => m.gateFailed) };
}
