import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryVectorStore } from '@langchain/classic/vectorstores/memory';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { quantile } from '../../evals/stats/quantile.ts';
import { createRng } from '../../evals/stats/rng.ts';
import type { Chunk } from '../../starter/chunk.ts';
import { buildHnsw, searchHnsw } from '../../starter/index/hnsw.ts';
import { openEmbeddedPostgres } from '../../starter/index/sql.ts';
import { PgvectorStore } from '../../starter/index/vector-store-pgvector.ts';

/** One store at the smallest setting of its search knob whose recall@10 reaches the target. */
export interface StoreAtRecall {
  store: 'hnswlib' | 'pgvector (PGlite)' | 'MemoryVectorStore';
  /** The knob: hnswlib `ef`, pgvector `hnsw.ef_search`; undefined for the exact store. */
  knob?: { name: string; value: number };
  /** Whether any setting of the sweep reached the target (else the row is the sweep's last setting). */
  reached: boolean;
  recallAt10: number;
  /** Rows in and the index built; for pgvector, creating the embedded database is `startupMs`. */
  buildMs: number;
  startupMs?: number;
  p50Ms: number;
  p95Ms: number;
  /** Bytes of the saved index (hnswlib file; pgvector table + HNSW index); undefined for the in-memory store. */
  indexBytes?: number;
  /** Resident memory added by building the store in this process (for pgvector, with the embedded database). */
  memoryMb: number;
}

export interface VectorSearchResult {
  vectors: number;
  dims: number;
  queries: number;
  targetRecall: number;
  stores: StoreAtRecall[];
}

// MemoryVectorStore only ever sees precomputed vectors here; it never calls the embedder.
const noEmbeddings: EmbeddingsInterface = {
  embedDocuments: () => Promise.reject(new Error('not used')),
  embedQuery: () => Promise.reject(new Error('not used')),
};

const K = 10;
const SWEEP = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1000];

// Resident set size: the only figure that sees hnswlib's native allocations and PGlite's WebAssembly memory.
const memoryNow = () => process.memoryUsage().rss;

/** Split the bundled vectors: `queries` held-out points (seeded) query an index of the rest, so queries follow the data's distribution. */
export function holdOut(vectors: readonly number[][], queries: number, seed: number): { indexed: number[][]; held: number[][] } {
  const order = vectors.map((_, i) => i);
  const rng = createRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const pick = (ids: number[]) => ids.map((i) => vectors[i] ?? []);
  return { held: pick(order.slice(0, queries)), indexed: pick(order.slice(queries)) };
}

function recallAt10(found: readonly number[][], truth: readonly number[][]): number {
  let hits = 0;
  for (const [q, ids] of found.entries()) {
    const exact = new Set(truth[q]);
    hits += ids.filter((i) => exact.has(i)).length;
  }
  return hits / (truth.length * K);
}

async function timed<T>(queries: readonly number[][], search: (q: readonly number[]) => Promise<T> | T): Promise<{ results: T[]; ms: number[] }> {
  const results: T[] = [];
  const ms: number[] = [];
  for (const q of queries) {
    const t = performance.now();
    results.push(await search(q));
    ms.push(performance.now() - t);
  }
  return { results, ms };
}

/** Sweep the knob upwards and stop at the first setting whose recall@10 reaches the target. */
async function sweep(truth: number[][], queries: readonly number[][], at: (value: number) => (q: readonly number[]) => Promise<number[]> | number[], target: number) {
  let last: { value: number; recall: number; ms: number[] } | undefined;
  for (const value of SWEEP) {
    const search = at(value);
    await timed(queries.slice(0, 20), search); // warm-up at this setting
    const { results, ms } = await timed(queries, search);
    last = { value, recall: recallAt10(results, truth), ms };
    if (last.recall >= target) return { ...last, reached: true };
  }
  if (!last) throw new Error('empty sweep');
  return { ...last, reached: false };
}

/**
 * hnswlib and pgvector (in PGlite, through the app's own store) at matched recall, against LangChain's
 * MemoryVectorStore (exact, brute force, also the ground truth): build time, p50/p95 query time, memory.
 */
export async function benchVectorSearch(vectors: readonly number[][], options: { queries?: number; seed?: number; targetRecall?: number } = {}): Promise<VectorSearchResult> {
  const { indexed, held } = holdOut(vectors, options.queries ?? 200, options.seed ?? 1);
  const dims = indexed[0]?.length ?? 0;
  const target = options.targetRecall ?? 0.95;
  const stores: StoreAtRecall[] = [];

  // Exact: the ground truth for the other two.
  let mem = memoryNow();
  let t = performance.now();
  const memory = new MemoryVectorStore(noEmbeddings);
  await memory.addVectors(
    indexed,
    indexed.map((_, i) => new Document({ pageContent: '', metadata: { i } })),
  );
  const memoryBuild = { ms: performance.now() - t, mb: (memoryNow() - mem) / 2 ** 20 };
  const exact = await timed(held, async (q) => (await memory.similaritySearchVectorWithScore([...q], K)).map(([doc]) => doc.metadata.i as number));
  const truth = exact.results;
  stores.push({ store: 'MemoryVectorStore', reached: true, recallAt10: 1, buildMs: memoryBuild.ms, p50Ms: quantile(exact.ms, 0.5), p95Ms: quantile(exact.ms, 0.95), memoryMb: memoryBuild.mb });

  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-vectors-'));
  try {
    mem = memoryNow();
    t = performance.now();
    const hnsw = buildHnsw(indexed, dims);
    const hnswBuild = { ms: performance.now() - t, mb: (memoryNow() - mem) / 2 ** 20 };
    await hnsw.writeIndex(join(dir, 'vectors.hnsw'));
    const h = await sweep(truth, held, (ef) => (q) => searchHnsw(hnsw, q, K, ef).map((x) => x.index), target);
    stores.push({
      store: 'hnswlib',
      knob: { name: 'ef', value: h.value },
      reached: h.reached,
      recallAt10: h.recall,
      buildMs: hnswBuild.ms,
      p50Ms: quantile(h.ms, 0.5),
      p95Ms: quantile(h.ms, 0.95),
      indexBytes: (await stat(join(dir, 'vectors.hnsw'))).size,
      memoryMb: hnswBuild.mb,
    });

    mem = memoryNow();
    t = performance.now();
    const sql = await openEmbeddedPostgres(join(dir, 'pglite'));
    const startupMs = performance.now() - t;
    t = performance.now();
    try {
      const settings = { kind: 'pgvector' as const, name: 'bench', efSearch: 40, batchSize: 256 };
      const writer = new PgvectorStore(sql, settings);
      const chunks: Chunk[] = indexed.map((_, i) => ({ id: String(i), docId: 'bench', title: '', text: '', start: 0, end: 0, passageIds: [String(i)] }));
      const identity = { embeddingModel: 'bench', corpusHash: 'bench', chunkConfigHash: 'bench', dims };
      await writer.upsert(chunks.map((chunk, i) => ({ chunk, vector: indexed[i] ?? [] })));
      await writer.persist(
        identity,
        chunks.map((c) => c.id),
      );
      const pgBuild = { ms: performance.now() - t, mb: (memoryNow() - mem) / 2 ** 20 };
      const [size] = await sql.query<{ bytes: number }>(`SELECT pg_total_relation_size('${writer.table}')::float8 AS bytes`);
      const opened = new Map<number, Awaited<ReturnType<PgvectorStore['open']>>>();
      for (const efSearch of SWEEP) opened.set(efSearch, await new PgvectorStore(sql, { ...settings, efSearch }).open(identity));
      const p = await sweep(truth, held, (ef) => async (q) => (await (opened.get(ef)?.search(q, K) ?? Promise.resolve([]))).map((x) => x.index), target);
      stores.push({
        store: 'pgvector (PGlite)',
        knob: { name: 'hnsw.ef_search', value: p.value },
        reached: p.reached,
        recallAt10: p.recall,
        buildMs: pgBuild.ms,
        startupMs,
        p50Ms: quantile(p.ms, 0.5),
        p95Ms: quantile(p.ms, 0.95),
        indexBytes: size?.bytes,
        memoryMb: pgBuild.mb,
      });
    } finally {
      await sql.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { vectors: indexed.length, dims, queries: held.length, targetRecall: target, stores };
}
