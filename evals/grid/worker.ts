import { parentPort, workerData } from 'node:worker_threads';
import type { ProjectConfig } from '../../starter/config.ts';
import { aggregateRecords } from '../aggregate.ts';
import { compareRuns } from '../compare.ts';
import { prefetchStages } from './prefetch.ts';
import { GridStages } from './stages.ts';
import type { GridJob, GridReply } from './threads.ts';

/**
 * One grid worker thread (evals/grid/threads.ts): the stages of its share of the questions for every
 * configuration, in its own GridStages, handed back after each job; a run's bootstrap CIs; a paired comparison.
 */
if (!parentPort) throw new Error('evals/grid/worker.ts must run as a worker thread');
const port = parentPort;
const { projects } = workerData as { projects: ProjectConfig[] };
// The thread is one of the threads the grid was given: its embedder runs here, not on threads of its own.
const here = projects.map((p) => (p.config.embeddings.provider === 'local' ? { ...p, config: { ...p.config, embeddings: { ...p.config.embeddings, workers: 1 } } } : p));
const stages = new GridStages({ persist: false });
// Load the index, answerers and sentence vectors now, while the main thread loads its own.
const loaded = Promise.all(here.map((p) => stages.pipeline(p, 'prefetch')));
loaded.catch(() => {});

port.on('message', async (job: GridJob) => {
  try {
    port.postMessage(await reply(job));
  } catch (error) {
    port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies GridReply);
  }
});

async function reply(job: GridJob): Promise<GridReply> {
  if (job.kind === 'compare') return { comparison: compareRuns(job.baseline, job.candidate, job.options) };
  if (job.kind === 'aggregate') return { aggregates: aggregateRecords(job.records, job.options) };
  await loaded;
  await prefetchStages(stages, here, job.questions, undefined, { overlap: false });
  return { computed: await stages.takeComputed() };
}
