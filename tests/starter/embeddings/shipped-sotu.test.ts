import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { chunkCorpus, searchText } from '../../../starter/chunk.ts';
import { loadCorpus } from '../../../starter/corpus.ts';
import { loadShippedEmbeddings } from '../../../starter/embeddings/shipped.ts';
import { questionQueries } from '../../../starter/embeddings/shipped-questions.ts';
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

/** Each text the eval set's questions embed (the question and its planner parts). */
async function questionTexts(dataset: string): Promise<string[]> {
  const lines = (await readFile(join(dataset, 'evalset.jsonl'), 'utf8')).split('\n').filter((line) => line.trim());
  return lines.flatMap((line) => questionQueries((JSON.parse(line) as { question: string }).question));
}

test('the question vectors verify and are exactly what embedQuery gives', async () => {
  const loaded = await loadShippedEmbeddings(SOTU, USE_LITE_MODEL_ID, 'questions');
  if (!loaded?.ok) throw new Error(`datasets/sotu/embeddings: ${loaded?.reason ?? 'no question vectors shipped'}; run npm run build:embeddings`);
  // Each embedded alone: the very floats embedQuery gives, not a batch's (which differ slightly).
  const shipped = (await questionTexts(SOTU)).filter((t) => loaded.shipped.vectors.has(sha256(t)));
  const model = new UseLiteEmbeddings({ workers: 1 });
  for (const text of [shipped[0], shipped.at(-1)].filter((t): t is string => t !== undefined)) {
    expect(Array.from(loaded.shipped.vectors.get(sha256(text)) ?? [])).toEqual(await model.embedQuery(text));
  }
});

// In the kit only: a project's owner edits the eval set, and a question added there is simply embedded.
const DATASETS = join(SOTU, '..');
test.runIf(existsSync(join(DATASETS, '..', 'scripts', 'new')))('the kit’s datasets ship a vector for every eval question and planner part', async () => {
  for (const name of await readdir(DATASETS)) {
    const dataset = join(DATASETS, name);
    if (!existsSync(join(dataset, 'evalset.jsonl'))) continue;
    const loaded = await loadShippedEmbeddings(dataset, USE_LITE_MODEL_ID, 'questions');
    if (!loaded?.ok) throw new Error(`datasets/${name}/embeddings: ${loaded?.reason ?? 'no question vectors shipped'}; run npm run build:embeddings -- datasets/${name}`);
    const missing = (await questionTexts(dataset)).filter((t) => !loaded.shipped.vectors.has(sha256(t)));
    expect(missing, `datasets/${name}: questions without a shipped vector: run npm run build:embeddings -- datasets/${name}`).toEqual([]);
  }
});
