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

test('after a warm-up, questions are embedded on the worker, to the same vectors as on the main thread', async () => {
  const warm = new UseLiteEmbeddings({ workers: 2 });
  warm.warmUp();
  const questions = ['What top tax rate did Biden want to restore in 2021?', 'How many Americans lack health insurance?'];
  const onWorker = [await warm.embedQuery(questions[0] as string), await warm.embedQuery(questions[1] as string)];
  const cold = new UseLiteEmbeddings({ workers: 1 });
  expect(onWorker).toEqual([await cold.embedQuery(questions[0] as string), await cold.embedQuery(questions[1] as string)]);
}, 120_000);
