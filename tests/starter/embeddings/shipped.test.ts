import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { searchText } from '../../../starter/chunk.ts';
import { loadProjectConfig } from '../../../starter/config.ts';
import { loadShippedEmbeddings, shippedEmbeddingFiles, shippedEmbeddingsEnabled, writeShippedEmbeddings } from '../../../starter/embeddings/shipped.ts';
import { USE_LITE_MODEL_ID } from '../../../starter/embeddings/use-lite.ts';
import { sha256 } from '../../../starter/hash.ts';
import { ingest } from '../../../starter/ingest.ts';
import { createTempProject, tinyPassages } from '../../helpers/temp-project.ts';

const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-shipped-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const entries = [
  [sha256('one'), [0.1, 0.2, 0.3]],
  [sha256('two'), [-1, 0, 1 / 3]],
] as const;

async function shipped(name: string): Promise<string> {
  const dataset = join(dir, name);
  await writeShippedEmbeddings(dataset, 'm', entries);
  return dataset;
}

describe('shipped embeddings', () => {
  test('round-trip: each text hash maps to its float32 vector', async () => {
    const loaded = await loadShippedEmbeddings(await shipped('ok'), 'm');
    if (!loaded?.ok) throw new Error(`not loaded: ${JSON.stringify(loaded)}`);
    expect(loaded.shipped.vectors.size).toBe(2);
    expect(Array.from(loaded.shipped.vectors.get(sha256('two')) ?? [])).toEqual(f32([-1, 0, 1 / 3]));
    const { vectors } = shippedEmbeddingFiles(join(dir, 'ok'), 'm');
    expect((await readFile(vectors)).byteLength).toBe(2 * 3 * 4);
  });

  test('none shipped is not an error', async () => {
    expect(await loadShippedEmbeddings(join(dir, 'nothing-here'), 'm')).toBeUndefined();
  });

  const files = (d: string) => shippedEmbeddingFiles(d, 'm');
  test.each([
    ['an index made for another model', async (d: string) => writeFile(files(d).index, (await readFile(files(d).index, 'utf8')).replace('"model": "m"', '"model": "other"')), /made with other, not m/],
    ['a flipped byte', async (d: string) => flip(files(d).vectors), /checksum/],
    ['a truncated vector file', async (d: string) => writeFile(files(d).vectors, (await readFile(files(d).vectors)).subarray(0, 20)), /bytes, expected 2 × 3/],
    ['a broken index', async (d: string) => writeFile(files(d).index, '{"version":1,'), /not a shipped-embeddings index/],
    ['a missing vector file', async (d: string) => rm(files(d).vectors), /is missing/],
  ])('%s: ignored, with the reason', async (name, damage, reason) => {
    const dataset = await shipped(name.replace(/\W/g, '-'));
    await damage(dataset);
    const loaded = await loadShippedEmbeddings(dataset, 'm');
    expect(loaded?.ok).toBe(false);
    expect(loaded?.ok === false && loaded.reason).toMatch(reason);
  });

  test('a non-finite value is ignored even with a matching checksum', async () => {
    const dataset = join(dir, 'nan');
    await writeShippedEmbeddings(dataset, 'm', [[sha256('x'), [1, Number.NaN]]]);
    expect(await loadShippedEmbeddings(dataset, 'm')).toMatchObject({ ok: false, reason: expect.stringMatching(/non-finite/) });
  });

  test('RAGFOLIO_SHIPPED_EMBEDDINGS=0 turns them off', () => {
    expect(shippedEmbeddingsEnabled({})).toBe(true);
    expect(shippedEmbeddingsEnabled({ RAGFOLIO_SHIPPED_EMBEDDINGS: '0' })).toBe(false);
  });
});

describe('ingest with shipped vectors', () => {
  test('reads them instead of embedding, embeds only an edited passage, and embeds all when they are off', async () => {
    const { root } = await createTempProject();
    const project = await loadProjectConfig(root);
    const dataset = join(root, 'datasets', 'x');
    // Vectors that are not USE-lite's, so the index shows where they came from; unit length like the model's.
    const fake = (i: number) => Array.from({ length: 512 }, (_, j) => (j === i ? 1 : 0));
    await writeShippedEmbeddings(
      dataset,
      USE_LITE_MODEL_ID,
      tinyPassages.map(([, text], i) => [sha256(searchText({ title: 'Town news', text })), fake(i)] as const),
    );
    const first = await ingest(project, { shippedEmbeddings: true });
    expect(first).toMatchObject({ chunks: 5, cacheMisses: 0, shippedHits: 5, cacheHits: 5 });

    const corpusFile = join(dataset, 'corpus.jsonl');
    await writeFile(corpusFile, (await readFile(corpusFile, 'utf8')).replace('forty new teachers', 'fifty new teachers'));
    const edited = await ingest(project, { shippedEmbeddings: true });
    expect(edited).toMatchObject({ cacheMisses: 1, shippedHits: 4 });

    await mkdir(join(root, 'elsewhere'));
    const cold = await ingest({ ...project, config: { ...project.config, dataDir: 'elsewhere' } }, { shippedEmbeddings: false, force: true });
    expect(cold).toMatchObject({ cacheMisses: 5, shippedHits: 0 });
    await rm(root, { recursive: true, force: true });
  });

  test('damaged shipped vectors are reported and not used', async () => {
    const { root } = await createTempProject();
    const project = await loadProjectConfig(root);
    const dataset = join(root, 'datasets', 'x');
    await writeShippedEmbeddings(dataset, USE_LITE_MODEL_ID, [[sha256(searchText({ title: 'Town news', text: tinyPassages[0][1] })), Array.from({ length: 512 }, () => 0.1)]]);
    await flip(shippedEmbeddingFiles(dataset, USE_LITE_MODEL_ID).vectors);
    const report = await ingest(project, { shippedEmbeddings: true });
    expect(report).toMatchObject({ cacheMisses: 5, shippedHits: 0, shippedIgnored: expect.stringMatching(/checksum/) });
    await rm(root, { recursive: true, force: true });
  });
});

async function flip(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
}
