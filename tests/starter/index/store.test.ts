import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Chunk } from '../../../starter/chunk.ts';
import { isUserError, type UserError } from '../../../starter/errors.ts';
import { buildHnsw, type Hnsw, readHnswShape, searchHnsw } from '../../../starter/index/hnsw.ts';
import { INDEX_VERSION, type IndexIdentity, loadIndex, readManifest, saveIndex, staleFields } from '../../../starter/index/store.ts';
import { HnswlibStore } from '../../../starter/index/vector-store-hnswlib.ts';

/** mulberry32: a tiny seeded generator, so the "random" vectors are the same every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DIMS = 16;
const random = seededRandom(7);
const vectors = Array.from({ length: 12 }, () => Array.from({ length: DIMS }, () => random() * 2 - 1));
const chunks: Chunk[] = vectors.map((_, i) => ({ id: `c${i}`, docId: `d${i % 3}`, title: `Doc ${i % 3}`, text: `chunk number ${i}`, start: i * 10, end: i * 10 + 9, passageIds: [`p${i}`] }));
const identity: IndexIdentity = { embeddingModel: 'fake-model', corpusHash: 'corpus-1', chunkConfigHash: 'chunk-1' };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-store-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

let n = 0;
async function savedIndex(): Promise<string> {
  const dir = join(root, `index-${n++}`);
  await saveIndex(dir, buildHnsw(vectors, DIMS), chunks, { ...identity, dims: DIMS });
  return dir;
}

async function expectUserError(promise: Promise<unknown>, pattern: RegExp): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isUserError(error), `expected a UserError, got ${String(error)}`).toBe(true);
  expect((error as UserError).message).toMatch(pattern);
  return error as UserError;
}

describe('saveIndex / loadIndex', () => {
  test('round trip: the manifest, the chunks and the nearest neighbours survive', async () => {
    const dir = join(root, 'round-trip');
    const original = buildHnsw(vectors, DIMS);
    const manifest = await saveIndex(dir, original, chunks, { ...identity, dims: DIMS });
    expect(manifest).toMatchObject({ version: INDEX_VERSION, ...identity, dims: DIMS, chunkCount: chunks.length });
    expect(Object.keys(manifest.files).sort()).toEqual(['chunks.json', 'vectors.hnsw']);
    expect((await readdir(dir)).sort()).toEqual(['chunks.json', 'manifest.json', 'vectors.hnsw']);

    const loaded = await loadIndex(dir, identity);
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.chunks).toEqual(chunks);
    expect(loaded.hnsw.getCurrentCount()).toBe(vectors.length);
    for (const [i, v] of vectors.entries()) {
      const before = searchHnsw(original, v, 3);
      const after = searchHnsw(loaded.hnsw, v, 3);
      expect(after.map((h) => h.index)).toEqual(before.map((h) => h.index));
      // Each vector is its own nearest neighbour, with cosine similarity 1.
      expect(after[0]?.index).toBe(i);
      expect(after[0]?.score).toBeCloseTo(1, 5);
    }
  });

  test('no index yet → UserError telling to run ingest', async () => {
    const dir = join(root, 'never-built');
    expect(await readManifest(dir)).toBeUndefined();
    await expectUserError(loadIndex(dir, identity), /no index yet.*ragfolio ingest/);
  });

  test('a stale manifest → UserError naming exactly the changed fields', async () => {
    const dir = await savedIndex();
    await expectUserError(loadIndex(dir, { ...identity, corpusHash: 'corpus-2' }), /stale \(corpusHash changed/);
    const both = await expectUserError(loadIndex(dir, { ...identity, embeddingModel: 'other-model', chunkConfigHash: 'chunk-2' }), /stale/);
    expect(both.message).toContain('embeddingModel, chunkConfigHash changed');
    expect(both.message).not.toContain('corpusHash');
    expect(both.message).toContain('ragfolio ingest');
    const manifest = await readManifest(dir);
    expect(manifest && staleFields(manifest, identity)).toEqual([]);
    expect(manifest && staleFields(manifest, { embeddingModel: 'x', corpusHash: 'y', chunkConfigHash: 'z' })).toEqual(['embeddingModel', 'corpusHash', 'chunkConfigHash']);
  });

  test('flipped bytes in the vectors file → UserError "corrupted", before hnswlib reads it', async () => {
    const dir = await savedIndex();
    const file = join(dir, 'vectors.hnsw');
    const bytes = await readFile(file);
    for (const at of [100, 101, bytes.length - 1]) bytes[at] = (bytes[at] ?? 0) ^ 0xff;
    await writeFile(file, bytes);
    const error = await expectUserError(loadIndex(dir, identity), /corrupted/);
    expect(error.message).toContain(file);
    expect(error.message).toContain('ragfolio ingest');
  });

  test('a truncated vectors file or an edited chunk list is caught the same way', async () => {
    const truncated = await savedIndex();
    const file = join(truncated, 'vectors.hnsw');
    await writeFile(file, (await readFile(file)).subarray(0, 64));
    await expectUserError(loadIndex(truncated, identity), /vectors\.hnsw: index file is corrupted/);

    const edited = await savedIndex();
    const chunksFile = join(edited, 'chunks.json');
    await writeFile(chunksFile, (await readFile(chunksFile, 'utf8')).replace('chunk number 3', 'chunk number 4'));
    await expectUserError(loadIndex(edited, identity), /chunks\.json: index file is corrupted/);
  });

  test('a missing data file → UserError "missing"', async () => {
    const dir = await savedIndex();
    await rm(join(dir, 'vectors.hnsw'));
    await expectUserError(loadIndex(dir, identity), /vectors\.hnsw: index file missing/);
  });

  test('a damaged manifest → UserError, whether bad JSON or another version', async () => {
    const bad = await savedIndex();
    await writeFile(join(bad, 'manifest.json'), '{"version": 2,');
    await expectUserError(loadIndex(bad, identity), /manifest is not valid JSON.*ragfolio ingest/);
    const old = await savedIndex();
    const manifest = JSON.parse(await readFile(join(old, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(old, 'manifest.json'), JSON.stringify({ ...manifest, version: 1 }));
    await expectUserError(loadIndex(old, identity), /version.*another ragfolio version/);
  });

  test('saving again replaces the index and leaves no temp or old folders behind', async () => {
    const dir = join(root, 'replace');
    await saveIndex(dir, buildHnsw(vectors, DIMS), chunks, { ...identity, dims: DIMS });
    const fewer = chunks.slice(0, 5);
    await saveIndex(dir, buildHnsw(vectors.slice(0, 5), DIMS), fewer, { ...identity, corpusHash: 'corpus-2', dims: DIMS });
    const loaded = await loadIndex(dir, { ...identity, corpusHash: 'corpus-2' });
    expect(loaded.chunks).toEqual(fewer);
    expect(loaded.hnsw.getCurrentCount()).toBe(5);
    expect((await readdir(root)).filter((name) => name.startsWith('replace'))).toEqual(['replace']);
  });

  test('atomic: a save that fails midway leaves the previous index intact and loadable', async () => {
    const dir = join(root, 'atomic');
    await saveIndex(dir, buildHnsw(vectors, DIMS), chunks, { ...identity, dims: DIMS });
    const before = await Promise.all(['manifest.json', 'chunks.json', 'vectors.hnsw'].map((f) => readFile(join(dir, f))));

    // An index whose file write dies halfway, as on a full disk.
    const failing = {
      async writeIndex(path: string) {
        await writeFile(path, 'half a file');
        throw new Error('ENOSPC: no space left on device');
      },
    } as unknown as Hnsw;
    await expect(saveIndex(dir, failing, chunks.slice(0, 2), { ...identity, corpusHash: 'corpus-3', dims: DIMS })).rejects.toThrow(/ENOSPC/);

    const after = await Promise.all(['manifest.json', 'chunks.json', 'vectors.hnsw'].map((f) => readFile(join(dir, f))));
    expect(after).toEqual(before);
    const loaded = await loadIndex(dir, identity);
    expect(loaded.chunks).toEqual(chunks);
    expect((await readdir(root)).filter((name) => name.startsWith('atomic'))).toEqual(['atomic']);
    expect(existsSync(`${dir}.tmp-${process.pid}`)).toBe(false);
  });
});

describe('a manifest that disagrees with the files is stale (issue 16, point 4)', () => {
  test.each([
    ['dims', { dims: DIMS * 2 }, /dims 32 but vectors\.hnsw holds 16-d vectors/],
    ['chunkCount', { chunkCount: chunks.length + 1 }, /chunkCount 13 but vectors\.hnsw holds 12 vectors/],
  ])('%s', async (_field, edit, pattern) => {
    const dir = await savedIndex();
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, ...edit }));
    const error = await expectUserError(loadIndex(dir, identity), pattern);
    expect(error.message).toContain('ragfolio ingest');
  });

  test('the header reader agrees with what hnswlib wrote', async () => {
    const dir = await savedIndex();
    expect(readHnswShape(await readFile(join(dir, 'vectors.hnsw')))).toEqual({ dims: DIMS, count: vectors.length });
    expect(readHnswShape(new Uint8Array(10))).toBeUndefined();
  });
});

describe('HnswlibStore (the VectorStore seam over these files)', () => {
  test('upsert, delete and persist publish exactly the given order; open searches it', async () => {
    const store = new HnswlibStore(join(root, 'seam'));
    await expectUserError(store.open(identity), /no index yet/);
    expect(await store.upsert(chunks.map((chunk, i) => ({ chunk, vector: vectors[i] ?? [] })))).toBe(chunks.length);
    expect(await store.delete(['c0', 'missing'])).toBe(1);
    const order = chunks.slice(1).map((c) => c.id);
    await expect(store.persist({ ...identity, dims: DIMS }, ['c0'])).rejects.toThrow(/c0 was never upserted/);
    expect(await store.persist({ ...identity, dims: DIMS }, order)).toMatchObject({ chunkCount: order.length, dims: DIMS });
    const opened = await new HnswlibStore(join(root, 'seam')).open(identity);
    expect(opened.chunks.map((c) => c.id)).toEqual(order);
    const [best] = await opened.search(vectors[5] ?? [], 3);
    expect(best && opened.chunks[best.index]?.id).toBe('c5');
    expect(best?.score).toBeCloseTo(1, 5);
  });
});
