import type { Config } from '../../starter/config.ts';
import type { EvalItem } from '../evalset.ts';
import type { Leaderboard, LeaderboardRow } from '../experiment.ts';
import { headlineMetrics } from '../metrics/registry.ts';
import type { AgreementReport } from '../review/agreement.ts';
import type { RunFile } from '../run-file.ts';
import type { ProjectEvidence } from './facts.ts';
import type { IterationLog } from './iterations.ts';
import { Ledger } from './ledger.ts';
import type { NamedBaselineComparison } from './named-baseline.ts';
import type { PitchText } from './pitch.ts';

export interface EvalsetStats {
  total: number;
  byType: Record<string, number>;
  bySplit: Record<string, number>;
}

export function evalsetStats(items: readonly EvalItem[]): EvalsetStats {
  const reviewed = items.filter((i) => i.status !== 'draft');
  const tally = (key: (i: EvalItem) => string) => {
    const counts: Record<string, number> = {};
    for (const item of reviewed) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
    return counts;
  };
  return { total: reviewed.length, byType: tally((i) => i.type), bySplit: tally((i) => i.split) };
}

export interface Sourced<T> {
  /** Path relative to the project root, as printed in the write-up. */
  file: string;
  value: T;
}

export interface SummaryInput {
  projectName: string;
  config: Config;
  corpus: Sourced<{ passages: number; documents: number }>;
  evalset: Sourced<EvalsetStats>;
  baseline?: Sourced<RunFile>;
  /** Newest run on the test split with the baseline's eval set: the numbers to report. */
  test?: Sourced<RunFile>;
  leaderboard?: Sourced<Leaderboard>;
  /** The project's history as measured steps (evals/report/iterations.ts), as written to docs/iterations.json. */
  iterations?: Sourced<IterationLog>;
  /**
   * The named baseline (configs/naive.json) against the project's configuration, or why there is none; its
   * numbers are printed from the iteration log's copy (iterations.value.namedBaseline), which cites a file.
   */
  namedBaseline?: NamedBaselineComparison;
  /** The sections of docs/PITCH.md the author wrote; absent when the file does not exist. */
  pitch?: Sourced<PitchText>;
  /** What git history and CI files show; without it every such sentence is left out. */
  evidence?: ProjectEvidence;
  /** `ragfolio review --report`'s agreement of the automatic graders with hand labels; stale when the labels changed since. */
  agreement?: Sourced<AgreementReport> & { stale: boolean };
}

/** What every section reads: the input, the ledger, and the run whose numbers are the headline. */
export interface SummaryContext {
  input: SummaryInput;
  L: Ledger;
  baseline: Sourced<RunFile>;
  /** The test-split run when there is one, else the baseline (a dev number, which the prose says). */
  report: Sourced<RunFile>;
  primary: string;
  /** Headline metrics present in the runs shown. */
  shown: string[];
  board?: Sourced<Leaderboard>;
  /** The top leaderboard row, when it beats the baseline on the sort metric. */
  best?: LeaderboardRow;
  /** The question type with the lowest pass rate in the reported run. */
  worst?: [string, RunFile['byType'][string]];
}

export function createContext(input: SummaryInput, baseline: Sourced<RunFile>): SummaryContext {
  const report = input.test ?? baseline;
  const board = input.leaderboard;
  const primary = input.config.eval.gate.metrics[0] ?? 'hit@5';
  // Leaderboard rows are sorted best first; the top one is worth naming only if it beats the baseline.
  const top = board?.value.rows[0];
  const sortBy = board?.value.sortBy ?? primary;
  const best = top && (top.aggregates[sortBy]?.mean ?? -1) > (board?.value.baseline.aggregates[sortBy]?.mean ?? Infinity) ? top : undefined;
  const columns = [baseline, ...(input.test && input.test.file !== baseline.file ? [input.test] : [])];
  return {
    input,
    L: new Ledger(),
    baseline,
    report,
    primary,
    shown: headlineMetrics((m) => columns.some((c) => c.value.aggregates[m])),
    board,
    best,
    worst: Object.entries(report.value.byType).sort((x, y) => x[1].rate - y[1].rate)[0],
  };
}

/** Which split a number comes from, in words: a dev number is a tuned number and the prose says so. */
export function splitWords(split: string): string {
  return split === 'all' ? 'all questions' : split === 'test' ? 'the held-out test split' : `the ${split} split`;
}

/** The runs a results table shows: the baseline, and the test run when it is another file. */
export function resultColumns(c: SummaryContext): Sourced<RunFile>[] {
  return [c.baseline, ...(c.input.test && c.input.test.file !== c.baseline.file ? [c.input.test] : [])];
}

/** "0.797 [0.696, 0.884]" through the ledger, or "—". */
export function metricCell(c: SummaryContext, run: Sourced<RunFile>, m: string): string {
  const a = run.value.aggregates[m];
  return a ? `${c.L.num(a.mean, run.file, ['aggregates', m, 'mean'])} ${c.L.ci(a.ci95, run.file, ['aggregates', m, 'ci95'])}` : '—';
}
