import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { quantile } from '../../evals/stats/quantile.ts';
import { createRng } from '../../evals/stats/rng.ts';
import { buildHnsw, searchHnsw } from '../../starter/index/hnsw.ts';

export interface VectorSearchResult {
  name: string;
  vectors: number;
  dims: number;
  queries: number;
  hnsw: { buildMs: number; p50Ms: number; p95Ms: number; recallAt10: number };
  memory: { buildMs: number; p50Ms: number; p95Ms: number };
  /** MemoryVectorStore query time / hnswlib query time, at p50. */
  speedupP50: number;
}

// MemoryVectorStore only ever sees precomputed vectors here; it never calls the embedder.
const noEmbeddings: EmbeddingsInterface = {
  embedDocuments: () => Promise.reject(new Error('not used')),
  embedQuery: () => Promise.reject(new Error('not used')),
};

/** hnswlib (approximate) against LangChain's MemoryVectorStore (exact, brute force) on the same vectors and queries. */
export async function benchVectorSearch(name: string, vectors: number[][], queries: number[][]): Promise<VectorSearchResult> {
  const dims = vectors[0]?.length ?? 0;
  let t = performance.now();
  const hnsw = buildHnsw(vectors, dims);
  const hnswBuildMs = performance.now() - t;
  t = performance.now();
  const store = new MemoryVectorStore(noEmbeddings);
  await store.addVectors(
    vectors,
    vectors.map((_, i) => new Document({ pageContent: '', metadata: { i } })),
  );
  const memoryBuildMs = performance.now() - t;

  const hnswMs: number[] = [];
  const memoryMs: number[] = [];
  let found = 0;
  for (const q of queries) {
    t = performance.now();
    const approx = searchHnsw(hnsw, q, 10).map((h) => h.index);
    hnswMs.push(performance.now() - t);
    t = performance.now();
    const exact = (await store.similaritySearchVectorWithScore(q, 10)).map(([doc]) => doc.metadata.i as number);
    memoryMs.push(performance.now() - t);
    const truth = new Set(exact);
    found += approx.filter((i) => truth.has(i)).length;
  }
  const hnswP50 = quantile(hnswMs, 0.5);
  const memoryP50 = quantile(memoryMs, 0.5);
  return {
    name,
    vectors: vectors.length,
    dims,
    queries: queries.length,
    hnsw: { buildMs: hnswBuildMs, p50Ms: hnswP50, p95Ms: quantile(hnswMs, 0.95), recallAt10: found / (queries.length * 10) },
    memory: { buildMs: memoryBuildMs, p50Ms: memoryP50, p95Ms: quantile(memoryMs, 0.95) },
    speedupP50: memoryP50 / hnswP50,
  };
}

/** Unit-length Gaussian vectors from a seeded generator (Box–Muller), like normalised embeddings. */
export function randomUnitVectors(n: number, dims: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const v = Array.from({ length: dims }, () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next()));
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}
