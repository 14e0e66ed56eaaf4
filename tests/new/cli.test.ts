import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliResult, runCliInProcess } from '../helpers/cli.ts';

const kit = resolve(import.meta.dirname, '../..');

/**
 * The create-ragfolio bin as a process from the kit root (CI=true: never prompts), for the exit code as the shell
 * sees it; resolves with the exit code instead of throwing.
 */
async function createRagfolio(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(kit, 'bin', 'create-ragfolio.js'), ...args], { cwd: kit, env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
/** `ragfolio new` in this process (runCliInProcess sets CI, so it never prompts): what it prints, writes and exits with. */
const ragfolioNew = (...args: string[]) => runCliInProcess(['new', ...args]);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-new-cli-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** A user error: exit 2, one line on stderr starting "ragfolio: ", nothing on stdout. */
function expectUserError(ran: CliResult, message: RegExp): void {
  expect(ran.code, ran.stderr).toBe(2);
  expect(ran.stdout).toBe('');
  expect(ran.stderr).toMatch(/^ragfolio: [^\n]+\n$/);
  expect(ran.stderr).toMatch(message);
}

describe.concurrent('ragfolio new: bad input is a one-line error, exit 2, and nothing is left behind', () => {
  test('a non-empty target folder without --force', async () => {
    const target = join(dir, 'busy');
    await mkdir(target);
    await writeFile(join(target, 'mine.txt'), 'keep me');
    expectUserError(await ragfolioNew(target, '--yes', '--no-install', '--no-git'), /busy: folder is not empty .*--force/);
    expect(await readdir(target)).toEqual(['mine.txt']);
    expect(await readFile(join(target, 'mine.txt'), 'utf8')).toBe('keep me');
  });

  test('a folder name that is not a valid npm package name, and an invalid --name', async () => {
    expectUserError(await ragfolioNew(join(dir, 'My Project'), '--yes'), /the folder name "My Project" is not a valid npm package name: name must be lowercase.*--name my-project/);
    expect(existsSync(join(dir, 'My Project'))).toBe(false);
    expectUserError(await ragfolioNew(join(dir, 'ok'), '--name', '_hidden', '--yes'), /--name "_hidden" is not a valid npm package name/);
    expect(existsSync(join(dir, 'ok'))).toBe(false);
  });

  test('a dataset folder that does not exist', async () => {
    const target = join(dir, 'no-data');
    expectUserError(await ragfolioNew(target, '--yes', '--dataset', join(dir, 'nope')), /nope: dataset not found/);
    expect(existsSync(target)).toBe(false);
  });

  test('an empty corpus', async () => {
    await mkdir(join(dir, 'empty-data'));
    await writeFile(join(dir, 'empty-data', 'corpus.jsonl'), '\n');
    const target = join(dir, 'empty');
    expectUserError(await ragfolioNew(target, '--yes', '--dataset', join(dir, 'empty-data')), /corpus\.jsonl: the corpus has no passages/);
    expect(existsSync(target)).toBe(false);
  });

  test('BEIR qrels naming an unknown corpus id: file:line', async () => {
    const beir = join(dir, 'beir-bad');
    await mkdir(join(beir, 'qrels'), { recursive: true });
    await writeFile(join(beir, 'corpus.jsonl'), '{"_id": "d1", "title": "A", "text": "Alpha."}\n');
    await writeFile(join(beir, 'queries.jsonl'), '{"_id": "q1", "text": "alpha?"}\n');
    await writeFile(join(beir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td9\t1\n');
    const target = join(dir, 'beir-project');
    expectUserError(await ragfolioNew(target, '--yes', '--dataset', beir), /qrels\/test\.tsv:3: corpus id "d9" is not in .*corpus\.jsonl/);
    expect(existsSync(target)).toBe(false);
  });

  test('an unknown provider, and no folder at all without a terminal', async () => {
    expectUserError(await ragfolioNew(join(dir, 'p'), '--yes', '--provider', 'claude'), /--provider must be one of local, openai/);
    expectUserError(await ragfolioNew('--yes'), /missing the project folder/);
    expect(existsSync(join(dir, 'p'))).toBe(false);
  });
});

describe.concurrent('ragfolio new: success', () => {
  test('--dry-run prints the sorted plan and writes nothing', async () => {
    const target = join(dir, 'dry');
    const ran = await ragfolioNew(target, '--yes', '--dry-run', '--no-promptfoo');
    expect(ran.code, ran.stderr).toBe(0);
    const files = ran.stdout.trim().split('\n');
    expect(files).toEqual([...files].sort());
    expect(files).toContain('package.json');
    expect(files).not.toContain('promptfooconfig.yaml');
    expect(ran.stderr).toContain('nothing was written');
    expect(existsSync(target)).toBe(false);
  });

  test('--yes --no-install --no-git writes a project; stdout is its path', async () => {
    const target = join(dir, 'made');
    const ran = await ragfolioNew(target, '--yes', '--no-install', '--no-git', '--author', 'Ada Lovelace');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe(`${target}\n`);
    expect(JSON.parse(await readFile(join(target, 'package.json'), 'utf8'))).toMatchObject({ name: 'made', author: 'Ada Lovelace' });
    expect(await readFile(join(target, 'README.md'), 'utf8')).toContain("Ada Lovelace's retrieval-augmented");
    expect(existsSync(join(target, '.gitignore'))).toBe(true);
    expect(existsSync(join(target, '.git'))).toBe(false);
    expect(existsSync(join(target, 'node_modules'))).toBe(false);
  });

  test('the create-ragfolio bin runs `new`', async () => {
    const target = join(dir, 'created');
    const ran = await createRagfolio(target, '--yes', '--no-install', '--no-git', '--no-promptfoo');
    expect(ran.code, ran.stderr).toBe(0);
    expect(existsSync(join(target, 'starter', 'pipeline.ts'))).toBe(true);
    expect(existsSync(join(target, 'promptfooconfig.yaml'))).toBe(false);
    expectUserError(await createRagfolio(join(dir, 'Bad Name'), '--yes'), /not a valid npm package name/);
  });

  test('--force adds the project around existing files and keeps them', async () => {
    const target = join(dir, 'forced');
    await mkdir(target);
    await writeFile(join(target, 'README.md'), 'my notes');
    const ran = await ragfolioNew(target, '--yes', '--no-install', '--no-git', '--force');
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('kept your README.md');
    expect(await readFile(join(target, 'README.md'), 'utf8')).toBe('my notes');
    expect(existsSync(join(target, 'package.json'))).toBe(true);
  });
});
