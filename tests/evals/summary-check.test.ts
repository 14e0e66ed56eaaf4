import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NEW_PROJECT_COMMIT_MESSAGE } from '../../evals/git-history.ts';
import { PITCH_FILE, PITCH_SECTIONS, PITCH_TEMPLATE } from '../../evals/report/pitch.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { createFixtureProject } from './fixture-project.ts';
import { referenceRun } from './reference-run.ts';

// `ragfolio summary --check` on a fixture project: sentences left out until git history and a CI workflow prove the
// claims, then none. The baseline is the kit's shipped run file with its commit replaced.
const shipped = referenceRun();
const git = (root: string, ...args: string[]) => promisify(execFile)('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: root });

let root: string;
beforeAll(async () => {
  ({ root } = await createFixtureProject());
  await mkdir(join(root, 'evals'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('summary --check', () => {
  test('a fresh project with a copied baseline and no history: lists what it left out, exit 1', async () => {
    await writeFile(join(root, 'evals', 'baseline.json'), JSON.stringify(shipped));
    const result = await runCliInProcess(['-C', root, 'summary', '--check']);
    expect(result.stdout).toMatch(/left out: when the eval set was written: git history does not date it/);
    expect(result.stdout).toMatch(/left out: no CI workflow runs the regression gate/);
    expect(result.stdout).toMatch(/left out: your "## Pitch" section: there is no docs\/PITCH.md/);
    expect(result.code).toBe(1);
  });

  test('a pitch file still holding its placeholders: both sections listed as left out, exit 1', async () => {
    await mkdir(join(root, 'docs'));
    await writeFile(join(root, PITCH_FILE), PITCH_TEMPLATE);
    const result = await runCliInProcess(['-C', root, 'summary', '--check']);
    expect(result.stdout).toMatch(/left out: your "## Pitch" section: docs\/PITCH.md still holds its placeholder/);
    expect(result.stdout).toMatch(/left out: your "## Next steps" section: docs\/PITCH.md still holds its placeholder/);
    expect(result.code).toBe(1);
  });

  test('once the eval set is committed before the first run, a workflow runs the gate and the pitch is written: nothing left out, exit 0', async () => {
    await writeFile(join(root, PITCH_FILE), PITCH_TEMPLATE.replace(PITCH_SECTIONS.pitch.placeholder, 'Town news, answered.').replace(PITCH_SECTIONS.nextSteps.placeholder, '- More questions.'));
    await git(root, 'init', '-q');
    await git(root, 'add', 'data/evalset.jsonl');
    await git(root, 'commit', '-q', '-m', 'eval set first');
    await mkdir(join(root, '.github', 'workflows'), { recursive: true });
    await writeFile(join(root, '.github', 'workflows', 'eval.yml'), 'jobs:\n  eval:\n    steps:\n      - run: npm test\n');
    await writeFile(join(root, 'evals', 'regression.test.ts'), '// the gate\n');
    await git(root, 'add', '.');
    await git(root, 'commit', '-q', '-m', 'gate');
    const head = (await git(root, 'rev-parse', 'HEAD')).stdout.trim();
    await writeFile(join(root, 'evals', 'baseline.json'), JSON.stringify({ ...shipped, gitCommit: head }));
    const result = await runCliInProcess(['-C', root, 'summary', '--check']);
    expect(result.stdout).toMatch(/, 0 left out/);
    expect(result.code, result.stdout).toBe(0);
  });

  test('an eval set that came in the commit `ragfolio new` made dates nothing: the sentence is left out', async () => {
    const { root: fresh } = await createFixtureProject();
    try {
      await mkdir(join(fresh, 'evals'));
      await git(fresh, 'init', '-q');
      await git(fresh, 'add', '.');
      await git(fresh, 'commit', '-q', '-m', NEW_PROJECT_COMMIT_MESSAGE);
      const head = (await git(fresh, 'rev-parse', 'HEAD')).stdout.trim();
      await writeFile(join(fresh, 'evals', 'baseline.json'), JSON.stringify({ ...shipped, gitCommit: head }));
      const result = await runCliInProcess(['-C', fresh, 'summary', '--check']);
      expect(result.stdout).toMatch(/left out: when the eval set was written: git history does not date it/);
      expect(result.code).toBe(1);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
