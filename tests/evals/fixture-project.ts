import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A four-passage project in a temp folder: small enough to ingest with USE-lite in about a second. */
export const fixturePassages = [
  ['p0', 'The committee approved a new bridge over the Blue River in 1999. It will carry four lanes of traffic.'],
  ['p1', 'Farmers in the valley grow apples and pears. The harvest was the largest in twenty years.'],
  ['p2', 'The city library opened a reading room for children. Volunteers read stories every Saturday morning.'],
  ['p3', 'A storm closed the harbor for three days. Fishing boats stayed at the dock until the wind dropped.'],
] as const;

export const fixtureEvalset = [
  { id: 'a', question: 'Which river will the new bridge cross?', answers: ['Blue River'], gold: ['p0'], type: 'factoid', split: 'dev' },
  { id: 'b', question: 'What fruit do the valley farmers grow?', answers: ['apples'], gold: ['p1'], type: 'factoid', split: 'dev' },
  { id: 'c', question: 'How long was the harbor closed by the storm?', answers: ['three days'], gold: ['p3'], type: 'numeric', split: 'dev' },
  { id: 'd', question: 'Who won the chess tournament in Oslo?', answers: [], gold: [], type: 'unanswerable', split: 'test' },
  { id: 'e', question: '', answers: [], gold: ['p2'], type: 'factoid', split: 'dev', status: 'draft' },
];

export const fixtureEvalsetText = `${fixtureEvalset.map((e) => JSON.stringify(e)).join('\n')}\n`;

export async function createFixtureProject(options: { evalset?: boolean } = {}): Promise<{ root: string; evalsetText: string }> {
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-fixture-'));
  await mkdir(join(root, 'data'));
  const corpus = fixturePassages.map(([id, text]) => JSON.stringify({ id, docId: 'doc', title: 'Town news', text, start: 0, end: text.length }));
  await writeFile(join(root, 'data', 'corpus.jsonl'), `${corpus.join('\n')}\n`);
  const evalsetText = fixtureEvalsetText;
  if (options.evalset !== false) await writeFile(join(root, 'data', 'evalset.jsonl'), evalsetText);
  await writeFile(
    join(root, 'ragfolio.config.json'),
    JSON.stringify({ dataset: 'data', embeddings: { provider: 'local', workers: 1 }, retriever: { kind: 'hybrid', k: 2 }, eval: { resamples: 500 } }),
  );
  return { root, evalsetText };
}
