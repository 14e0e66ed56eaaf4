import { join } from 'node:path';
import { expect, test } from 'vitest';
import { chunkCorpus, searchText } from '../../../starter/chunk.ts';
import { loadCorpus } from '../../../starter/corpus.ts';
import { loadShippedEmbeddings } from '../../../starter/embeddings/shipped.ts';
import { USE_LITE_MODEL_ID, UseLiteEmbeddings } from '../../../starter/embeddings/use-lite.ts';
import { sha256 } from '../../../starter/hash.ts';

const SOTU = join(import.meta.dirname, '..', '..', '..', 'datasets', 'sotu');

test('they verify, cover every passage of corpus.jsonl as ingest embeds it, and match the model', async () => {
  const loaded = await loadShippedEmbeddings(SOTU, USE_LITE_MODEL_ID);
  if (!loaded?.ok) throw new Error(`datasets/sotu/embeddings: ${loaded?.reason ?? 'none shipped'}; run npm run build:dataset`);
  const corpus = await loadCorpus(join(SOTU, 'corpus.jsonl'));
  const texts = (await chunkCorpus(corpus.passages, { mode: 'passage' })).map(searchText);
  const missing = texts.filter((t) => !loaded.shipped.vectors.has(sha256(t)));
  expect(missing, 'passages without a shipped vector: run npm run build:dataset').toEqual([]);
  // A sample embedded now gives the shipped vectors (USE-lite is deterministic).
  const sample = [texts[0], texts[Math.floor(texts.length / 2)], texts.at(-1)].filter((t): t is string => t !== undefined);
  const fresh = await new UseLiteEmbeddings({ workers: 1 }).embedDocuments(sample);
  sample.forEach((text, i) => {
    const stored = Array.from(loaded.shipped.vectors.get(sha256(text)) ?? []);
    expect(stored).toHaveLength(512);
    for (const [j, x] of (fresh[i] ?? []).entries()) expect(stored[j]).toBeCloseTo(x, 5);
  });
});
