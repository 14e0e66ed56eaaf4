// Gathers what the write-up's prose may claim: the eval set's first commit against the first run's commit,
// and a CI workflow that runs the gate. Read-only git and file access; no answer means no evidence.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ProjectConfig } from '../../starter/config.ts';
import { projectPaths } from '../../starter/paths.ts';
import { commitSubject, commitsTouching, inOwnHistory, isAncestor, NEW_PROJECT_COMMIT_MESSAGE } from '../git-history.ts';
import { listRunFiles, type RunFile, readRunFile } from '../run-file.ts';
import type { ProjectEvidence } from './facts.ts';

/**
 * The run that started first (runs/ and the baseline) among those made in this project's own history: a
 * baseline shipped by the template records a commit of another repository, which dates nothing here.
 */
async function firstRun(project: ProjectConfig): Promise<{ file: string; commit: string } | undefined> {
  const paths = projectPaths(project);
  const files = [...(await listRunFiles(paths.runs)), ...(existsSync(paths.baseline) ? [paths.baseline] : [])];
  let first: { file: string; run: RunFile } | undefined;
  for (const file of files) {
    const r = await readRunFile(file).catch(() => undefined);
    if (r?.gitCommit && (!first || r.startedAt < first.run.startedAt) && (await inOwnHistory(project.root, r.gitCommit))) first = { file, run: r };
  }
  return first?.run.gitCommit ? { file: relative(project.root, first.file), commit: first.run.gitCommit } : undefined;
}

/** A workflow under .github/workflows whose steps run the gate: `npm test` with the regression test, `test:evals`, or `compare`. */
export async function gateWorkflow(root: string): Promise<{ file: string } | undefined> {
  const dir = join(root, '.github', 'workflows');
  if (!existsSync(dir)) return undefined;
  const hasGateTest = existsSync(join(root, 'evals', 'regression.test.ts'));
  for (const name of (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    const text = await readFile(join(dir, name), 'utf8');
    const runs = /^\s*(-\s*)?run:.*\b(npm (run )?test:evals|ragfolio compare)\b/m.test(text) || (hasGateTest && /^\s*(-\s*)?run:\s*npm (run )?test\s*$/m.test(text));
    if (runs) return { file: relative(root, join(dir, name)) };
  }
  return undefined;
}

export async function collectEvidence(project: ProjectConfig): Promise<ProjectEvidence> {
  const paths = projectPaths(project);
  const [added, first, workflow] = await Promise.all([commitsTouching(project.root, paths.evalset, 'A'), firstRun(project), gateWorkflow(project.root)]);
  // The oldest commit that added the eval set file, unless `ragfolio new` did: then the questions came with the
  // template, and nothing in this history dates them against the author's own tuning.
  const oldest = added.at(-1);
  const evalsetCommit = oldest && (await commitSubject(project.root, oldest.commit)) !== NEW_PROJECT_COMMIT_MESSAGE ? oldest : undefined;
  const before = evalsetCommit && first ? await isAncestor(project.root, evalsetCommit.commit, first.commit) : undefined;
  return {
    ...(evalsetCommit ? { evalsetCommit } : {}),
    ...(first ? { firstRun: first } : {}),
    ...(before !== undefined ? { evalsetBeforeFirstRun: before } : {}),
    ...(workflow && existsSync(paths.baseline) ? { gateWorkflow: workflow } : {}),
  };
}
