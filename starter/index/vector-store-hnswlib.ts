import { chunkHash } from './chunk-hash.ts';
import { buildHnsw, searchHnsw } from './hnsw.ts';
import { type IndexIdentity, loadIndex, saveIndex } from './store.ts';
import type { IndexDescription, OpenedIndex, VectorRecord, VectorStore } from './vector-store.ts';

/**
 * hnswlib files in one folder per (model, chunking). Writes are staged in memory and `persist` rebuilds
 * the graph and swaps the folder in atomically, as ingest always did: the graph is rebuilt whole anyway.
 */
export class HnswlibStore implements VectorStore {
  readonly #staged = new Map<string, VectorRecord>();

  constructor(readonly dir: string) {}

  describe() {
    return { kind: 'hnswlib' as const, location: this.dir };
  }

  async open(expected: IndexIdentity): Promise<OpenedIndex> {
    const { manifest, hnsw, chunks } = await loadIndex(this.dir, expected);
    return { manifest, chunks, search: async (query, k) => searchHnsw(hnsw, query, k) };
  }

  async stored(): Promise<Map<string, string>> {
    return new Map([...this.#staged].map(([id, r]) => [id, chunkHash(r.chunk)]));
  }

  async upsert(records: readonly VectorRecord[]): Promise<number> {
    for (const r of records) this.#staged.set(r.chunk.id, r);
    return records.length;
  }

  async delete(ids: readonly string[]): Promise<number> {
    return ids.filter((id) => this.#staged.delete(id)).length;
  }

  async persist(identity: IndexIdentity & { dims: number }, order: readonly string[]): Promise<IndexDescription> {
    const records = order.map((id) => {
      const r = this.#staged.get(id);
      if (!r) throw new Error(`persist: chunk ${id} was never upserted`);
      return r;
    });
    return saveIndex(
      this.dir,
      buildHnsw(
        records.map((r) => [...r.vector]),
        identity.dims,
      ),
      records.map((r) => r.chunk),
      identity,
    );
  }

  async close(): Promise<void> {
    this.#staged.clear();
  }
}
