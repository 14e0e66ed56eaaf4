import { constants } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, realpath, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { UserError } from '../../starter/errors.ts';
import type { FileOp } from './plan.ts';

export interface ApplyResult {
  /** Project-relative paths written. */
  written: string[];
  /** Project-relative paths that already existed and were left as they were (only with --force). */
  kept: string[];
}

/**
 * Refuse a target that is a file, or a non-empty folder without --force. Called before any work, and again
 * by applyScaffold, so a refusal never leaves anything behind.
 */
export async function checkTarget(targetDir: string, force: boolean): Promise<void> {
  const info = await lstat(targetDir).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new UserError(`${targetDir}: exists and is not a folder. Choose another project folder.`);
  const entries = await readdir(targetDir);
  if (entries.length > 0 && !force) {
    throw new UserError(
      `${targetDir}: folder is not empty (${entries.length} entries). Choose an empty or new folder, or pass --force to add the project around your files (none is overwritten or deleted).`,
    );
  }
}

/**
 * Write the plan under targetDir. Never overwrites: a file already there is kept and reported. Every file and
 * folder it creates is tracked; if anything fails midway they are removed again (folders only when empty),
 * so a failure leaves the target as it was.
 */
export async function applyScaffold(ops: readonly FileOp[], options: { targetDir: string; sourceRoot: string; force: boolean }): Promise<ApplyResult> {
  const { targetDir, sourceRoot, force } = options;
  for (const op of ops) {
    const to = normalize(op.to);
    if (isAbsolute(to) || to === '..' || to.startsWith(`..${sep}`)) throw new Error(`applyScaffold: target path escapes the project: ${op.to}`);
  }
  await checkTarget(targetDir, force);
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  const result: ApplyResult = { written: [], kept: [] };

  const ensureDir = async (dir: string): Promise<void> => {
    if (await lstat(dir).catch(() => undefined)) return;
    await ensureDir(dirname(dir));
    try {
      await mkdir(dir);
      createdDirs.push(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  };

  // Each folder inside the target is checked by realpath before anything is created in it: a symbolic link
  // already in the target (with --force) could otherwise redirect writes anywhere on the disk.
  const checked = new Set<string>();
  let realTarget = '';
  const ensureProjectDir = async (relDir: string): Promise<void> => {
    let dir = targetDir;
    for (const part of relDir.split(sep).filter((p) => p !== '' && p !== '.')) {
      dir = join(dir, part);
      if (checked.has(dir)) continue;
      await ensureDir(dir);
      const real = await realpath(dir);
      if (real !== realTarget && !real.startsWith(`${realTarget}${sep}`)) {
        throw new UserError(`${dir}: leads outside the project folder (to ${real}) through a symbolic link; nothing was written there. Remove the link, or choose another folder.`);
      }
      checked.add(dir);
    }
  };

  try {
    await ensureDir(targetDir);
    realTarget = await realpath(targetDir);
    for (const op of ops) {
      const dest = join(targetDir, op.to);
      if (await lstat(dest).catch(() => undefined)) {
        result.kept.push(op.to);
        continue;
      }
      await ensureProjectDir(dirname(normalize(op.to)));
      try {
        // Exclusive create: a file that appeared since the check above is still never overwritten.
        if (op.op === 'copy') await copyFile(join(sourceRoot, op.from), dest, constants.COPYFILE_EXCL);
        else await writeFile(dest, op.content, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          result.kept.push(op.to);
          continue;
        }
        createdFiles.push(dest); // it may exist half-written
        throw error;
      }
      createdFiles.push(dest);
      result.written.push(op.to);
    }
  } catch (error) {
    await rollback(createdFiles, createdDirs);
    const code = (error as NodeJS.ErrnoException).code;
    const path = (error as NodeJS.ErrnoException).path;
    // The file system refusing is the user's to fix (permissions, a full disk, a file where a folder goes).
    if (code && path && ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'ENOTDIR', 'EISDIR'].includes(code)) {
      throw new UserError(`${path}: cannot write (${code}); nothing was left behind. Choose a folder you can write to.`, { cause: error });
    }
    throw error;
  }
  return result;
}

async function rollback(files: readonly string[], dirs: readonly string[]): Promise<void> {
  for (const file of [...files].reverse()) await rm(file, { force: true }).catch(() => {});
  // Deepest first; rmdir fails on a folder that is not empty, so a file someone else put there survives.
  for (const dir of [...dirs].reverse()) await rmdir(dir).catch(() => {});
}
