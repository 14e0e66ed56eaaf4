import { existsSync } from 'node:fs';
import type { ProjectConfig } from '../starter/config.ts';
import { UserError } from '../starter/errors.ts';
import { writeJsonAtomic } from '../starter/fs-atomic.ts';
import { projectPaths } from '../starter/paths.ts';
import { listRunFiles, type RunFile, readRunFile } from './run-file.ts';

/** Make a run the reference that `compare` and the regression gate measure against. */
export async function promoteBaseline(project: ProjectConfig, run: RunFile): Promise<string> {
  const file = projectPaths(project).baseline;
  await writeJsonAtomic(file, run);
  return file;
}

export async function readBaseline(project: ProjectConfig): Promise<RunFile> {
  const file = projectPaths(project).baseline;
  if (!existsSync(file)) throw new UserError(`${file}: no baseline yet. Run \`ragfolio eval --save-baseline\` (or \`ragfolio baseline promote <run>\`).`);
  return readRunFile(file);
}

/**
 * Resolve a run reference: "baseline", "latest", or a path. "latest" prefers the newest run comparable
 * with `like` (same split and eval set), so a stray run on another split does not shadow it.
 */
export async function resolveRun(project: ProjectConfig, ref: string, like?: RunFile): Promise<RunFile> {
  if (ref === 'baseline') return readBaseline(project);
  if (ref !== 'latest') return readRunFile(ref);
  const files = (await listRunFiles(projectPaths(project).runs)).reverse();
  if (files.length === 0) throw new UserError(`${projectPaths(project).runs}: no runs yet. Run \`ragfolio eval\` first.`);
  const runs: RunFile[] = [];
  for (const f of files) {
    const run = await readRunFile(f);
    if (!like || (run.split === like.split && run.evalsetHash === like.evalsetHash)) return run;
    runs.push(run);
  }
  const newest = runs[0];
  if (!newest) throw new UserError(`${projectPaths(project).runs}: no runs yet. Run \`ragfolio eval\` first.`);
  return newest;
}
