import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import type { ProjectConfig } from '../../starter/config.ts';
import { prefetchStages } from './prefetch.ts';
import { GridStages } from './stages.ts';

/**
 * One grid worker thread: the stages of its share of the questions for every configuration of the grid, in
 * its own GridStages (a question's retrievals and answers depend on that question only, so splitting by
 * question repeats nothing but the index load), handed back to the main thread after each batch.
 */
if (!parentPort) throw new Error('evals/grid/worker.ts must run as a worker thread');
const port = parentPort;
const { projects } = workerData as { projects: ProjectConfig[] };
// The thread is one of the threads the grid was given: its embedder runs here, not on threads of its own.
const here = projects.map((p) => (p.config.embeddings.provider === 'local' ? { ...p, config: { ...p.config, embeddings: { ...p.config.embeddings, workers: 1 } } } : p));
const stages = new GridStages({ persist: false });
const job = z.object({ id: z.number(), questions: z.array(z.string()) });

port.on('message', async (message: unknown) => {
  const { id, questions } = job.parse(message);
  try {
    await prefetchStages(stages, here, questions);
    port.postMessage({ id, computed: await stages.takeComputed() });
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
