import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { UseLiteEmbeddings } from '../../../starter/embeddings/use-lite.ts';
import { REPO_ROOT } from '../../helpers/cli.ts';

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

test('a question sent with the warm-up is embedded once, to the vector the main thread gives, for whichever instance asks first', async () => {
  const question = 'Which treaty did the 1988 address ask the Senate to ratify?';
  const early = new UseLiteEmbeddings({ workers: 1 });
  early.warmUp(question);
  // `ask` warms up before its pipeline makes its own instance: that instance takes the vector already on its way.
  const later = new UseLiteEmbeddings({ workers: 1 });
  later.warmUp();
  const fromWarmUp = later.embedQuery(question);
  const cold = new UseLiteEmbeddings({ workers: 0 });
  expect(await fromWarmUp).toEqual(await cold.embedQuery(question));
  // Taken once: another question, and the same one again, are embedded anew, to the same vectors.
  expect(await later.embedQuery(question)).toEqual(await fromWarmUp);
  expect(await later.embedQuery('How many Americans lack health insurance?')).toEqual(await cold.embedQuery('How many Americans lack health insurance?'));
}, 120_000);

test('the workers start in a process run with --import tsx that moved to a folder without node_modules', async () => {
  // promptfoo's side of the grid bench: `node --import tsx …` then process.chdir(project); workers must not inherit the loader flag.
  const elsewhere = await mkdtemp(join(tmpdir(), 'ragfolio-uselite-cwd-'));
  const moduleUrl = pathToFileURL(join(REPO_ROOT, 'starter', 'embeddings', 'use-lite.ts')).href;
  const script = `process.chdir(${JSON.stringify(elsewhere)}); const { UseLiteEmbeddings } = await import(${JSON.stringify(moduleUrl)}); const e = new UseLiteEmbeddings({ workers: 2 }); const v = await e.embedDocuments(${JSON.stringify(texts('canal'))}); console.log(v.length, v[0].length);`;
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT });
    expect(stdout.trim()).toBe('40 512');
  } finally {
    await rm(elsewhere, { recursive: true, force: true });
  }
}, 120_000);
