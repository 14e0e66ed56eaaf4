import { chunkCorpus, searchText } from './chunk.ts';
import { datasetDir, type ProjectConfig } from './config.ts';
import { loadCorpus } from './corpus.ts';
import { EmbeddingCache } from './embeddings/cache.ts';
import { createEmbeddings } from './embeddings/index.ts';
import { loadShippedEmbeddings, shippedEmbeddingsEnabled } from './embeddings/shipped.ts';
import { stableHash } from './hash.ts';
import { openBm25 } from './index/bm25-file.ts';
import { StoreUnreachableError } from './index/sql.ts';
import type { IndexIdentity } from './index/store.ts';
import { openVectorStore, writeIndex } from './index/vector-store.ts';
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
  /** Of the cache hits, vectors read from the dataset's shipped embeddings. */
  shippedHits: number;
  /** Why shipped embeddings that exist were not used (failed verification), if so. */
  shippedIgnored?: string;
  /** Vectors written to the store: unchanged chunks already stored are not rewritten. */
  written: number;
  upToDate: boolean;
  seconds: number;
  embedSeconds: number;
  /** Newly embedded texts per second (undefined when everything came from the cache). */
  embedRate: number | undefined;
  indexDir: string;
}

export interface IngestOptions {
  force?: boolean;
  onProgress?: (p: IngestProgress) => void;
  /** Read the dataset's shipped vectors (default: unless RAGFOLIO_SHIPPED_EMBEDDINGS=0); off measures a true cold ingest. */
  shippedEmbeddings?: boolean;
}

export async function ingest(project: ProjectConfig, options: IngestOptions = {}): Promise<IngestReport> {
  const started = performance.now();
  const paths = projectPaths(project);
  const corpus = await loadCorpus(paths.corpus);
  const chunks = await chunkCorpus(corpus.passages, project.config.chunk);
  let toEmbed = 0;
  let sliceOffset = 0;
  const model = await createEmbeddings(project.config.embeddings, (done) => options.onProgress?.({ embedded: sliceOffset + done, toEmbed }));
  const identity: IndexIdentity = { embeddingModel: model.id, corpusHash: corpus.hash, chunkConfigHash: stableHash(project.config.chunk) };
  const store = await openVectorStore(project);
  const base = { passages: corpus.passages.length, chunks: chunks.length, indexDir: store.describe().location };

  // Up to date only if the index opens: a corrupted, inconsistent or missing index is rebuilt, as its error message promises.
  const upToDate =
    !options.force &&
    (await store.open(identity).then(
      () => true,
      // An unreachable database is not a stale index: say so now, not after embedding the corpus.
      (error: unknown) => (error instanceof StoreUnreachableError ? Promise.reject(error) : false),
    ));
  // BM25 postings beside the index, so `ask` need not tokenize every chunk; an index from an older kit gets them here.
  const savePostings = () => openBm25(paths.bm25, chunks.map(searchText));
  if (upToDate) {
    await store.close();
    await savePostings();
    return { ...base, cacheHits: 0, cacheMisses: 0, shippedHits: 0, written: 0, upToDate: true, seconds: (performance.now() - started) / 1000, embedSeconds: 0, embedRate: undefined };
  }

  // The dataset's shipped vectors seed the cache read-only: an edited passage misses them and is embedded.
  const shipped = (options.shippedEmbeddings ?? shippedEmbeddingsEnabled()) ? await loadShippedEmbeddings(datasetDir(project), model.id) : undefined;
  const cache = await EmbeddingCache.open(paths.embeddingCache(model.id), model.id, { seed: shipped?.ok ? shipped.shipped : undefined });
  const texts = chunks.map(searchText);
  toEmbed = new Set(texts.filter((t) => !cache.has(t))).size;
  const embedStart = performance.now();
  const { stats, vectors } = await cache.embedAll(texts, model.embeddings, (embedded) => {
    sliceOffset = embedded;
  });
  if (stats.misses > 0) await cache.save();
  const misses = stats.misses;
  const embedSeconds = (performance.now() - embedStart) / 1000;
  const dims = vectors[0]?.length ?? 0;
  const { written } = await writeIndex(store, chunks, vectors, { ...identity, dims }).finally(() => store.close());
  await savePostings();
  return {
    ...base,
    cacheHits: texts.length - misses,
    cacheMisses: misses,
    shippedHits: stats.shipped,
    written,
    ...(shipped?.ok === false ? { shippedIgnored: shipped.reason } : {}),
    upToDate: false,
    seconds: (performance.now() - started) / 1000,
    embedSeconds,
    embedRate: misses > 0 ? misses / embedSeconds : undefined,
  };
}
