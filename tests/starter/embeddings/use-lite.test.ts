import { expect, test } from 'vitest';
import { UseLiteEmbeddings } from '../../../starter/embeddings/use-lite.ts';

const texts = (topic: string) => Array.from({ length: 40 }, (_, i) => `Sentence ${i} about the ${topic}, its history and its people.`);

test('the worker pool serves concurrent calls one at a time: each gets its own vectors, in order', async () => {
  const pooled = new UseLiteEmbeddings({ workers: 2 });
  const [rivers, harvests] = await Promise.all([pooled.embedDocuments(texts('river')), pooled.embedDocuments(texts('harvest'))]);
  // A second round reuses the same workers.
  const again = await pooled.embedDocuments(texts('river'));
  const single = new UseLiteEmbeddings({ workers: 1 });
  expect(rivers).toEqual(await single.embedDocuments(texts('river')));
  expect(harvests).toEqual(await single.embedDocuments(texts('harvest')));
  expect(again).toEqual(rivers);
}, 120_000);
