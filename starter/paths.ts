import { join } from 'node:path';
import { type ProjectConfig, dataDir, datasetDir } from './config.ts';

/** Every file the app reads or writes, named in one place. */
export function projectPaths(project: ProjectConfig) {
  const data = dataDir(project);
  const dataset = datasetDir(project);
  return {
    corpus: join(dataset, 'corpus.jsonl'),
    evalset: join(dataset, 'evalset.jsonl'),
    index: join(data, 'index'),
    embeddingCache: (modelId: string) => join(data, 'cache', `embeddings-${modelId.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`),
    runs: join(project.root, 'runs'),
    baseline: join(project.root, 'evals', 'baseline.json'),
  };
}
