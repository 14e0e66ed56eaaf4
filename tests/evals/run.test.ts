import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runFileSchema } from '../../evals/run-file.ts';
import { runEval } from '../../evals/run.ts';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { sha256 } from '../../starter/hash.ts';
import { ingest } from '../../starter/ingest.ts';

const passages = [
  ['p0', 'The committee approved a new bridge over the Blue River in 1999. It will carry four lanes of traffic.'],
  ['p1', 'Farmers in the valley grow apples and pears. The harvest was the largest in twenty years.'],
  ['p2', 'The city library opened a reading room for children. Volunteers read stories every Saturday morning.'],
  ['p3', 'A storm closed the harbor for three days. Fishing boats stayed at the dock until the wind dropped.'],
];
const evalset = [
  { id: 'a', question: 'Which river will the new bridge cross?', answers: ['Blue River'], gold: ['p0'], type: 'factoid', split: 'dev' },
  { id: 'b', question: 'What fruit do the valley farmers grow?', answers: ['apples'], gold: ['p1'], type: 'factoid', split: 'dev' },
  { id: 'c', question: 'How long was the harbor closed by the storm?', answers: ['three days'], gold: ['p3'], type: 'numeric', split: 'dev' },
  { id: 'd', question: 'Who won the chess tournament in Oslo?', answers: [], gold: [], type: 'unanswerable', split: 'test' },
  { id: 'e', question: '', answers: [], gold: ['p2'], type: 'factoid', split: 'dev', status: 'draft' },
];

let root: string;
let project: ProjectConfig;
let evalsetText: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-run-'));
  await mkdir(join(root, 'data'));
  const corpus = passages.map(([id, text]) => JSON.stringify({ id, docId: 'doc', title: 'Town news', text, start: 0, end: (text ?? '').length }));
  await writeFile(join(root, 'data', 'corpus.jsonl'), `${corpus.join('\n')}\n`);
  evalsetText = `${evalset.map((e) => JSON.stringify(e)).join('\n')}\n`;
  await writeFile(join(root, 'data', 'evalset.jsonl'), evalsetText);
  await writeFile(join(root, 'ragfolio.config.json'), JSON.stringify({ dataset: 'data', embeddings: { provider: 'local', workers: 1 }, retriever: { kind: 'hybrid', k: 2 }, eval: { resamples: 500 } }));
  project = await loadProjectConfig(root);
  await ingest(project);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runEval', () => {
  test('writes a valid run file with per-question records, CIs and the eval set hash', async () => {
    const { run, file } = await runEval(project, { split: 'dev', label: 'first' });
    expect(file).toMatch(/runs\/\d{8}-\d{6}-first\.json$/);
    expect(runFileSchema.safeParse(run).success).toBe(true);
    expect(run.evalsetHash).toBe(sha256(evalsetText));
    expect(run.records.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(run.aggregates['hit@1']?.n).toBe(3);
    for (const a of Object.values(run.aggregates)) {
      expect(a.ci95[0]).toBeLessThanOrEqual(a.mean);
      expect(a.ci95[1]).toBeGreaterThanOrEqual(a.mean);
    }
    expect(run.records[0]?.retrieved[0]?.passageId).toBe('p0');
  });

  test('resumes an interrupted run from its checkpoint instead of starting over', async () => {
    const first = await runEval(project, { split: 'all', label: 'resume' });
    const partial = join(root, 'runs', `.partial-resume-${project.configHash.slice(0, 12)}-${sha256(evalsetText).slice(0, 12)}-all.json`);
    // Simulate a crash after two questions: a checkpoint holding their records.
    await writeFile(partial, JSON.stringify({ startedAt: first.run.startedAt, records: first.run.records.slice(0, 2).map((r) => ({ ...r, answer: 'from checkpoint' })) }));
    const second = await runEval(project, { split: 'all', label: 'resume' });
    expect(second.resumed).toBe(2);
    expect(second.run.records.map((r) => r.answer.slice(0, 15))).toEqual(['from checkpoint', 'from checkpoint', first.run.records[2]?.answer.slice(0, 15), first.run.records[3]?.answer.slice(0, 15)]);
    expect(existsSync(partial)).toBe(false);
  });

  test('a split with no questions is a clear error and writes nothing', async () => {
    await writeFile(join(root, 'data', 'evalset.jsonl'), `${JSON.stringify(evalset[0])}\n`);
    const before = await readdir(join(root, 'runs'));
    try {
      await expect(runEval(await loadProjectConfig(root), { split: 'test' })).rejects.toThrow(/no reviewed questions in split "test"/);
    } finally {
      await writeFile(join(root, 'data', 'evalset.jsonl'), evalsetText);
    }
    expect(await readdir(join(root, 'runs'))).toEqual(before);
  });
});
