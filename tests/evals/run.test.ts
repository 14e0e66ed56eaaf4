import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runEval } from '../../evals/run.ts';
import { runFileSchema } from '../../evals/run-file.ts';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { sha256 } from '../../starter/hash.ts';
import { ingest } from '../../starter/ingest.ts';
import { createFixtureProject, fixtureEvalset } from './fixture-project.ts';

let root: string;
let project: ProjectConfig;
let evalsetText: string;

beforeAll(async () => {
  ({ root, evalsetText } = await createFixtureProject());
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
    await writeFile(join(root, 'data', 'evalset.jsonl'), `${JSON.stringify(fixtureEvalset[0])}\n`);
    const before = await readdir(join(root, 'runs'));
    try {
      await expect(runEval(await loadProjectConfig(root), { split: 'test' })).rejects.toThrow(/no reviewed questions in split "test"/);
    } finally {
      await writeFile(join(root, 'data', 'evalset.jsonl'), evalsetText);
    }
    expect(await readdir(join(root, 'runs'))).toEqual(before);
  });
});
