import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { ProjectConfig } from '../config.ts';
import { writeJsonAtomic } from '../fs-atomic.ts';
import { projectPaths } from '../paths.ts';
import { loadPipeline } from '../pipeline.ts';
import { type AppDeps, createApp, describeScores, type ServedPipeline } from './app.ts';
import { createChatStreamer } from './chat-stream.ts';

export interface RunningServer {
  /** http://host:port/, with the port actually bound (port 0 picks a free one). */
  url: string;
  host: string;
  port: number;
  /**
   * Stop accepting connections and resolve when all are closed. Requests in flight get `graceMs`
   * (default 0) to finish before their connections are cut; idle keep-alive connections close at once.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/** Listen on host:port and resolve once bound. */
export function listen(app: Hono, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shown = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        url: `http://${shown}:${port}/`,
        host: options.host,
        port,
        close: ({ graceMs = 0 } = {}) =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeIdleConnections();
            if (graceMs <= 0) server.closeAllConnections();
            else setTimeout(() => server.closeAllConnections(), graceMs).unref();
          }),
      });
    });
  });
}

export interface StartOptions extends Partial<Pick<AppDeps, 'rateLimit' | 'trustProxy' | 'verbose' | 'log' | 'metrics' | 'review'>>, Pick<AppDeps, 'readLatestRun'> {
  project: ProjectConfig;
  port: number;
  host: string;
  /** Already loaded (tests); otherwise loaded from the project's index. */
  pipeline?: ServedPipeline;
}

/**
 * Load the pipeline, build the app and listen. Records `served.json` in the data folder, which
 * `ragfolio status` takes as evidence that the demo ran.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { project, port, host, pipeline: given, ...rest } = options;
  const { config } = project;
  const pipeline = given ?? (await loadPipeline(project));
  const paths = projectPaths(project);
  const app = createApp({
    ...rest,
    pipeline,
    settings: { k: config.retriever.k, retriever: config.retriever.kind, scores: describeScores(config.retriever) },
    streamer: config.generator.provider === 'openai' ? await createChatStreamer(config.generator) : undefined,
  });
  const server = await listen(app, { port, host });
  await writeJsonAtomic(paths.served, { startedAt: new Date().toISOString(), url: server.url, generator: pipeline.answerer.id });
  return server;
}
