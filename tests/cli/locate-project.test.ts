import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { locateProject } from '../../scripts/cli/project.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-locate-'));
  await mkdir(join(dir, 'project', 'sub'), { recursive: true });
  await writeFile(join(dir, 'project', 'ragfolio.config.json'), '{}\n');
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'a-file'), '');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

test('finds the project from a folder inside it, with or without -C', () => {
  expect(locateProject(undefined, join(dir, 'project', 'sub'))).toBe(join(dir, 'project'));
  expect(locateProject('project/sub', dir)).toBe(join(dir, 'project'));
});

test('outside any project: names the folder and the file it looked for', () => {
  expect(() => locateProject(undefined, join(dir, 'empty'))).toThrow(`no ragfolio project at ${join(dir, 'empty')}: looked for ragfolio.config.json there and in every folder above it`);
});

test('-C at a missing folder or a file: names it', () => {
  expect(() => locateProject('nope', dir)).toThrow(`-C nope: ${join(dir, 'nope')} is not a folder`);
  expect(() => locateProject('a-file', dir)).toThrow(`-C a-file: ${join(dir, 'a-file')} is not a folder`);
});
