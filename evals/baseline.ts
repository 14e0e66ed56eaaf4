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
 * Resolve a run reference: "baseline", "latest" (the newest run file, always), or a path. When `like` is
 * given, a latest run scored on another eval set or split is an error: an older run never stands in for it.
 */
export async function resolveRun(project: ProjectConfig, ref: string, like?: RunFile): Promise<RunFile> {
  if (ref === 'baseline') return readBaseline(project);
  if (ref !== 'latest') return readRunFile(ref);
  const newest = (await listRunFiles(projectPaths(project).runs)).at(-1);
  if (!newest) throw new UserError(`${projectPaths(project).runs}: no runs yet. Run \`ragfolio eval\` first.`);
  const run = await readRunFile(newest);
  if (like && (run.split !== like.split || run.evalsetHash !== like.evalsetHash)) {
    const fix =
      run.split !== like.split
        ? `split "${run.split}", the baseline "${like.split}", so they cannot be compared. Run \`ragfolio eval --split ${like.split}\` for a comparable run`
        : 'another version of the eval set than the baseline, so they cannot be compared. If the eval set changed on purpose, save a new baseline (`ragfolio eval --save-baseline`); otherwise restore the eval set the baseline was scored on';
    throw new UserError(`${newest}: the latest run was scored on ${fix}.`);
  }
  return run;
}
