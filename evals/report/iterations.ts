// The iteration log: the project's history as measured steps. Each kept run (the baseline and the runs in runs/
// on its split and eval set) is compared question by question with the previous one on the gated metrics, so
// the write-up can show what the template gave and what each of the author's changes did. Pure: runs and git
// facts come in, the log (written to docs/iterations.json, which the write-up's numbers cite) comes out.
import { type CompareOptions, compareRuns, type Verdict } from '../compare.ts';
import type { RunFile } from '../run-file.ts';
import type { NamedBaselineStep } from './named-baseline.ts';

/** Where the log is written, relative to the project: every number the write-up prints from it cites this file. */
export const ITERATIONS_FILE = 'docs/iterations.json';
export const TEMPLATE_CHANGE = 'started from the ragfolio template';

export interface KeptRun {
  file: string;
  run: RunFile;
  /** The subject of the run's commit, when that commit is in the project's own history. */
  subject?: string;
  /** Measured on code and config the project has not changed yet: another history's commit, or `ragfolio new`'s own. */
  fromTemplate: boolean;
}

export interface IterationDelta {
  metric: string;
  diff: number;
  ci95: [number, number];
  pValue: number;
  verdict: Verdict;
}

export interface IterationStep {
  run: string;
  label: string;
  commit: string | null;
  change: string;
  fromTemplate: boolean;
  means: Record<string, number>;
  /** Paired against the previous step (null for the first). */
  vsPrevious: IterationDelta[] | null;
}

export interface IterationLog {
  version: 1;
  split: string;
  metrics: string[];
  steps: IterationStep[];
  /** Where the story starts: the named naive baseline against the project's configuration, when it has been run. */
  namedBaseline?: NamedBaselineStep;
}

/**
 * The runs worth a row: on the baseline's split and eval set, not the gate's own re-runs, one per (commit,
 * config) (the newest), oldest first. Runs of the template's code all count as one commit: a re-run of the
 * shipped baseline's config at the commit `ragfolio new` made measures the same system.
 */
export function keptRuns(baseline: KeptRun, others: readonly KeptRun[]): KeptRun[] {
  const comparable = others.filter((k) => k.run.split === baseline.run.split && k.run.evalsetHash === baseline.run.evalsetHash && k.run.label !== 'regression-gate');
  const newest = new Map<string, KeptRun>();
  for (const k of [baseline, ...comparable].sort((a, b) => (a.run.startedAt < b.run.startedAt ? -1 : 1)))
    newest.set(`${k.fromTemplate ? 'template' : (k.run.gitCommit ?? k.file)}:${k.run.configHash}`, k);
  return [...newest.values()].sort((a, b) => (a.run.startedAt < b.run.startedAt ? -1 : a.run.startedAt > b.run.startedAt ? 1 : 0));
}

export function buildIterationLog(kept: readonly KeptRun[], options: CompareOptions): IterationLog {
  const metrics = [...options.gate.metrics];
  const steps: IterationStep[] = [];
  kept.forEach((k, i) => {
    const previous = kept[i - 1];
    const sameCommit = previous !== undefined && previous.run.gitCommit === k.run.gitCommit;
    const change = k.fromTemplate && !sameCommit ? TEMPLATE_CHANGE : sameCommit || !k.subject ? `config "${k.run.label}"` : k.subject;
    const comparison = previous ? compareRuns(previous.run, k.run, { ...options, metrics }) : undefined;
    steps.push({
      run: k.file,
      label: k.run.label,
      commit: k.run.gitCommit ?? null,
      change: k.fromTemplate && sameCommit ? `${TEMPLATE_CHANGE}, ${change}` : change,
      fromTemplate: k.fromTemplate,
      means: Object.fromEntries(metrics.flatMap((m) => (k.run.aggregates[m] ? [[m, k.run.aggregates[m].mean]] : []))),
      vsPrevious: comparison ? comparison.metrics.map((m) => ({ metric: m.metric, diff: m.diff, ci95: m.ci95, pValue: m.pValue, verdict: m.verdict })) : null,
    });
  });
  return { version: 1, split: kept[0]?.run.split ?? 'dev', metrics, steps };
}
