import type { ChildProcessByStdio } from 'node:child_process';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';
import pgvector from 'pgvector/pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadProjectConfig, type ProjectConfig } from '../../../starter/config.ts';
import { embeddingModelId } from '../../../starter/embeddings/index.ts';
import { isUserError } from '../../../starter/errors.ts';
import { stableHash } from '../../../starter/hash.ts';
import { openVectorStore } from '../../../starter/index/vector-store.ts';
import { ingest } from '../../../starter/ingest.ts';
import { loadPipeline } from '../../../starter/pipeline.ts';
import type { AskResponse } from '../../../starter/server/app.ts';
import { runCli, startServe } from '../../helpers/cli.ts';
import { createTempProject, type TempProject } from '../../helpers/temp-project.ts';
import { parsePrometheus } from '../../server/prometheus.ts';

/**
 * The pgvector store over the real Postgres wire protocol: PGlite (Postgres in WebAssembly) with its vector
 * extension, served by @electric-sql/pglite-socket on 127.0.0.1, and the app connecting with `pg` exactly
 * as to a server. The corpus is 30 State of the Union passages (fixtures/small, public domain) and 16 of
 * the bundled eval questions whose gold passages they hold, so embedding stays a few seconds.
 */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'small');
const BATCH = 8;

let db: PGlite;
let server: PGLiteSocketServer;
let url: string;
let admin: pg.Client;
let p: TempProject;
let project: ProjectConfig;
const children: ChildProcessByStdio<null, Readable, Readable>[] = [];

async function writeConfig(storeUrl: string): Promise<ProjectConfig> {
  const config = { dataset: 'datasets/x', embeddings: { provider: 'local', workers: 1 }, retriever: { kind: 'hybrid', k: 5 }, store: { kind: 'pgvector', url: storeUrl, batchSize: BATCH } };
  await writeFile(p.configFile, `${JSON.stringify(config, null, 2)}\n`);
  return loadProjectConfig(p.root);
}

beforeAll(async () => {
  db = await PGlite.create({ extensions: { vector } });
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 });
  await server.start();
  url = `postgres://postgres@${server.getServerConn()}/postgres`;
  p = await createTempProject({ corpus: await readFile(join(FIXTURE, 'corpus.jsonl'), 'utf8') });
  await copyFile(join(FIXTURE, 'evalset.jsonl'), join(p.root, 'datasets', 'x', 'evalset.jsonl'));
  project = await writeConfig(url);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await pgvector.registerTypes(admin).catch(() => undefined); // the extension exists only after the first ingest
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await admin?.end();
  await server?.stop();
  await db?.close();
  await rm(p.root, { recursive: true, force: true });
});

const tableOf = async (): Promise<string> => {
  const { rows } = await admin.query<{ relname: string }>(`SELECT relname FROM pg_class WHERE relname LIKE 'ragfolio_chunks_%' AND relkind = 'r'`);
  expect(rows).toHaveLength(1);
  return rows[0]?.relname ?? '';
};
const rowVersions = async (table: string) =>
  new Map((await admin.query<{ id: string; xmin: string; content_hash: string }>(`SELECT id, xmin::text, content_hash FROM ${table}`)).rows.map((r) => [r.id, r]));

describe('pgvector store over the wire (PGlite behind pglite-socket, pg client)', () => {
  test('ingest writes every chunk and the index record; dense search returns the exact top-k', async () => {
    const report = await ingest(project);
    expect(report).toMatchObject({ passages: 30, chunks: 30, written: 30, upToDate: false });
    expect(report.indexDir).toContain(server.getServerConn());
    expect(report.indexDir).not.toMatch(/:[^@/]*@/);

    const table = await tableOf();
    const { rows: indexes } = await admin.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [table]);
    expect(indexes.map((i) => i.indexdef).join('\n')).toMatch(/USING hnsw \(embedding vector_cosine_ops\)/);
    const embeddingModel = embeddingModelId(project.config.embeddings);
    const { rows: registry } = await admin.query('SELECT chunk_count, dims, embedding_model FROM ragfolio_indexes');
    expect(registry).toEqual([{ chunk_count: 30, dims: 512, embedding_model: embeddingModel }]);

    // The HNSW answer over the wire against brute force over the stored vectors (30 points: HNSW is exact here).
    await pgvector.registerTypes(admin);
    const stored = (await admin.query<{ id: string; embedding: number[] }>(`SELECT id, embedding FROM ${table}`)).rows;
    const pipeline = await loadPipeline(project);
    const query = stored[3]?.embedding ?? [];
    const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0) / (Math.hypot(...a) * Math.hypot(...b));
    const exact = [...stored].sort((a, b) => cosine(query, b.embedding) - cosine(query, a.embedding)).map((r) => r.id);
    const store = await openVectorStore(project);
    try {
      const opened = await store.open({ embeddingModel, corpusHash: pipeline.corpus.hash, chunkConfigHash: stableHash(project.config.chunk) });
      const hits = await opened.search(query, 5);
      expect(hits.map((h) => opened.chunks[h.index]?.id)).toEqual(exact.slice(0, 5));
      expect(hits[0]?.score).toBeCloseTo(1, 5);
    } finally {
      await store.close();
    }
  });

  // A second process loads the model and evaluates the fixture over the socket: on a busy 2-core machine (a
  // generated project's whole npm test, as its CI workflow runs it) that took over a minute.
  test('ask answers from the database, and eval runs in another process over the same socket', { timeout: 180_000 }, async () => {
    const evalset = (await readFile(join(FIXTURE, 'evalset.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { question: string; gold: string[] });
    const first = evalset[0];
    const pipeline = await loadPipeline(project);
    const answer = await pipeline.ask(first?.question ?? '', { depth: 10 });
    const corpusIds = new Set(pipeline.corpus.passages.map((x) => x.id));
    expect(answer.retrieved).toHaveLength(10);
    for (const r of answer.retrieved) for (const id of r.passageIds) expect(corpusIds.has(id)).toBe(true);

    const result = await runCli(['-C', p.root, 'eval', '--json', '--label', 'pgvector']);
    expect(result.code, result.stderr).toBe(0);
    const run = JSON.parse(result.stdout) as { records: unknown[]; aggregates: Record<string, { n: number }>; config: { store?: { kind: string } } };
    expect(run.records).toHaveLength(evalset.length);
    expect(run.config.store?.kind).toBe('pgvector');
    expect(run.aggregates['ndcg@10']?.n).toBeGreaterThan(0);
  });

  test('re-ingest is idempotent: --force rewrites no row, and a plain ingest is up to date', async () => {
    const table = await tableOf();
    const before = await rowVersions(table);
    const forced = await ingest(project, { force: true });
    expect(forced).toMatchObject({ upToDate: false, written: 0, cacheMisses: 0 });
    expect(await rowVersions(table)).toEqual(before);
    expect(await ingest(project)).toMatchObject({ upToDate: true, written: 0 });
  });

  test('a row edited behind the index record makes it stale; ingest rewrites that row only', async () => {
    const table = await tableOf();
    const [victim] = (await admin.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id LIMIT 1`)).rows;
    await admin.query(`UPDATE ${table} SET chunk = jsonb_set(chunk, '{text}', '"edited by hand"') WHERE id = $1`, [victim?.id]);
    const refused = await loadPipeline(project).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUserError(refused), String(refused)).toBe(true);
    expect(String(refused)).toMatch(/disagrees with its rows \(chunk rows that do not match their content hash\).*ragfolio ingest/);
    expect(await ingest(project)).toMatchObject({ upToDate: false, written: 1 });
    expect((await loadPipeline(project)).corpus.passages).toHaveLength(30);
  });

  test('a connection dropped mid-ingest: whole batches only, readers refuse the half-done index, the next ingest resumes', async () => {
    const table = await tableOf();
    const before = await rowVersions(table);
    const { rows: registryBefore } = await admin.query('SELECT corpus_hash, entries FROM ragfolio_indexes');
    // Every passage changes, so every row is rewritten, BATCH rows per transaction.
    const corpus = (await readFile(p.corpusFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string });
    await writeFile(p.corpusFile, `${corpus.map((x) => JSON.stringify({ ...x, text: `${x.text} (Revised.)` })).join('\n')}\n`);

    // A proxy that cuts every connection once about two and a half batches of vectors have gone through.
    const proxy = await startCuttingProxy(server.getServerConn(), 2.5 * BATCH * 6_000);
    try {
      const viaProxy = await writeConfig(`postgres://postgres@${proxy.address}/postgres`);
      const failed = await ingest(viaProxy).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(proxy.cut()).toBe(true);
      expect(isUserError(failed), String(failed)).toBe(true);
      expect(String(failed)).toMatch(/Postgres at .*re-run of ingest resumes/);
    } finally {
      await proxy.close();
    }
    project = await writeConfig(url);

    const after = await rowVersions(table);
    const rewritten = [...after.values()].filter((r) => r.content_hash !== before.get(r.id)?.content_hash);
    expect(rewritten.length).toBeGreaterThan(0);
    expect(rewritten.length).toBeLessThan(30);
    expect(rewritten.length % BATCH).toBe(0);
    expect((await admin.query('SELECT corpus_hash, entries FROM ragfolio_indexes')).rows).toEqual(registryBefore);
    const refused = await loadPipeline(project).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUserError(refused), String(refused)).toBe(true);
    expect(String(refused)).toMatch(/stale \(corpusHash changed.*ragfolio ingest/);

    const resumed = await ingest(project);
    expect(resumed).toMatchObject({ upToDate: false, written: 30 - rewritten.length, cacheMisses: 0 });
    const final = await rowVersions(table);
    for (const r of rewritten) expect(final.get(r.id)?.xmin).toBe(r.xmin);
    const pipeline = await loadPipeline(project);
    expect((await pipeline.ask('What did the President say about the budget?')).retrieved.length).toBeGreaterThan(0);
  });

  test('passages removed from the corpus are deleted from the table; nothing else is rewritten', async () => {
    const table = await tableOf();
    const before = await rowVersions(table);
    const lines = (await readFile(p.corpusFile, 'utf8')).trim().split('\n');
    const removed = lines.slice(0, 2).map((l) => (JSON.parse(l) as { id: string }).id);
    await writeFile(p.corpusFile, `${lines.slice(2).join('\n')}\n`);
    expect(await ingest(project)).toMatchObject({ upToDate: false, chunks: 28, written: 0, cacheMisses: 0 });
    const after = await rowVersions(table);
    expect([...after.keys()].sort()).toEqual([...before.keys()].filter((id) => !removed.includes(id)).sort());
    for (const [id, row] of after) expect(row.xmin).toBe(before.get(id)?.xmin);
    expect((await admin.query('SELECT chunk_count FROM ragfolio_indexes')).rows).toEqual([{ chunk_count: 28 }]);
  });

  test('two serve processes share the database and give the same answer', async () => {
    const serves = [serveProject(), serveProject()];
    const urls = await Promise.all(serves.map((s) => s.url));
    const question = 'What did the President propose for education?';
    const answers = await Promise.all(
      urls.map(async (u) => {
        const response = await fetch(new URL('/api/ask', u), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
        expect(response.status).toBe(200);
        return (await response.json()) as AskResponse;
      }),
    );
    expect(answers[0]?.retrieved.length).toBeGreaterThan(0);
    expect(answers[1]?.retrieved.map((r) => r.chunkId)).toEqual(answers[0]?.retrieved.map((r) => r.chunkId));
    // Each replica labels its own series, so one Prometheus scrapes both without collisions.
    const replicas = await Promise.all(
      urls.map(async (u) => {
        const { samples } = parsePrometheus(await (await fetch(new URL('/metrics', u))).text());
        return samples.find((x) => x.name === 'ragfolio_answer_duration_seconds_count')?.labels.replica;
      }),
    );
    expect(replicas[0]).toMatch(/:\d+$/);
    expect(replicas[1]).not.toBe(replicas[0]);
    for (const s of serves) s.child.kill('SIGTERM');
    expect(await Promise.all(serves.map((s) => s.exited))).toEqual([0, 0]);
  });
});

function serveProject() {
  const serve = startServe(p.root, ['--port', '0']);
  children.push(serve.child);
  return serve;
}

/** A TCP proxy to `target` (host:port) that destroys every connection once `limit` bytes went from clients to the server. */
async function startCuttingProxy(target: string, limit: number): Promise<{ address: string; cut(): boolean; close(): Promise<void> }> {
  const [host = '', port = ''] = target.split(':');
  const sockets = new Set<Socket>();
  let sent = 0;
  let cut = false;
  const proxy: Server = createServer((client) => {
    const upstream = connect(Number(port), host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (data: Buffer) => {
      sent += data.length;
      if (sent > limit && !cut) {
        cut = true;
        for (const s of sockets) s.destroy();
        return;
      }
      if (!cut) upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (!cut) client.write(data);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const address = proxy.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    address: `127.0.0.1:${address.port}`,
    cut: () => cut,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
