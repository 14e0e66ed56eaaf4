import { Worker } from 'node:worker_threads';
import type { ProjectConfig } from '../../starter/config.ts';
import type { CompareOptions, GatedComparison } from '../compare.ts';
import type { RunFile } from '../run-file.ts';
import { embedsQuestions } from './prefetch.ts';
import type { ComputedStages, GridStages } from './stages.ts';

/** Questions per job: small enough that the threads finish together, large enough that messages cost nothing. */
const BATCH = 4;

/**
 * How many threads a grid's stages can be computed on, or 1 (the main thread, with the embedder's own
 * threads): every configuration answers offline with the local model on one index, the threads the config
 * grants the embedder (`embeddings.workers`), and enough asks to pay for each thread loading the index.
 */
export function gridThreads(projects: readonly ProjectConfig[], questions: number): number {
  const [first] = projects;
  if (first?.config.embeddings.provider !== 'local') return 1;
  const local = projects.every((p) => p.config.generator.provider === 'extractive' && p.config.embeddings.provider === 'local');
  const oneIndex = new Set(projects.map((p) => JSON.stringify([p.root, p.config.dataset, p.config.store, p.config.chunk, p.config.embeddings]))).size === 1;
  return local && oneIndex && questions * projects.length >= 200 ? first.config.embeddings.workers : 1;
}

/** A job for a grid worker (evals/grid/worker.ts) and what it sends back. */
export type GridJob = { kind: 'prefetch'; questions: string[] } | { kind: 'compare'; baseline: RunFile; candidate: RunFile; options: CompareOptions };
type Reply = { id: number; computed?: ComputedStages; comparison?: GatedComparison; error?: string };

/**
 * Worker threads for one grid (evals/grid/worker.ts), each loading the grid's index as soon as it starts, so
 * they load while the main thread loads its own. Jobs go to whichever thread is free: the stages of a few
 * questions for every configuration (a question's stages depend on it alone, so the run files equal a
 * single-thread grid's), and the paired comparisons of the leaderboard.
 */
export class GridThreads {
  private constructor(private readonly workers: Worker[]) {}

  static start(projects: readonly ProjectConfig[], threads: number): GridThreads {
    return new GridThreads(Array.from({ length: threads }, () => new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { projects } })));
  }

  /** prefetchStages for these questions, spread over the threads, each result adopted into `stages` for `project`'s index. */
  async prefetch(stages: GridStages, project: ProjectConfig, questions: readonly string[], onDone?: (done: number, total: number) => void): Promise<void> {
    const distinct = [...new Set(questions)];
    const size = Math.max(1, Math.min(BATCH, Math.ceil(distinct.length / this.workers.length)));
    const batches: string[][] = [];
    for (let i = 0; i < distinct.length; i += size) batches.push(distinct.slice(i, i + size));
    let done = 0;
    await this.run(
      batches.map((questions) => ({ kind: 'prefetch', questions })),
      async (i, reply) => {
        await stages.adopt(project, reply.computed as ComputedStages);
        done += batches[i]?.length ?? 0;
        onDone?.(done, distinct.length);
      },
    );
    // A single thread's fill counts a repeated question as a hit.
    if (embedsQuestions(project)) stages.stats.queries.hits += questions.length - distinct.length;
  }

  /** compareRuns(baseline, candidate, options) for each candidate, on the threads. */
  async compare(baseline: RunFile, candidates: readonly RunFile[], options: CompareOptions): Promise<GatedComparison[]> {
    const out: GatedComparison[] = new Array(candidates.length);
    await this.run(
      candidates.map((candidate) => ({ kind: 'compare', baseline, candidate, options })),
      (i, reply) => {
        out[i] = reply.comparison as GatedComparison;
      },
    );
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /** Each thread takes the next job when done; a failed job fails the call. */
  private async run(jobs: readonly GridJob[], onReply: (job: number, reply: Reply) => void | Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const stop = (error?: Error) => {
              worker.off('message', onMessage).off('error', stop).off('exit', onExit);
              if (error) reject(error);
              else resolve();
            };
            const send = () => {
              const id = next++;
              const job = jobs[id];
              if (job) worker.postMessage({ id, job });
              else stop();
            };
            const onMessage = (reply: Reply) => {
              if (reply.error !== undefined) return stop(new Error(`grid worker failed: ${reply.error}`));
              Promise.resolve(onReply(reply.id, reply)).then(send, stop);
            };
            const onExit = (code: number) => stop(new Error(`grid worker exited with code ${code}`));
            worker.on('message', onMessage).on('error', stop).on('exit', onExit);
            send();
          }),
      ),
    );
  }
}
