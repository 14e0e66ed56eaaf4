import { chunkCorpus, searchText } from './chunk.ts';
import type { ProjectConfig } from './config.ts';
import { loadCorpus } from './corpus.ts';
import { EmbeddingCache } from './embeddings/cache.ts';
import { createEmbeddings } from './embeddings/index.ts';
import { stableHash } from './hash.ts';
import { buildHnsw } from './index/hnsw.ts';
import { type IndexIdentity, loadIndex, saveIndex } from './index/store.ts';
import { projectPaths } from './paths.ts';

export interface IngestProgress {
  /** Texts embedded so far in this run (cache misses only). */
  embedded: number;
  toEmbed: number;
}

export interface IngestReport {
  passages: number;
  chunks: number;
  cacheHits: number;
  cacheMisses: number;
  upToDate: boolean;
  seconds: number;
  embedSeconds: number;
  /** Newly embedded texts per second (undefined when everything came from the cache). */
  embedRate: number | undefined;
  indexDir: string;
}

// Save the cache between slices, so an interrupted cold ingest keeps most of its work.
const SLICE = 512;

export async function ingest(project: ProjectConfig, options: { force?: boolean; onProgress?: (p: IngestProgress) => void } = {}): Promise<IngestReport> {
  const started = performance.now();
  const paths = projectPaths(project);
  const corpus = await loadCorpus(paths.corpus);
  const chunks = await chunkCorpus(corpus.passages, project.config.chunk);
  let toEmbed = 0;
  let sliceOffset = 0;
  const model = await createEmbeddings(project.config.embeddings, (done) => options.onProgress?.({ embedded: sliceOffset + done, toEmbed }));
  const identity: IndexIdentity = { embeddingModel: model.id, corpusHash: corpus.hash, chunkConfigHash: stableHash(project.config.chunk) };
  const base = { passages: corpus.passages.length, chunks: chunks.length, indexDir: paths.index };

  // Up to date only if the index loads: a corrupted or missing file is rebuilt, as its error message promises.
  const upToDate =
    !options.force &&
    (await loadIndex(paths.index, identity).then(
      () => true,
      () => false,
    ));
  if (upToDate) {
    return { ...base, cacheHits: 0, cacheMisses: 0, upToDate: true, seconds: (performance.now() - started) / 1000, embedSeconds: 0, embedRate: undefined };
  }

  const cache = await EmbeddingCache.open(paths.embeddingCache(model.id), model.id);
  const texts = chunks.map(searchText);
  toEmbed = new Set(texts.filter((t) => !cache.has(t))).size;
  const embedStart = performance.now();
  let misses = 0;
  for (let i = 0; i < texts.length; i += SLICE) {
    const { stats } = await cache.embedAll(texts.slice(i, i + SLICE), model.embeddings);
    if (stats.misses > 0) await cache.save();
    misses += stats.misses;
    sliceOffset = misses;
  }
  const embedSeconds = (performance.now() - embedStart) / 1000;
  const vectors = texts.map((t) => cache.get(t) ?? []);
  const dims = vectors[0]?.length ?? 0;
  await saveIndex(paths.index, buildHnsw(vectors, dims), chunks, { ...identity, dims });
  return {
    ...base,
    cacheHits: texts.length - misses,
    cacheMisses: misses,
    upToDate: false,
    seconds: (performance.now() - started) / 1000,
    embedSeconds,
    embedRate: misses > 0 ? misses / embedSeconds : undefined,
    indexDir: paths.index,
  };
}
