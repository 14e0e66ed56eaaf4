import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { promoteBaseline } from '../../evals/baseline.ts';
import { runEval } from '../../evals/run.ts';
import { projectStatus } from '../../evals/status.ts';
import { loadProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { createFixtureProject, fixtureEvalsetText } from './fixture-project.ts';

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

const done = async (root: string) => Object.fromEntries((await projectStatus(await loadProjectConfig(root))).map((m) => [m.milestone, m.done]));

test('a fresh project shows what to do next; milestones turn done as their artefacts appear', async () => {
  const { root } = await createFixtureProject({ evalset: false });
  roots.push(root);
  const before = await projectStatus(await loadProjectConfig(root));
  expect(before.find((m) => m.milestone === 'index built')).toMatchObject({ done: false, evidence: 'run `ragfolio ingest`' });
  expect(before.find((m) => m.milestone === 'eval set written and valid')?.done).toBe(false);
  expect(before.filter((m) => m.done).map((m) => m.milestone)).toEqual(['dataset in place']);

  await writeFile(join(root, 'data', 'evalset.jsonl'), fixtureEvalsetText);
  const project = await loadProjectConfig(root);
  await ingest(project);
  await promoteBaseline(project, (await runEval(project, { split: 'dev' })).run);
  await mkdir(join(root, '.github', 'workflows'), { recursive: true });
  await writeFile(join(root, '.github', 'workflows', 'eval.yml'), 'name: eval\n');
  const after = await done(root);
  expect(after).toMatchObject({
    'index built': true,
    'eval set written and valid': true,
    'baseline saved': true,
    'eval runs recorded': true,
    'CI runs tests and the regression gate': true,
    'experiments run': false,
    'write-up generated': false,
  });
  const evidence = (await projectStatus(project)).find((m) => m.milestone === 'eval set written and valid')?.evidence;
  expect(evidence).toMatch(/^5 questions validated/);
});
