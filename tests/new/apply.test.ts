import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyScaffold, checkTarget } from '../../scripts/new/apply.ts';
import type { FileOp } from '../../scripts/new/plan.ts';
import { UserError } from '../../starter/errors.ts';

let dir: string;
let source: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-new-apply-'));
  source = join(dir, 'kit');
  await mkdir(join(source, 'starter'), { recursive: true });
  await writeFile(join(source, 'starter', 'a.ts'), 'export const a = 1;\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const ops: FileOp[] = [
  { op: 'copy', from: 'starter/a.ts', to: 'starter/a.ts' },
  { op: 'write', to: 'README.md', content: '# mine\n' },
  { op: 'write', to: 'deep/er/file.txt', content: 'x' },
];

async function listAll(root: string): Promise<string[]> {
  return (await readdir(root, { recursive: true })).map(String).sort();
}

describe('applyScaffold', () => {
  test('writes every op into a new folder (creating parents) and reports them', async () => {
    const target = join(dir, 'fresh', 'project');
    const result = await applyScaffold(ops, { targetDir: target, sourceRoot: source, force: false });
    expect(result).toEqual({ written: ['starter/a.ts', 'README.md', 'deep/er/file.txt'], kept: [] });
    expect(await readFile(join(target, 'starter', 'a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(await readFile(join(target, 'deep', 'er', 'file.txt'), 'utf8')).toBe('x');
  });

  test('refuses a non-empty folder without --force, writing nothing', async () => {
    const target = join(dir, 'busy');
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine');
    await expect(applyScaffold(ops, { targetDir: target, sourceRoot: source, force: false })).rejects.toThrow(UserError);
    await expect(checkTarget(target, false)).rejects.toThrow(/folder is not empty .* --force/);
    expect(await listAll(target)).toEqual(['notes.txt']);
  });

  test('refuses a target that is a file', async () => {
    await writeFile(join(dir, 'a-file'), '');
    await expect(checkTarget(join(dir, 'a-file'), true)).rejects.toThrow(/exists and is not a folder/);
  });

  test('with --force, an existing file is kept as it was and reported, never overwritten', async () => {
    const target = join(dir, 'forced');
    await mkdir(target);
    await writeFile(join(target, 'README.md'), 'my own readme');
    const result = await applyScaffold(ops, { targetDir: target, sourceRoot: source, force: true });
    expect(result.kept).toEqual(['README.md']);
    expect(result.written).toEqual(['starter/a.ts', 'deep/er/file.txt']);
    expect(await readFile(join(target, 'README.md'), 'utf8')).toBe('my own readme');
  });

  test('a failure midway removes what it wrote (files and the folders it created), and nothing else', async () => {
    const target = join(dir, 'rollback');
    await mkdir(join(target, 'starter'), { recursive: true });
    await writeFile(join(target, 'starter', 'keep.ts'), 'user file');
    const failing: FileOp[] = [...ops, { op: 'copy', from: 'does/not/exist.ts', to: 'zz/exist.ts' }];
    await expect(applyScaffold(failing, { targetDir: target, sourceRoot: source, force: true })).rejects.toThrow(/ENOENT/);
    expect(await listAll(target)).toEqual(['starter', 'starter/keep.ts']);
  });

  test('a failure in a folder it created removes that folder too', async () => {
    const target = join(dir, 'rollback-new');
    const failing: FileOp[] = [...ops, { op: 'copy', from: 'missing.ts', to: 'missing.ts' }];
    await expect(applyScaffold(failing, { targetDir: target, sourceRoot: source, force: false })).rejects.toThrow();
    expect(existsSync(target)).toBe(false);
  });

  test('with --force, a symbolic link in the target leading outside it is refused, and nothing is written there', async () => {
    const target = join(dir, 'linked');
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await mkdir(target);
    await symlink(outside, join(target, 'deep'));
    await expect(applyScaffold(ops, { targetDir: target, sourceRoot: source, force: true })).rejects.toThrow(/deep: leads outside the project folder \(to .*outside\) through a symbolic link/);
    expect(await readdir(outside)).toEqual([]);
    // Rolled back: only the user's link is left.
    expect(await readdir(target)).toEqual(['deep']);
  });

  test('a symbolic link that stays inside the target is followed', async () => {
    const target = join(dir, 'linked-inside');
    await mkdir(join(target, 'real'), { recursive: true });
    await symlink(join(target, 'real'), join(target, 'deep'));
    const result = await applyScaffold(ops, { targetDir: target, sourceRoot: source, force: true });
    expect(result.written).toContain('deep/er/file.txt');
    expect(await readFile(join(target, 'real', 'er', 'file.txt'), 'utf8')).toBe('x');
  });

  test('a target path escaping the project is a bug, refused before writing', async () => {
    const target = join(dir, 'escape');
    await expect(applyScaffold([{ op: 'write', to: '../evil.txt', content: '' }], { targetDir: target, sourceRoot: source, force: false })).rejects.toThrow(/escapes the project/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(dir, 'evil.txt'))).toBe(false);
  });
});
