import { readFile } from 'node:fs/promises';
import { quantile } from '../../evals/stats/quantile.ts';
import type { ProjectConfig } from '../../starter/config.ts';
import { projectPaths } from '../../starter/paths.ts';
import { loadPipeline } from '../../starter/pipeline.ts';
import { createApp, type ServedPipeline } from '../../starter/server/app.ts';
import { listen } from '../../starter/server/start.ts';

export interface ServeLoadOptions {
  /** Total POST /api/ask requests (default 500). */
  requests?: number;
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Reuse a loaded pipeline (tests); otherwise loaded from the project's index. */
  pipeline?: ServedPipeline;
}

export interface ServeLoadResult {
  requests: number;
  concurrency: number;
  /** Non-200 answers plus failed connections. */
  errors: number;
  /** Client-side latency of POST /api/ask over loopback, milliseconds. */
  p50: number;
  p95: number;
  requestsPerSecond: number;
}

/**
 * POST /api/ask on a loopback server, `concurrency` clients at a time, cycling the eval set's questions.
 * The rate limit is off: this measures the server, not the limiter. One warm-up request is not counted.
 */
export async function benchServeLoad(project: ProjectConfig, options: ServeLoadOptions = {}): Promise<ServeLoadResult> {
  const { requests = 500, concurrency = 8 } = options;
  const pipeline = options.pipeline ?? (await loadPipeline(project));
  const questions = (await readFile(projectPaths(project).evalset, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { question?: unknown }).question)
    .filter((q): q is string => typeof q === 'string' && q.trim().length > 0);
  if (questions.length === 0) throw new Error(`${projectPaths(project).evalset}: no questions to send`);

  const app = createApp({ pipeline, settings: { k: project.config.retriever.k, retriever: project.config.retriever.kind }, readLatestRun: async () => undefined, rateLimit: false });
  const server = await listen(app, { port: 0, host: '127.0.0.1' });
  const url = new URL('/api/ask', server.url);
  const send = async (question: string): Promise<boolean> => {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  };
  try {
    await send(questions[0] ?? 'warm up');
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const started = performance.now();
    const client = async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        const ok = await send(questions[i % questions.length] ?? '');
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, requests)) }, client));
    const seconds = (performance.now() - started) / 1000;
    return { requests, concurrency, errors, p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), requestsPerSecond: requests / seconds };
  } finally {
    await server.close();
  }
}
