import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readRunFile } from '../../evals/run-file.ts';
import { runCli } from '../helpers/cli.ts';
import { expectSelfContained, publish, rowCells } from './site-helpers.ts';

// Kit-only (scripts/new/manifest.ts): it runs `ragfolio new`, which projects do not have.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-publish-new-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

test('a freshly generated project: the site reports its shipped baseline and says what is not run yet', async () => {
  const project = join(dir, 'fresh');
  const created = await runCli(['new', project, '--yes', '--no-install', '--no-git']);
  expect(created.code, created.stderr).toBe(0);
  const site = await publish(project, '--no-demo');
  expect(site.out).toBe(join(project, 'site'));
  await expectSelfContained(site.out);
  // A new project has no runs/ yet: the baseline it ships is what there is to report.
  expect(site.sources.report).toBe('evals/baseline.json');
  const baseline = await readRunFile(join(project, 'evals', 'baseline.json'));
  const html = await readFile(join(site.out, 'results.html'), 'utf8');
  expect(rowCells(html, 'hit@5').slice(0, 2)).toEqual(['hit@5', baseline.aggregates['hit@5']?.mean.toFixed(3)]);
  expect(html).toContain(`No run of the named baseline (configs/naive.json) on the ${baseline.split} split`);
});
