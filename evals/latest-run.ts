import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { isUserError } from '../starter/errors.ts';
import { mdeMeaning } from './gate-plan.ts';
import { sortMetrics } from './metrics/registry.ts';
import { listRunFiles, type RunFile, readRunFile } from './run-file.ts';

/** What serve's eval panel shows (injected into the app by the command, so the app never imports the harness): the run's identity and each metric's mean with its 95% CI. */
export interface LatestRunSummary {
  file: string;
  label: string;
  split: RunFile['split'];
  startedAt: string;
  finishedAt: string;
  generator: string;
  gitCommit?: string;
  questions: number;
  stats: RunFile['stats'];
  /** In report order (retrieval, then answer quality). */
  metrics: Record<string, { mean: number; ci95: [number, number]; n: number; mde: number | null }>;
  operational: RunFile['operational'];
  byType: RunFile['byType'];
  /** What the MDE column means (evals/gate-plan.ts); absent for runs written before the gate was planned. */
  mdeMeaning?: string;
}

export function summarizeRun(run: RunFile, file: string): LatestRunSummary {
  const metrics: LatestRunSummary['metrics'] = {};
  for (const name of sortMetrics(Object.keys(run.aggregates))) {
    const a = run.aggregates[name];
    if (a) metrics[name] = { mean: a.mean, ci95: a.ci95, n: a.n, mde: a.mde };
  }
  return {
    file: basename(file),
    label: run.label,
    split: run.split,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    generator: run.generator,
    ...(run.gitCommit ? { gitCommit: run.gitCommit } : {}),
    questions: run.records.length,
    stats: run.stats,
    metrics,
    operational: run.operational,
    byType: run.byType,
    ...(run.gatePlan ? { mdeMeaning: mdeMeaning(run.gatePlan) } : {}),
  };
}

/**
 * The newest readable run in `dir`, or undefined when there is none. A file that does not parse (a run
 * from an older version, a stray JSON) is skipped rather than hiding every older run. Parsed runs are
 * cached by name and mtime: the panel polls, and run files reach hundreds of kilobytes.
 */
export function createLatestRunReader(dir: string): () => Promise<LatestRunSummary | undefined> {
  const cache = new Map<string, { mtimeMs: number; summary: LatestRunSummary | undefined }>();
  return async () => {
    for (const file of (await listRunFiles(dir)).reverse()) {
      const mtimeMs = await stat(file).then(
        (s) => (s.isFile() ? s.mtimeMs : undefined),
        () => undefined,
      );
      if (mtimeMs === undefined) continue;
      const hit = cache.get(file);
      let summary = hit && hit.mtimeMs === mtimeMs ? hit.summary : undefined;
      if (!hit || hit.mtimeMs !== mtimeMs) {
        summary = await readRunFile(file).then(
          (run) => summarizeRun(run, file),
          (error: unknown) => (isUserError(error) ? undefined : Promise.reject(error)),
        );
        cache.set(file, { mtimeMs, summary });
      }
      if (summary) return summary;
    }
    return undefined;
  };
}
