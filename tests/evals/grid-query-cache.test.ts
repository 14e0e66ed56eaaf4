import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { QueryCache } from '../../starter/embeddings/query-cache.ts';
import { UseLiteEmbeddings } from '../../starter/embeddings/use-lite.ts';
import { sha256 } from '../../starter/hash.ts';
import { countingEmbedder } from '../helpers/counting-embedder.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-query-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('QueryCache', () => {
  test('embeds each distinct question once, keyed by sha256 on disk, and serves it from the file afterwards', async () => {
    const file = join(dir, 'queries.json');
    const embedder = countingEmbedder();
    const cache = await QueryCache.open(file, 'fake-model');
    const progress: number[] = [];
    // The repeated question is embedded once: its second occurrence counts as a hit.
    expect(await cache.fill(['Who?', 'When?', 'Who?'], embedder, (done) => progress.push(done))).toEqual({ hits: 1, misses: 2 });
    expect(embedder.queries).toEqual(['Who?', 'When?']);
    expect(progress).toEqual([1, 2]);
    const saved = JSON.parse(await readFile(file, 'utf8')) as { model: string; vectors: Record<string, string> };
    expect(saved.model).toBe('fake-model');
    expect(Object.keys(saved.vectors).sort()).toEqual([sha256('Who?'), sha256('When?')].sort());

    const reopened = await QueryCache.open(file, 'fake-model');
    const fresh = countingEmbedder();
    expect(await reopened.fill(['Who?', 'When?'], fresh)).toEqual({ hits: 2, misses: 0 });
    expect(await reopened.serve(fresh).embedQuery('When?')).toEqual([5, 0.5, -1]);
    expect(fresh.queries).toEqual([]);
  });

  test('another model never reads the file, and a question served before fill() ends waits for its vector', async () => {
    const file = join(dir, 'queries.json');
    await (await QueryCache.open(file, 'model-a')).fill(['Who?'], countingEmbedder());
    const other = await QueryCache.open(file, 'model-b');
    const embedder = countingEmbedder();
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: EmbeddingsInterface = {
      embedQuery: async (text) => {
        await gate;
        return embedder.embedQuery(text);
      },
      embedDocuments: (texts) => embedder.embedDocuments(texts),
    };
    const filling = other.fill(['Who?'], slow);
    const served = other.serve(embedder).embedQuery('Who?');
    release();
    expect(await served).toEqual([4, 0.5, -1]);
    await filling;
    expect(embedder.queries).toEqual(['Who?']);
  });

  test('USE-lite embeds each question on the worker threads exactly as embedQuery does on the main thread', async () => {
    // Enough questions for the pool (a batch of texts would give slightly different floats: embedEach sends one at a time).
    const questions = Array.from({ length: 40 }, (_, i) => `What did address number ${i} say about the ${i % 2 ? 'economy' : 'war'}?`);
    const model = new UseLiteEmbeddings({ workers: 2 });
    const pooled = await model.embedEach(questions);
    const single: number[][] = [];
    for (const q of questions) single.push(await model.embedQuery(q));
    expect(pooled).toHaveLength(40);
    expect(pooled).toEqual(single);
  });
});
