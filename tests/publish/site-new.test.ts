import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readRunFile } from '../../evals/run-file.ts';
import { escapeHtml } from '../../scripts/publish/site-html.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { expectSelfContained, listFiles, publish, rowCells } from './site-helpers.ts';

// Kit-only (scripts/new/manifest.ts): it runs `ragfolio new`, which projects do not have.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-publish-new-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

test('a freshly generated project: the site reports its shipped baseline and says what is not run yet', async () => {
  const project = join(dir, 'fresh');
  const created = await runCliInProcess(['new', project, '--yes', '--no-install', '--no-git']);
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

  // The overview shows what the system does before any number: example questions with their cited answers
  // from the reported run, and a plain meaning under each headline metric.
  const home = await readFile(join(site.out, 'index.html'), 'utf8');
  const examples = [...home.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<br>/g)].map((m) => [m[1], m[2]]);
  expect(examples.length).toBeGreaterThanOrEqual(2);
  for (const [question, answer] of examples) {
    const record = baseline.records.find((r) => escapeHtml(r.question) === question);
    expect(record, question).toBeDefined();
    expect(escapeHtml(record?.answer ?? '')).toBe(answer);
    expect(record?.abstained).toBe(false);
  }
  expect(home).toContain(`<h3>hit@5</h3><p>${baseline.aggregates['hit@5']?.mean.toFixed(3)}`);
  expect(home).toContain('Share of questions with at least one gold passage in the top 5 retrieved.');
});

test('a freshly generated project: summary, then publish: no placeholder on any page; publish warns what the write-up left out', async () => {
  const project = join(dir, 'written-up');
  const created = await runCliInProcess(['new', project, '--yes', '--no-install', '--no-git']);
  expect(created.code, created.stderr).toBe(0);
  const summary = await runCliInProcess(['-C', project, 'summary']);
  expect(summary.code, summary.stderr).toBe(0);
  // No git history here, so nothing dates the eval set against a run of the project's own: left out, and said.
  expect(summary.stderr).toMatch(/left out \(no evidence yet\): when the eval set was written/);
  const ran = await runCliInProcess(['-C', project, 'publish', '--no-demo', '--json']);
  expect(ran.code, ran.stderr).toBe(0);
  expect(ran.stderr).toMatch(/warning: the write-up leaves out .*when the eval set was written/);
  const site = JSON.parse(ran.stdout) as { out: string };
  const pages = (await listFiles(site.out)).filter((f) => f.endsWith('.html'));
  expect(pages.length).toBeGreaterThan(3);
  for (const page of pages) expect(await readFile(join(site.out, page), 'utf8'), page).not.toMatch(/TODO|⟨|⟩/);
  const written = await readFile(join(project, 'docs', 'PROJECT_SUMMARY.md'), 'utf8');
  expect(written).not.toMatch(/TODO|⟨|⟩/);
  expect(written).toContain('| started from the ragfolio template |');
});
