import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeVector, EMBED_SLICE, EmbeddingCache, encodeVector, SAVE_SPACING } from '../../../starter/embeddings/cache.ts';
import { sha256 } from '../../../starter/hash.ts';

/** Counts what it is asked to embed; vectors are a pure function of the text. */
class CountingEmbeddings implements EmbeddingsInterface {
  documentCalls: string[][] = [];
  queryCalls: string[] = [];

  static vector(text: string): number[] {
    return [text.length, text.charCodeAt(0) / 7, -0.1, 1 / 3];
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    this.documentCalls.push([...documents]);
    return documents.map(CountingEmbeddings.vector);
  }

  async embedQuery(document: string): Promise<number[]> {
    this.queryCalls.push(document);
    return CountingEmbeddings.vector(document);
  }

  get embedded(): string[] {
    return this.documentCalls.flat();
  }
}

const f32 = (xs: number[]) => Array.from(Float32Array.from(xs));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-cache-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('encodeVector / decodeVector', () => {
  test('round-trips to float32 precision', () => {
    const vector = [0, 1, -1, 0.1, 1 / 3, Math.PI, -1e-7, 123456.789, 3.4e38];
    const decoded = decodeVector(encodeVector(vector));
    expect(decoded).toHaveLength(vector.length);
    expect(decoded).toEqual(f32(vector));
    // Rounding to float32 moves a value by at most half an ulp: a relative error of 2^-24.
    for (const [i, x] of decoded.entries()) expect(Math.abs(x - vector[i]!)).toBeLessThanOrEqual(Math.abs(vector[i]!) * 2 ** -24);
    // Exactly representable values come back exactly.
    expect(decodeVector(encodeVector([0.5, -2, 0.25]))).toEqual([0.5, -2, 0.25]);
  });

  test('encodes little-endian float32, 4 bytes per value', () => {
    const bytes = Buffer.from(encodeVector([1, -2]), 'base64');
    expect(bytes).toHaveLength(8);
    expect(bytes.readFloatLE(0)).toBe(1);
    expect(bytes.readFloatLE(4)).toBe(-2);
  });

  test('decodes many vectors in a row (pooled buffers need not be 4-byte aligned)', () => {
    for (let n = 1; n <= 40; n++) {
      const vector = Array.from({ length: n }, (_, i) => i - n / 2 + 0.5);
      expect(decodeVector(encodeVector(vector))).toEqual(vector);
    }
  });
});

describe('EmbeddingCache', () => {
  test('embedAll embeds only the misses, once each, and keeps input order', async () => {
    const cache = await EmbeddingCache.open(join(dir, 'order.json'), 'fake');
    const model = new CountingEmbeddings();
    const first = await cache.embedAll(['alpha', 'beta', 'alpha'], model);
    expect(model.embedded).toEqual(['alpha', 'beta']);
    expect(first.stats).toEqual({ hits: 0, shipped: 0, misses: 2 });
    expect(first.vectors).toEqual(['alpha', 'beta', 'alpha'].map((t) => f32(CountingEmbeddings.vector(t))));

    const second = await cache.embedAll(['gamma', 'beta', 'alpha', 'gamma'], model);
    expect(model.documentCalls).toEqual([['alpha', 'beta'], ['gamma']]);
    expect(second.stats).toEqual({ hits: 2, shipped: 0, misses: 1 });
    expect(second.vectors).toEqual(['gamma', 'beta', 'alpha', 'gamma'].map((t) => f32(CountingEmbeddings.vector(t))));

    const third = await cache.embedAll(['beta'], model);
    expect(model.documentCalls).toHaveLength(2);
    expect(third.stats).toEqual({ hits: 1, shipped: 0, misses: 0 });
    expect(cache.size).toBe(3);
    expect(model.queryCalls).toEqual([]);
  });

  test('persists through save and open', async () => {
    const file = join(dir, 'nested', 'persist.json');
    const cache = await EmbeddingCache.open(file, 'fake');
    await cache.embedAll(['one', 'two'], new CountingEmbeddings());
    await cache.save();

    const reopened = await EmbeddingCache.open(file, 'fake');
    expect(reopened.size).toBe(2);
    expect(reopened.has('one')).toBe(true);
    expect(reopened.get('two')).toEqual(f32(CountingEmbeddings.vector('two')));
    const model = new CountingEmbeddings();
    const { stats } = await reopened.embedAll(['one', 'two', 'three'], model);
    expect(model.embedded).toEqual(['three']);
    expect(stats).toEqual({ hits: 2, shipped: 0, misses: 1 });
    const json = JSON.parse(await readFile(file, 'utf8')) as { version: number; model: string; vectors: Record<string, string> };
    expect(json).toMatchObject({ version: 1, model: 'fake' });
    expect(Object.keys(json.vectors)).toHaveLength(2);
  });

  test('a cache file written for another model is ignored', async () => {
    const file = join(dir, 'other-model.json');
    const cache = await EmbeddingCache.open(file, 'model-a');
    cache.set('text', [1, 2, 3]);
    await cache.save();
    const other = await EmbeddingCache.open(file, 'model-b');
    expect(other.size).toBe(0);
    expect(other.get('text')).toBeUndefined();
    expect((await EmbeddingCache.open(file, 'model-a')).get('text')).toEqual([1, 2, 3]);
  });

  test.each([
    ['truncated JSON', '{"version":1,"model":"fake","vectors":{"ab'],
    ['the wrong shape', '{"version":1,"model":"fake","vectors":[1,2]}'],
    ['another version', '{"version":2,"model":"fake","vectors":{}}'],
    ['an empty file', ''],
  ])('a damaged cache file (%s) is ignored and rewritten on save', async (_name, content) => {
    const file = join(dir, `damaged-${content.length}.json`);
    await writeFile(file, content);
    const cache = await EmbeddingCache.open(file, 'fake');
    expect(cache.size).toBe(0);
    const model = new CountingEmbeddings();
    await cache.embedAll(['fresh'], model);
    expect(model.embedded).toEqual(['fresh']);
    await cache.save();
    expect((await EmbeddingCache.open(file, 'fake')).get('fresh')).toEqual(f32(CountingEmbeddings.vector('fresh')));
  });

  test('a model that returns no vector for a text is an error, not a silent empty vector', async () => {
    const cache = await EmbeddingCache.open(join(dir, 'broken.json'), 'fake');
    const broken: EmbeddingsInterface = { embedDocuments: async (docs) => docs.map(() => []), embedQuery: async () => [] };
    await expect(cache.embedAll(['x'], broken)).rejects.toThrow(/no vector/);
    expect(cache.size).toBe(0);
  });
});

describe('shipped vectors as a read-only seed', () => {
  const seed = { model: 'fake', vectors: new Map([[sha256('shipped'), Float32Array.from([0.5, -0.5, 0.25, 1])]]) };

  test('a seeded text is a hit, never embedded, and never written to the cache file', async () => {
    const file = join(dir, 'seeded.json');
    const cache = await EmbeddingCache.open(file, 'fake', { seed });
    const model = new CountingEmbeddings();
    const { vectors, stats } = await cache.embedAll(['shipped', 'fresh', 'shipped'], model);
    expect(model.embedded).toEqual(['fresh']);
    expect(stats).toEqual({ hits: 2, shipped: 2, misses: 1 });
    expect(vectors[0]).toEqual([0.5, -0.5, 0.25, 1]);
    await cache.save();
    const json = JSON.parse(await readFile(file, 'utf8')) as { vectors: Record<string, string> };
    expect(Object.keys(json.vectors)).toEqual([sha256('fresh')]);
  });

  test("the cache's own vector wins over a shipped one for the same text", async () => {
    const cache = await EmbeddingCache.open(join(dir, 'own-first.json'), 'fake', { seed });
    cache.set('shipped', [9, 9, 9, 9]);
    expect(cache.get('shipped')).toEqual([9, 9, 9, 9]);
  });

  test('a seed for another model is not used', async () => {
    const cache = await EmbeddingCache.open(join(dir, 'other-seed.json'), 'model-b', { seed });
    expect(cache.has('shipped')).toBe(false);
  });
});

describe('saving during embedAll (a kill loses little)', () => {
  /** Fails on its nth call, as a killed process would stop there. */
  class FailingEmbeddings extends CountingEmbeddings {
    constructor(private readonly failOnCall: number) {
      super();
    }
    override async embedDocuments(documents: string[]): Promise<number[][]> {
      if (this.documentCalls.length + 1 === this.failOnCall) throw new Error('killed');
      return super.embedDocuments(documents);
    }
  }
  const texts = Array.from({ length: EMBED_SLICE * 5 }, (_, i) => `text ${i}`);

  test('every slice finished before the failure is on disk, in a file that parses', async () => {
    const sub = await mkdtemp(join(dir, 'kill-'));
    const file = join(sub, 'cache.json');
    // A clock that never moves: every save takes 0 ms, so a save is due after each slice.
    const cache = await EmbeddingCache.open(file, 'fake', { clock: () => 0 });
    const model = new FailingEmbeddings(4);
    await expect(cache.embedAll(texts, model)).rejects.toThrow('killed');
    expect(model.documentCalls.map((c) => c.length)).toEqual([EMBED_SLICE, EMBED_SLICE, EMBED_SLICE]);
    const reopened = await EmbeddingCache.open(file, 'fake');
    expect(reopened.size).toBe(EMBED_SLICE * 3);
    expect(reopened.get('text 0')).toEqual(f32(CountingEmbeddings.vector('text 0')));
    expect(await readdir(sub)).toEqual(['cache.json']);
  });

  test('saves are spaced by SAVE_SPACING times the last save duration, so their cost stays bounded', async () => {
    const times = [1000, 1050];
    const cache = await EmbeddingCache.open(join(dir, 'spacing.json'), 'fake', { clock: () => times.shift() ?? Number.NaN });
    cache.set('a', [1]);
    await cache.save(); // took 50 ms, ended at 1050
    cache.set('b', [2]);
    times.push(1050 + SAVE_SPACING * 50 - 1);
    expect(await cache.saveIfDue()).toBe(false);
    times.push(1050 + SAVE_SPACING * 50, 5000, 5001);
    expect(await cache.saveIfDue()).toBe(true);
    expect(times).toEqual([]);
    expect(await cache.saveIfDue()).toBe(false); // nothing new since
  });
});
