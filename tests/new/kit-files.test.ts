import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { shellQuote } from '../../scripts/commands/new.ts';
import { collectKitFiles, gitTrackedFiles } from '../../scripts/new/kit.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-kit-files-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A kit-shaped folder: tracked files, plus untracked clutter and secrets that must never reach a project. */
async function makeKit(root: string, git: boolean): Promise<void> {
  await mkdir(join(root, 'starter'), { recursive: true });
  await mkdir(join(root, 'tests', 'server', '__artifacts__'), { recursive: true });
  await writeFile(join(root, 'package.json'), '{"name":"kit"}\n');
  await writeFile(join(root, 'starter', 'app.ts'), 'export {};\n');
  await writeFile(join(root, '.env.example'), 'OPENAI_API_KEY=\n');
  if (git) {
    const run = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
    run('init', '--quiet');
    run('add', '--all');
    run('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'kit');
  }
  for (const stray of ['.env', '.env.local', '.npmrc', 'notes.txt', 'tests/server/__artifacts__/shot.png', 'starter/.env.production']) await writeFile(join(root, stray), 'secret');
}

describe('the files `new` copies from the kit', () => {
  test('in a git checkout: only tracked files, never an .env* file', async () => {
    const root = join(dir, 'git-kit');
    await makeKit(root, true);
    expect(gitTrackedFiles(root)).toEqual(['.env.example', 'package.json', 'starter/app.ts']);
    expect((await collectKitFiles(root)).files).toEqual(['package.json', 'starter/app.ts']);
    // The kit's own tests look at the working tree as it will be committed: untracked files too, secrets never.
    expect((await collectKitFiles(root, { withUntracked: true })).files).toEqual(['notes.txt', 'package.json', 'starter/app.ts', 'tests/server/__artifacts__/shot.png']);
  });

  test('outside git (the kit installed from npm): every file but secrets and npm settings', async () => {
    const root = join(dir, 'plain-kit');
    await makeKit(root, false);
    expect(gitTrackedFiles(root)).toBeUndefined();
    expect((await collectKitFiles(root)).files).toEqual(['notes.txt', 'package.json', 'starter/app.ts', 'tests/server/__artifacts__/shot.png']);
  });

  test('a kit folder inside another git repository is not taken for a checkout of the kit', async () => {
    const outer = join(dir, 'outer');
    await makeKit(outer, true);
    const inner = join(outer, 'node_modules', 'ragfolio');
    await mkdir(inner, { recursive: true });
    await writeFile(join(inner, 'package.json'), '{}\n');
    expect(gitTrackedFiles(inner)).toBeUndefined();
  });
});

describe('the printed cd step', () => {
  test.each([
    ['my-rag', 'my-rag'],
    ['../projects/my-rag', '../projects/my-rag'],
    ['My Project', "'My Project'"],
    ['wow!', "'wow!'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['-dash', './-dash'],
  ])('%s → %s', (path, quoted) => {
    expect(shellQuote(path)).toBe(quoted);
  });

  test('the quoted word is the same path to a real shell', () => {
    for (const path of ['My Project', 'wow!', "it's", '$HOME `x`', 'a\\b']) {
      expect(execFileSync('bash', ['-c', `printf %s ${shellQuote(path)}`], { encoding: 'utf8' })).toBe(path);
    }
  });
});
