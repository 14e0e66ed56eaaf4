import { basename, join } from 'node:path';
import type { Chunk } from '../chunk.ts';
import type { ProjectConfig, StoreConfig } from '../config.ts';
import { dataDir } from '../config.ts';
import { projectPaths } from '../paths.ts';
import { chunkHash } from './chunk-hash.ts';
import type { VectorHit } from './hnsw.ts';
import type { IndexIdentity } from './store.ts';

export type { VectorHit };

/** What every store records about the index it holds: the hnswlib manifest file, or a row in Postgres. */
export interface IndexDescription extends IndexIdentity {
  dims: number;
  chunkCount: number;
  createdAt: string;
}

/** A published index opened for reading: its chunks in index order and dense search over them. */
export interface OpenedIndex {
  manifest: IndexDescription;
  chunks: Chunk[];
  /** Top-k by cosine similarity; `index` is the chunk's position in `chunks`. */
  search(query: readonly number[], k: number): Promise<VectorHit[]>;
}

export interface VectorRecord {
  chunk: Chunk;
  vector: readonly number[];
}

/**
 * Where the vectors live. Writes (`upsert`, `delete`) are staged until `persist` publishes the index, and
 * `open` refuses an index whose recorded fields disagree with its data, so a reader never uses half an index.
 */
export interface VectorStore {
  /** For messages and reports: the kind and where the data is (a folder, or a database URL without password). */
  describe(): { kind: StoreConfig['kind']; location: string };
  /** The published index; a UserError saying to run ingest when it is missing, stale or inconsistent. */
  open(expected: IndexIdentity): Promise<OpenedIndex>;
  /** Ids already stored (published or staged), with a hash of each chunk, so unchanged chunks are not rewritten. */
  stored(): Promise<Map<string, string>>;
  /** Add or replace by chunk id; returns how many records were written. */
  upsert(records: readonly VectorRecord[]): Promise<number>;
  delete(ids: readonly string[]): Promise<number>;
  /** Publish exactly `order` (chunk ids, in index order) as the index for `identity`, all at once. */
  persist(identity: IndexIdentity & { dims: number }, order: readonly string[]): Promise<IndexDescription>;
  close(): Promise<void>;
}

/** The store configured for this project: hnswlib files (the default) or Postgres with pgvector. */
export async function openVectorStore(project: ProjectConfig): Promise<VectorStore> {
  const store = project.config.store ?? { kind: 'hnswlib' };
  const { index } = projectPaths(project);
  if (store.kind === 'hnswlib') {
    const { HnswlibStore } = await import('./vector-store-hnswlib.ts');
    return new HnswlibStore(index);
  }
  // Loaded only when configured: pg and the embedded PGlite (a WebAssembly Postgres) cost the default path nothing.
  const { openPgvectorStore } = await import('./vector-store-pgvector.ts');
  return openPgvectorStore({ ...store, name: basename(index), embeddedDir: join(dataDir(project), 'pglite') });
}

/** Make the store hold exactly `chunks` (with `vectors`, position by position), writing only what changed, then publish. */
export async function writeIndex(
  store: VectorStore,
  chunks: readonly Chunk[],
  vectors: readonly (readonly number[])[],
  identity: IndexIdentity & { dims: number },
): Promise<{ written: number; deleted: number }> {
  const stored = await store.stored();
  const wanted = new Set(chunks.map((c) => c.id));
  const changed = chunks.flatMap((chunk, i) => (stored.get(chunk.id) === chunkHash(chunk) ? [] : [{ chunk, vector: vectors[i] ?? [] }]));
  const written = await store.upsert(changed);
  const deleted = await store.delete([...stored.keys()].filter((id) => !wanted.has(id)));
  await store.persist(
    identity,
    chunks.map((c) => c.id),
  );
  return { written, deleted };
}
