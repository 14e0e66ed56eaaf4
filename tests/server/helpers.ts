import { fileURLToPath } from 'node:url';
import { summarizeRun } from '../../evals/latest-run.ts';
import { RUN_VERSION, type RunFile } from '../../evals/run-file.ts';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { loadPipeline, type Pipeline } from '../../starter/pipeline.ts';
import { type AppDeps, createApp, describeScores } from '../../starter/server/app.ts';
import { listen, type RunningServer } from '../../starter/server/start.ts';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The kit's own project over the bundled dataset (indexed by the global setup). */
export async function loadKit(): Promise<{ project: ProjectConfig; pipeline: Pipeline }> {
  const project = await loadProjectConfig(repoRoot);
  return { project, pipeline: await loadPipeline(project) };
}

/** A small valid run file: the eval panel's data without depending on whatever runs/ holds right now. */
export function fixtureRun(label = 'fixture'): RunFile {
  const agg = (mean: number, lo: number, hi: number) => ({ mean, ci95: [lo, hi] as [number, number], n: 40, mde: 0.21 });
  return {
    version: RUN_VERSION,
    label,
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:04:09.000Z',
    config: {},
    configHash: 'c0ffee',
    evalsetHash: 'e0e0e0',
    split: 'dev',
    generator: 'extractive',
    records: [],
    aggregates: { f1: agg(0.41, 0.33, 0.5), 'hit@5': agg(0.8, 0.68, 0.9), 'mrr@10': agg(0.62, 0.52, 0.72) },
    operational: { latencyMsP50: 40, latencyMsP95: 120, inputTokens: 0, outputTokens: 0 },
    stats: { resamples: 10_000, seed: 42, alpha: 0.05 },
    byType: { factoid: { n: 40, passed: 30, rate: 0.75, wilson95: [0.6, 0.86] } },
  };
}

export const fixtureLatestRun = () => Promise.resolve(summarizeRun(fixtureRun(), '/runs/20260102-030405-fixture.json'));

/** An app over a pipeline, listening on an ephemeral loopback port. */
export function serveApp(pipeline: AppDeps['pipeline'], project: ProjectConfig, overrides: Partial<AppDeps> = {}): Promise<RunningServer> {
  const app = createApp({
    pipeline,
    settings: { k: project.config.retriever.k, retriever: project.config.retriever.kind, scores: describeScores(project.config.retriever) },
    readLatestRun: fixtureLatestRun,
    rateLimit: false,
    ...overrides,
  });
  return listen(app, { port: 0, host: '127.0.0.1' });
}

export const postJson = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL(path, base), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Parse a text/event-stream body into events (data lines joined, JSON-decoded). */
export function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split(/\n\n/)
    .filter((block) => block.trim())
    .map((block) => {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      return { event, data: JSON.parse(data.join('\n')) as unknown };
    });
}
