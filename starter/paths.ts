import { join } from 'node:path';
import { dataDir, datasetDir, type ProjectConfig } from './config.ts';
import { embeddingModelId } from './embeddings/index.ts';
import { stableHash } from './hash.ts';

const slug = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, '_');

/** Every file the app reads or writes, named in one place. */
export function projectPaths(project: ProjectConfig) {
  const data = dataDir(project);
  const dataset = datasetDir(project);
  return {
    corpus: join(dataset, 'corpus.jsonl'),
    evalset: join(dataset, 'evalset.jsonl'),
    /** The eval set's version and its test split's pinned hash (`ragfolio evalset pin`). */
    evalsetLock: join(dataset, 'evalset.lock.json'),
    // One index per (model, chunking), so switching configs or sweeping them never throws an index away.
    index: join(data, 'index', `${slug(embeddingModelId(project.config.embeddings))}-${stableHash(project.config.chunk).slice(0, 10)}`),
    /** BM25 postings of the index's chunks (index/bm25-file.ts): one file per chunking, whatever the embedding model. */
    bm25: join(data, 'bm25', `${stableHash(project.config.chunk).slice(0, 10)}.json`),
    embeddingCache: (modelId: string) => join(data, 'cache', `embeddings-${slug(modelId)}.json`),
    runs: join(project.root, 'runs'),
    /** Written by `serve` when it starts: evidence for `status` that the demo ran. */
    served: join(data, 'served.json'),
    baseline: join(project.root, 'evals', 'baseline.json'),
  };
}
