import { toSql } from 'pgvector/pg';
import { z } from 'zod';
import type { Chunk } from '../chunk.ts';
import type { StoreConfig } from '../config.ts';
import { UserError } from '../errors.ts';
import { sha256 } from '../hash.ts';
import { chunkHash } from './chunk-hash.ts';
import { connectPostgres, openEmbeddedPostgres, type Sql, type SqlQueryable } from './sql.ts';
import { chunkSchema, type IndexIdentity, REBUILD, staleFields } from './store.ts';
import type { IndexDescription, OpenedIndex, VectorRecord, VectorStore } from './vector-store.ts';

/**
 * Schema migrations, applied in order; the version is their count. Each index's rows live in a table of
 * their own (created on first write, because the vector column's width is the model's), so only the
 * registry is migrated. Add a step; never edit a released one.
 */
const MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE ragfolio_indexes (
       name text PRIMARY KEY,
       embedding_model text NOT NULL,
       dims int NOT NULL,
       corpus_hash text NOT NULL,
       chunk_config_hash text NOT NULL,
       chunk_count int NOT NULL,
       -- [chunk id, chunk hash] in index order: what was published, checked against the rows on open.
       entries jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now())`,
  ],
];
export const SCHEMA_VERSION = MIGRATIONS.length;

// Any constant: serialises migrations and publishing between concurrent ingests.
const LOCK_KEY = 7_150_115;
// hnswlib's build parameters, so both stores are compared on the same graph.
const HNSW_M = 16;
const HNSW_EF_CONSTRUCTION = 200;

type PgvectorConfig = Extract<StoreConfig, { kind: 'pgvector' }> & {
  /** The index's name: one per (embedding model, chunk config), like the hnswlib folder. */
  name: string;
  /** Where the embedded PGlite lives when there is no url. */
  embeddedDir: string;
};

const registrySchema = z.object({
  embedding_model: z.string(),
  dims: z.number().int(),
  corpus_hash: z.string(),
  chunk_config_hash: z.string(),
  chunk_count: z.number().int(),
  entries: z.array(z.tuple([z.string(), z.string()])),
  created_at: z.string(),
});

export async function openPgvectorStore(config: PgvectorConfig): Promise<PgvectorStore> {
  const sql = config.url ? await connectPostgres(config.url) : await openEmbeddedPostgres(config.embeddedDir);
  return new PgvectorStore(sql, config);
}

export class PgvectorStore implements VectorStore {
  readonly #table: string;
  #migrated = false;

  constructor(
    readonly sql: Sql,
    readonly config: Omit<PgvectorConfig, 'url' | 'embeddedDir'>,
  ) {
    // A fixed-length hex name: safe to interpolate, and within Postgres's 63-character identifiers.
    this.#table = `ragfolio_chunks_${sha256(config.name).slice(0, 16)}`;
  }

  /** The table holding this index's rows (tests read it to check what was written). */
  get table(): string {
    return this.#table;
  }

  describe() {
    return { kind: 'pgvector' as const, location: `${this.sql.location} · ${this.config.name}` };
  }

  async open(expected: IndexIdentity): Promise<OpenedIndex> {
    const where = this.describe().location;
    const version = await this.#schemaVersion();
    if (version === 0) throw new UserError(`${where}: no index yet. Run \`ragfolio ingest\` first.`);
    if (version > SCHEMA_VERSION) throw new UserError(`${where}: the database schema is version ${version}, newer than this ragfolio's ${SCHEMA_VERSION}. Upgrade ragfolio.`);
    if (version < SCHEMA_VERSION) throw new UserError(`${where}: the database schema is version ${version}; this ragfolio needs ${SCHEMA_VERSION}. ${REBUILD}`);
    const [found] = await this.sql.query('SELECT embedding_model, dims, corpus_hash, chunk_config_hash, chunk_count, entries, created_at::text FROM ragfolio_indexes WHERE name = $1', [
      this.config.name,
    ]);
    if (!found) throw new UserError(`${where}: no index yet. Run \`ragfolio ingest\` first.`);
    const parsed = registrySchema.safeParse(found);
    if (!parsed.success) throw new UserError(`${where}: the index record is unreadable (${parsed.error.issues[0]?.message ?? 'bad row'}). ${REBUILD}`);
    const row = parsed.data;
    const manifest: IndexDescription = {
      embeddingModel: row.embedding_model,
      corpusHash: row.corpus_hash,
      chunkConfigHash: row.chunk_config_hash,
      dims: row.dims,
      chunkCount: row.chunk_count,
      createdAt: new Date(row.created_at).toISOString(),
    };
    const stale = staleFields(manifest, expected);
    if (stale.length > 0) throw new UserError(`${where}: the index is stale (${stale.join(', ')} changed since it was built). ${REBUILD}`);

    // The same rule as the manifest file: any recorded field that disagrees with the rows makes the index stale.
    const rows = await this.sql.query<{ id: string; content_hash: string; chunk: unknown; dims: number }>(`SELECT id, content_hash, chunk, vector_dims(embedding) AS dims FROM ${this.#table}`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const disagreements = [
      ...(row.entries.length === row.chunk_count ? [] : [`chunkCount ${row.chunk_count} but ${row.entries.length} entries`]),
      ...(rows.length === row.chunk_count ? [] : [`chunkCount ${row.chunk_count} but ${rows.length} rows`]),
      ...(rows.every((r) => r.dims === row.dims) ? [] : [`dims ${row.dims} but rows of ${[...new Set(rows.map((r) => r.dims))].join('/')} dimensions`]),
      ...(row.entries.every(([id, hash]) => byId.get(id)?.content_hash === hash) ? [] : ['rows missing or changed since it was published']),
    ];
    const chunks = row.entries.flatMap(([id, hash]) => {
      // Hashed as stored (jsonb keeps every field), then typed.
      const raw = byId.get(id)?.chunk;
      const chunk = chunkSchema.safeParse(raw);
      return chunk.success && chunkHash(raw as Chunk) === hash ? [chunk.data] : [];
    });
    if (chunks.length !== row.entries.length) disagreements.push('chunk rows that do not match their content hash');
    if (disagreements.length > 0) throw new UserError(`${where}: the index record disagrees with its rows (${disagreements.join('; ')}). ${REBUILD}`);
    const position = new Map(row.entries.map(([id, hash], i) => [id, { i, hash }]));

    return {
      manifest,
      chunks,
      search: async (query, k) => {
        if (k <= 0) return [];
        // ef_search caps how many rows the HNSW scan returns: it must be at least k.
        const ef = Math.min(1000, Math.max(k, this.config.efSearch));
        const hits = await this.sql.transaction(async (tx) => {
          await tx.query(`SET LOCAL hnsw.ef_search = ${ef}`);
          return tx.query<{ id: string; content_hash: string; score: number }>(
            `SELECT id, content_hash, 1 - (embedding <=> $1::vector) AS score FROM ${this.#table} ORDER BY embedding <=> $1::vector LIMIT $2`,
            [toSql([...query]), k],
          );
        });
        // A row an ingest rewrote after this reader opened is not the chunk the reader holds: skip it.
        return hits.flatMap((h) => {
          const at = position.get(h.id);
          return at && at.hash === h.content_hash ? [{ index: at.i, score: Number(h.score) }] : [];
        });
      },
    };
  }

  async stored(): Promise<Map<string, string>> {
    await this.#migrate();
    if (!(await this.#tableExists())) return new Map();
    // Hashed from the stored chunk, not read from content_hash: a row edited by hand is then rewritten.
    const rows = await this.sql.query<{ id: string; chunk: Chunk }>(`SELECT id, chunk FROM ${this.#table}`);
    return new Map(rows.map((r) => [r.id, chunkHash(r.chunk)]));
  }

  async upsert(records: readonly VectorRecord[]): Promise<number> {
    const dims = records[0]?.vector.length;
    if (dims === undefined) return 0;
    await this.#migrate();
    await this.#ensureTable(dims);
    const size = this.config.batchSize;
    let written = 0;
    for (let from = 0; from < records.length; from += size) {
      const batch = records.slice(from, from + size);
      const values = batch.map((_, i) => `($${4 * i + 1}, $${4 * i + 2}, $${4 * i + 3}::jsonb, $${4 * i + 4}::vector)`);
      const params = batch.flatMap((r) => [r.chunk.id, chunkHash(r.chunk), JSON.stringify(r.chunk), toSql([...r.vector])]);
      // One transaction per batch: an interrupted ingest keeps whole batches, and the next run skips them.
      const rows = await this.sql.transaction((tx) =>
        tx.query(
          `INSERT INTO ${this.#table} (id, content_hash, chunk, embedding) VALUES ${values.join(', ')}
           ON CONFLICT (id) DO UPDATE SET content_hash = excluded.content_hash, chunk = excluded.chunk, embedding = excluded.embedding
           WHERE ${this.#table}.content_hash <> excluded.content_hash OR ${this.#table}.chunk <> excluded.chunk
           RETURNING id`,
          params,
        ),
      );
      written += rows.length;
    }
    return written;
  }

  async delete(ids: readonly string[]): Promise<number> {
    if (ids.length === 0 || !(await this.#tableExists())) return 0;
    const rows = await this.sql.transaction((tx) => tx.query(`DELETE FROM ${this.#table} WHERE id = ANY($1::text[]) RETURNING id`, [[...ids]]));
    return rows.length;
  }

  async persist(identity: IndexIdentity & { dims: number }, order: readonly string[]): Promise<IndexDescription> {
    await this.#migrate();
    await this.#ensureTable(identity.dims);
    return this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const rows = await tx.query<{ id: string; content_hash: string }>(`SELECT id, content_hash FROM ${this.#table}`);
      const hashes = new Map(rows.map((r) => [r.id, r.content_hash]));
      const entries = order.map((id) => {
        const hash = hashes.get(id);
        if (hash === undefined) throw new Error(`persist: chunk ${id} was never upserted`);
        return [id, hash];
      });
      // Built after the rows are in (faster than growing it row by row); later ingests update it in place.
      await tx.query(`CREATE INDEX IF NOT EXISTS ${this.#table}_embedding ON ${this.#table} USING hnsw (embedding vector_cosine_ops) WITH (m = ${HNSW_M}, ef_construction = ${HNSW_EF_CONSTRUCTION})`);
      const [saved] = await tx.query<{ created_at: string }>(
        `INSERT INTO ragfolio_indexes (name, embedding_model, dims, corpus_hash, chunk_config_hash, chunk_count, entries, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now())
         ON CONFLICT (name) DO UPDATE SET embedding_model = excluded.embedding_model, dims = excluded.dims, corpus_hash = excluded.corpus_hash,
           chunk_config_hash = excluded.chunk_config_hash, chunk_count = excluded.chunk_count, entries = excluded.entries, created_at = excluded.created_at
         RETURNING created_at::text`,
        [this.config.name, identity.embeddingModel, identity.dims, identity.corpusHash, identity.chunkConfigHash, entries.length, JSON.stringify(entries)],
      );
      return { ...identity, chunkCount: entries.length, createdAt: new Date(saved?.created_at ?? Date.now()).toISOString() };
    });
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  async #schemaVersion(q: SqlQueryable = this.sql): Promise<number> {
    const [exists] = await q.query<{ t: string | null }>(`SELECT to_regclass('ragfolio_schema')::text AS t`);
    if (!exists?.t) return 0;
    const [row] = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM ragfolio_schema');
    return row?.v ?? 0;
  }

  /** Bring the schema to SCHEMA_VERSION, once per store, under a lock so two ingests do not race. */
  async #migrate(): Promise<void> {
    if (this.#migrated) return;
    await this.sql.query('CREATE EXTENSION IF NOT EXISTS vector').catch((error: unknown) => {
      throw new UserError(
        `${this.sql.location}: cannot enable pgvector (${error instanceof Error ? error.message : String(error)}). Use a Postgres with pgvector installed, e.g. the pgvector/pgvector image.`,
      );
    });
    await this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      await tx.query('CREATE TABLE IF NOT EXISTS ragfolio_schema (version int NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const version = await this.#schemaVersion(tx);
      if (version > SCHEMA_VERSION) throw new UserError(`${this.sql.location}: the database schema is version ${version}, newer than this ragfolio's ${SCHEMA_VERSION}. Upgrade ragfolio.`);
      for (const [i, statements] of MIGRATIONS.entries()) {
        if (i < version) continue;
        for (const statement of statements) await tx.query(statement);
        await tx.query('INSERT INTO ragfolio_schema (version) VALUES ($1)', [i + 1]);
      }
    });
    this.#migrated = true;
  }

  async #tableExists(): Promise<boolean> {
    const [row] = await this.sql.query<{ t: string | null }>(`SELECT to_regclass('${this.#table}')::text AS t`);
    return Boolean(row?.t);
  }

  /** The rows table with a vector column of `dims`; one of another width (the model changed size) is replaced. */
  async #ensureTable(dims: number): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const [column] = await tx.query<{ dims: number }>(`SELECT atttypmod AS dims FROM pg_attribute WHERE attrelid = to_regclass('${this.#table}') AND attname = 'embedding'`);
      if (column && column.dims !== dims) {
        await tx.query(`DROP TABLE ${this.#table}`);
        await tx.query('DELETE FROM ragfolio_indexes WHERE name = $1', [this.config.name]);
      }
      await tx.query(`CREATE TABLE IF NOT EXISTS ${this.#table} (id text PRIMARY KEY, content_hash text NOT NULL, chunk jsonb NOT NULL, embedding vector(${dims}) NOT NULL)`);
    });
  }
}
