import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { BEIR_METRICS, benchBeir, retrieverVariants } from '../../bench/sections/beir.ts';
import { configSchema } from '../../starter/config.ts';

let folder: string;
afterAll(async () => rm(folder, { recursive: true, force: true }));

// A smoke run of the BEIR benchmark code on a six-document folder in BEIR's own format (no BEIR data ships).
test('benchBeir scores every retriever variant and the shipped default on a BEIR-format folder, and pairs the default with bm25', async () => {
  folder = await mkdtemp(join(tmpdir(), 'ragfolio-beir-fixture-'));
  await mkdir(join(folder, 'qrels'));
  const docs = [
    ['d1', 'Photosynthesis', 'Plants turn sunlight, water and carbon dioxide into sugar and oxygen.'],
    ['d2', 'Volcanoes', 'Magma rises through the crust and erupts as lava and ash.'],
    ['d3', 'Tides', 'The pull of the moon raises the oceans twice a day.'],
    ['d4', 'Vaccines', 'A vaccine trains the immune system to recognise a pathogen.'],
    ['d5', 'Glaciers', 'Compacted snow flows slowly downhill as a river of ice.'],
    [6, 'Bees', 'Bees carry pollen between flowers while collecting nectar.'],
  ];
  await writeFile(join(folder, 'corpus.jsonl'), docs.map(([_id, title, text]) => JSON.stringify({ _id, title, text })).join('\n'));
  const queries = [
    ['q1', 'how do plants make sugar from sunlight'],
    ['q2', 'what causes ocean tides'],
    ['q3', 'how does immunisation work'],
    ['q4', 'unjudged query'],
  ];
  await writeFile(join(folder, 'queries.jsonl'), queries.map(([_id, text]) => JSON.stringify({ _id, text })).join('\n'));
  await writeFile(join(folder, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\nq3\td4\t2\nq3\td5\t0\n');

  const shipped = configSchema.parse({ retriever: { kind: 'hybrid', fusion: { method: 'convex', normalization: 'zscore', alpha: 0.3 } } }).retriever;
  const result = await benchBeir(folder, shipped);
  expect(result.documents).toBe(6);
  expect(result.questions).toBe(3);
  expect(Object.keys(result.results)).toEqual(retrieverVariants(shipped).map(([label]) => label));
  expect(Object.keys(result.results)).toContain('default');
  expect(result.defaultRetriever).toEqual(shipped);
  for (const metrics of Object.values(result.results)) {
    expect(Object.keys(metrics)).toEqual([...BEIR_METRICS]);
    for (const { mean, ci95 } of Object.values(metrics)) {
      expect(mean).toBeGreaterThanOrEqual(0);
      expect(mean).toBeLessThanOrEqual(1);
      expect(ci95[0]).toBeLessThanOrEqual(mean);
    }
  }
  // Dense search ranks all six documents, so every relevant one is in its top 100 (BM25 ranks only documents
  // sharing a term with the query, so it may miss one); RRF and convex fusion inherit dense's full list.
  expect(result.results.dense?.['recall@100']?.mean).toBe(1);
  expect(result.results['rrf (1:1)']?.['recall@100']?.mean).toBe(1);
  expect(result.results.default?.['recall@100']?.mean).toBe(1);
  expect(result.defaultVsBm25.map((m) => m.metric)).toEqual([...BEIR_METRICS]);
});
