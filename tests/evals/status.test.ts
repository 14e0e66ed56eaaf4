import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { promoteBaseline } from '../../evals/baseline.ts';
import { PITCH_FILE, PITCH_SECTIONS, PITCH_TEMPLATE } from '../../evals/report/pitch.ts';
import { runEval } from '../../evals/run.ts';
import { projectStatus } from '../../evals/status.ts';
import { loadProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { projectPaths } from '../../starter/paths.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { createFixtureProject } from './fixture-project.ts';
import { referenceRun } from './reference-run.ts';

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

const git = (root: string, ...args: string[]) => promisify(execFile)('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: root });
const state = async (root: string) => Object.fromEntries((await projectStatus(await loadProjectConfig(root))).map((m) => [m.milestone, m]));

test('what `new` copied proves nothing; milestones turn done on evidence the project produced', async () => {
  // As `ragfolio new` leaves a project: eval set, a baseline from elsewhere and the CI workflow, all in the first commit.
  const { root } = await createFixtureProject();
  roots.push(root);
  await mkdir(join(root, 'evals'));
  await writeFile(join(root, 'evals', 'baseline.json'), JSON.stringify(referenceRun()));
  await mkdir(join(root, '.github', 'workflows'), { recursive: true });
  await writeFile(join(root, '.github', 'workflows', 'eval.yml'), readFileSync(join(REPO_ROOT, '.github', 'workflows', 'eval.yml')));
  await writeFile(join(root, 'evals', 'regression.test.ts'), '// the gate\n');
  await git(root, 'init', '-q');
  await git(root, 'add', '.');
  await git(root, 'commit', '-q', '-m', 'ragfolio new');

  const fresh = await state(root);
  expect(fresh['index built']?.done).toBe(false);
  expect(fresh['eval set written and valid']).toMatchObject({ done: false, evidence: expect.stringMatching(/no commit after the project's first one/) });
  expect(fresh['baseline saved']).toMatchObject({ done: false, evidence: expect.stringMatching(/was not run in this project/) });
  expect(fresh['CI runs tests and the regression gate']).toMatchObject({ done: false, evidence: expect.stringMatching(/baseline is not this project's/) });
  // A write-up of the template's shipped baseline alone is the template's, not the project's.
  await mkdir(join(root, 'docs'));
  await writeFile(join(root, 'docs', 'PROJECT_SUMMARY.md'), '# summary\n');
  expect((await state(root))['write-up generated']).toMatchObject({ done: false, evidence: expect.stringMatching(/reports only the baseline the template shipped/) });
  // The pitch file as `new` writes it is the template's words; done once the author replaced every marked paragraph.
  await writeFile(join(root, PITCH_FILE), PITCH_TEMPLATE);
  expect((await state(root))['pitch and next steps in your own words']).toMatchObject({ done: false, evidence: expect.stringMatching(/^write "## Pitch" and "## Next steps" in docs\/PITCH.md/) });
  await writeFile(join(root, PITCH_FILE), PITCH_TEMPLATE.replace(PITCH_SECTIONS.pitch.placeholder, 'Mine.'));
  expect((await state(root))['pitch and next steps in your own words']).toMatchObject({ done: false, evidence: expect.stringMatching(/^write "## Next steps" in/) });
  await writeFile(join(root, PITCH_FILE), PITCH_TEMPLATE.replace(PITCH_SECTIONS.pitch.placeholder, 'Mine.').replace(PITCH_SECTIONS.nextSteps.placeholder, '- More.'));
  expect((await state(root))['pitch and next steps in your own words']?.done).toBe(true);

  // The project's own work: a question edited and committed, an index, a baseline run at a commit of its own.
  await appendFile(
    join(root, 'data', 'evalset.jsonl'),
    `${JSON.stringify({ id: 'f', question: 'What do the valley farmers grow besides apples?', answers: ['pears'], gold: ['p1'], type: 'factoid', split: 'dev' })}\n`,
  );
  await git(root, 'commit', '-q', '-am', 'my questions');
  const project = await loadProjectConfig(root);
  await ingest(project);
  await promoteBaseline(project, (await runEval(project, { split: 'dev' })).run);
  const after = await state(root);
  expect(Object.fromEntries(Object.entries(after).map(([k, m]) => [k, m.done]))).toMatchObject({
    'index built': true,
    'eval set written and valid': true,
    'baseline saved': true,
    'eval runs recorded': true,
    // The baseline is this project's, but CI gates against the committed one.
    'CI runs tests and the regression gate': false,
    'experiments run': false,
    'write-up generated': true,
  });
  expect(after['CI runs tests and the regression gate']?.evidence).toMatch(/not committed: commit it/);
  expect(after['eval set written and valid']?.evidence).toMatch(/^6 questions validated .*last changed in/);
  await git(root, 'commit', '-q', '-am', 'my baseline');
  expect((await state(root))['CI runs tests and the regression gate']).toMatchObject({ done: true, evidence: expect.stringMatching(/committed$/) });

  // A manifest whose chunking hash disagrees with the config is stale, though corpus and model agree.
  const manifestFile = join(projectPaths(project).index, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
  await writeFile(manifestFile, JSON.stringify({ ...manifest, chunkConfigHash: 'another-chunking' }));
  expect((await state(root))['index built']).toMatchObject({ done: false, evidence: expect.stringMatching(/stale \(chunkConfigHash/) });
});
