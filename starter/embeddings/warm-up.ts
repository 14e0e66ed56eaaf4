import type { Config } from '../config.ts';

/**
 * Start the local model loading on a worker thread and embedding `firstQuery` there, before the caller imports
 * and loads the rest of its pipeline: `ask` as a new process then waits for the model only as long as it takes
 * beyond everything else. Only use-lite.ts is imported here, so the start costs a few milliseconds. A remote model
 * needs no warm-up.
 */
export async function warmUpEmbeddings(config: Config['embeddings'], firstQuery?: string): Promise<void> {
  if (config.provider !== 'local') return;
  const { UseLiteEmbeddings } = await import('./use-lite.ts');
  new UseLiteEmbeddings({ workers: config.workers }).warmUp(firstQuery);
}
