import { Worker } from 'node:worker_threads';
import type { ProjectConfig } from '../../starter/config.ts';
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

/**
 * prefetchStages on `threads` worker threads (evals/grid/worker.ts), each pulling the next few questions
 * when done, so answering (the longest stage) and embedding run on every core while the main thread waits;
 * their results are adopted into `stages` as they come. A question's stages depend on it alone, so the run
 * files equal those of a single-thread grid.
 */
export async function prefetchOnThreads(
  stages: GridStages,
  projects: readonly ProjectConfig[],
  questions: readonly string[],
  threads: number,
  onDone?: (done: number, total: number) => void,
): Promise<void> {
  const [first] = projects;
  if (!first) return;
  const distinct = [...new Set(questions)];
  const size = Math.max(1, Math.min(BATCH, Math.ceil(distinct.length / threads)));
  const batches: string[][] = [];
  for (let i = 0; i < distinct.length; i += size) batches.push(distinct.slice(i, i + size));
  const workers = Array.from({ length: Math.min(threads, batches.length) }, () => new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { projects } }));
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              const id = next++;
              const batch = batches[id];
              if (!batch) return resolve();
              worker.postMessage({ id, questions: batch });
            };
            worker.on('message', (reply: { id: number; computed?: ComputedStages; error?: string }) => {
              if (!reply.computed) return reject(new Error(`grid worker failed: ${reply.error ?? 'no result'}`));
              stages.adopt(first, reply.computed).then(() => {
                done += batches[reply.id]?.length ?? 0;
                onDone?.(done, distinct.length);
                send();
              }, reject);
            });
            worker.on('error', reject).on('exit', (code) => reject(new Error(`grid worker exited with code ${code}`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  // A single thread's fill counts a repeated question as a hit.
  if (projects.some(embedsQuestions)) stages.stats.queries.hits += questions.length - distinct.length;
}
