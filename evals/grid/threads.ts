import { Worker } from 'node:worker_threads';
import type { ProjectConfig } from '../../starter/config.ts';
import type { Aggregate, AggregateOptions } from '../aggregate.ts';
import { type ComparedRun, type CompareOptions, comparedRun, type GatedComparison } from '../compare.ts';
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

/** A job for a grid worker (evals/grid/worker.ts); it replies with the matching field or an error. */
export type GridJob =
  | { kind: 'prefetch'; questions: string[] }
  | { kind: 'compare'; baseline: ComparedRun; candidate: ComparedRun; options: CompareOptions }
  | { kind: 'aggregate'; records: { metrics: Record<string, number> }[]; options: AggregateOptions };
export interface GridReply {
  computed?: ComputedStages;
  comparison?: GatedComparison;
  aggregates?: Record<string, Aggregate>;
  error?: string;
}

interface Queued {
  job: GridJob;
  resolve(reply: GridReply): void;
  reject(error: unknown): void;
}

/**
 * Worker threads for one grid (evals/grid/worker.ts), each loading the grid's index as soon as it starts, so
 * they load while the main thread loads its own. Jobs queue for whichever thread is free: the stages of a few
 * questions for every configuration (a question's stages depend on it alone, so the run files equal a
 * single-thread grid's), a run's bootstrap CIs, and the leaderboard's paired comparisons.
 */
export class GridThreads {
  private readonly queue: Queued[] = [];
  private readonly idle: Worker[];
  private readonly busy = new Map<Worker, Queued>();
  private failed: unknown;

  private constructor(private readonly workers: Worker[]) {
    this.idle = [...workers];
    for (const worker of workers) {
      worker.on('error', (error) => this.fail(error)).on('exit', (code) => this.fail(new Error(`grid worker exited with code ${code}`)));
    }
  }

  /**
   * @param entry the worker's entry: by default worker.mjs, which compiles worker.ts and its imports through tsx
   * (a few hundred milliseconds of CPU and a loader thread per worker); the CLI build's grid worker when there is
   * one (scripts/cli/build-cli.mjs), which compiles nothing.
   */
  static start(projects: readonly ProjectConfig[], threads: number, entry: string | URL = new URL('./worker.mjs', import.meta.url)): GridThreads {
    const execArgv = withoutPreloads(process.execArgv);
    return new GridThreads(Array.from({ length: threads }, () => new Worker(entry, { workerData: { projects }, execArgv })));
  }

  /**
   * prefetchStages for these questions, spread over the threads, each result adopted into `stages` for
   * `project`'s index as it comes (pipelines asking for a question meanwhile wait for it: GridStages.expect).
   */
  async prefetch(stages: GridStages, project: ProjectConfig, questions: readonly string[], onDone?: (done: number, total: number) => void): Promise<void> {
    const distinct = [...new Set(questions)];
    stages.expect(distinct);
    const size = Math.max(1, Math.min(BATCH, Math.ceil(distinct.length / this.workers.length)));
    const batches: string[][] = [];
    for (let i = 0; i < distinct.length; i += size) batches.push(distinct.slice(i, i + size));
    let done = 0;
    const computing = Promise.all(
      batches.map(async (batch) => {
        const { computed } = await this.submit({ kind: 'prefetch', questions: batch });
        await stages.adopt(project, computed as ComputedStages);
        stages.arrived(batch);
        done += batch.length;
        onDone?.(done, distinct.length);
      }),
    );
    await computing.catch((error: unknown) => {
      stages.abandon(error);
      throw error;
    });
    // A single thread's fill counts a repeated question as a hit.
    if (embedsQuestions(project)) stages.stats.queries.hits += questions.length - distinct.length;
  }

  /** compareRuns(baseline, candidate, options) on a thread, sent only what it reads (answers and retrievals are most of a run). */
  async compare(baseline: ComparedRun, candidate: ComparedRun, options: CompareOptions): Promise<GatedComparison> {
    return (await this.submit({ kind: 'compare', baseline: comparedRun(baseline), candidate: comparedRun(candidate), options })).comparison as GatedComparison;
  }

  /** aggregateRecords(records, options) on a thread. */
  async aggregate(records: readonly { metrics: Record<string, number> }[], options: AggregateOptions): Promise<Record<string, Aggregate>> {
    return (await this.submit({ kind: 'aggregate', records: records.map((r) => ({ metrics: r.metrics })), options })).aggregates as Record<string, Aggregate>;
  }

  async close(): Promise<void> {
    this.failed ??= new Error('the grid threads are closed');
    await Promise.all(this.workers.map((w) => w.removeAllListeners('exit').terminate()));
  }

  private submit(job: GridJob): Promise<GridReply> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Give queued jobs to idle threads; a thread is idle again once it replies. */
  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const queued = this.queue.shift() as Queued;
      const { job, resolve, reject } = queued;
      this.busy.set(worker, queued);
      worker.once('message', (reply: GridReply) => {
        this.busy.delete(worker);
        this.idle.push(worker);
        if (reply.error !== undefined) reject(new Error(`grid worker failed: ${reply.error}`));
        else resolve(reply);
        this.dispatch();
      });
      worker.postMessage(job);
    }
  }

  /** A thread died: every queued job fails, and so does every later one. */
  private fail(error: unknown): void {
    this.failed ??= error;
    for (const queued of [...this.busy.values(), ...this.queue.splice(0)]) queued.reject(error);
    this.busy.clear();
  }
}

/**
 * The parent's Node flags without its preloaded modules (`--import tsx` in the bench, the npm scripts and tests):
 * a worker would load them again (about 80 ms of CPU each) for nothing, since its entry loads what it needs.
 * Other flags (`--cpu-prof`, memory limits) still reach the threads.
 */
export function withoutPreloads(execArgv: readonly string[]): string[] {
  return execArgv.filter((arg, i) => !PRELOAD_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`) || execArgv[i - 1] === flag));
}
const PRELOAD_FLAGS = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
