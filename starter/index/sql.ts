import { rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { ClientBase } from 'pg';
import { UserError } from '../errors.ts';

export type Row = Record<string, unknown>;

export interface SqlQueryable {
  query<R extends Row = Row>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** The little of a Postgres client the pgvector store needs, so a server and the embedded PGlite look alike. */
export interface Sql extends SqlQueryable {
  /** Where the data is, for messages: a URL without password, or a folder. */
  location: string;
  /** BEGIN … COMMIT on one connection; ROLLBACK when `fn` throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Bounds on every round trip to a server: connecting, and each statement (an HNSW build on a big corpus is the slowest).
const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 300_000;

const LOST = /ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded|Query read timeout|connection.*(closed|ended)/i;

/** The database could not be reached or the connection dropped: the user's environment (exit 2), not our bug. */
export class StoreUnreachableError extends UserError {}

/** A connection that failed or dropped is the user's environment (exit 2), not our bug; a re-run resumes. */
function connectionError(location: string, error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (!LOST.test(`${typeof code === 'string' ? code : ''} ${message}`)) return error;
  return new StoreUnreachableError(`Postgres at ${location}: ${message}. Check that the database is running and store.url in ragfolio.config.json; a re-run of ingest resumes where it stopped.`, {
    cause: error,
  });
}

/** A Postgres server (or anything speaking its wire protocol) through a small `pg` pool. */
export async function connectPostgres(url: string): Promise<Sql> {
  const { default: pg } = await import('pg');
  const location = url.replace(/^(postgres(?:ql)?:\/\/[^/@:]*):[^/@]*@/, '$1@');
  // allowExitOnIdle: commands never close the pipeline, and an idle pool must not keep them running.
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS, allowExitOnIdle: true });
  // An idle connection the server dropped: the pool discards it and the next query opens another.
  pool.on('error', () => {});
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw connectionError(location, error);
    }
  };
  const on = (client: ClientBase): SqlQueryable => ({
    query: (text, params) => wrap(async () => (await client.query(text, params ? [...params] : undefined)).rows),
  });
  return {
    location,
    query: (text, params) => wrap(async () => (await pool.query(text, params ? [...params] : undefined)).rows),
    transaction: (fn) =>
      wrap(async () => {
        const client = await pool.connect();
        let broken = false;
        // A connection dropped mid-transaction also fails the pending query; without a listener the event would crash the process.
        const onError = () => {
          broken = true;
        };
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          const result = await fn(on(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          broken ||= LOST.test(String(error));
          if (!broken) await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.off('error', onError);
          client.release(broken);
        }
      }),
    close: () => pool.end(),
  };
}

// One PGlite per folder per process, shared by every store opened on it (ingest, then a pipeline, in tests).
const embedded = new Map<string, Promise<{ db: PGlite; unlock: () => void; refs: number }>>();

/**
 * An embedded Postgres (PGlite, WebAssembly) with pgvector, stored in `dir`, queried in-process through its
 * own API: no port to open, nothing that keeps a command alive, and the same SQL as against a server.
 * Postgres files take one process at a time, so a lock file turns a second process into a clear error;
 * servers that share an index need a real Postgres (store.url).
 */
export async function openEmbeddedPostgres(dir: string): Promise<Sql> {
  let opening = embedded.get(dir);
  if (!opening) {
    opening = (async () => {
      const [{ PGlite }, { vector }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite-pgvector')]);
      await mkdir(dir, { recursive: true });
      const unlock = await lockFolder(dir);
      try {
        // After a crash Postgres recovers and arms a 10 s startup-progress timer that never stops, which would keep every
        // later command from exiting: turn that logging off.
        const startParams = [...PGlite.defaultStartParams, '-c', 'log_startup_progress_interval=0'];
        return { db: await PGlite.create({ dataDir: dir, extensions: { vector }, startParams }), unlock, refs: 0 };
      } catch (error) {
        unlock();
        throw error;
      }
    })();
    embedded.set(dir, opening);
    opening.catch(() => embedded.delete(dir));
  }
  const entry = await opening;
  entry.refs += 1;
  const { db } = entry;
  const on = (q: Pick<PGlite, 'query'>): SqlQueryable => ({
    query: async <R extends Row>(text: string, params?: readonly unknown[]) => (await q.query<R>(text, params ? [...params] : undefined)).rows,
  });
  let closed = false;
  return {
    location: `${dir} (embedded PGlite)`,
    ...on(db),
    transaction: (fn) => db.transaction((tx) => fn(on(tx))),
    async close() {
      if (closed) return;
      closed = true;
      entry.refs -= 1;
      if (entry.refs > 0) return;
      embedded.delete(dir);
      await db.close();
      entry.unlock();
    },
  };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** `dir/ragfolio.lock` holds the owner's pid; a lock whose process is gone (killed) is taken over. */
async function lockFolder(dir: string): Promise<() => void> {
  const file = join(dir, 'ragfolio.lock');
  for (;;) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new UserError(`${dir}: the embedded database is open in another ragfolio process (pid ${owner}). Stop it first, or set store.url to a Postgres server that several processes can share.`);
      }
      await rm(file, { force: true });
    }
  }
  const release = () => rmSync(file, { force: true });
  // Commands never close the pipeline: the lock goes when the process ends.
  process.once('exit', release);
  return () => {
    process.off('exit', release);
    release();
  };
}
