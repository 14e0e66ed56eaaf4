import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareRuns } from '../../evals/compare.ts';
import { readRunFile } from '../../evals/run-file.ts';
import type { PublishResult } from '../../scripts/publish/site.ts';
import { createMarkdown } from '../../scripts/publish/site-html.ts';
import { loadProjectConfig } from '../../starter/config.ts';
import { REPO_ROOT, runCliInProcess, stderrLines } from '../helpers/cli.ts';
import { createTempProject } from '../helpers/temp-project.ts';
import { expectSelfContained, listFiles, publish, rowCells } from './site-helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-publish-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('ragfolio publish on this project (--no-demo)', () => {
  let out: string;
  let result: PublishResult;
  beforeAll(async () => {
    out = join(dir, 'kit-site');
    result = await publish(REPO_ROOT, '--no-demo', '--out', out);
  });

  test('builds the pages, the stylesheet, the charts and the marker; nothing else is left beside it', async () => {
    const files = await listFiles(out);
    for (const f of ['index.html', 'summary.html', 'results.html', 'data.html', 'sources.html', 'style.css', 'ragfolio-site.json']) expect(files).toContain(f);
    expect(result.files).toBe(files.length - 1);
    expect(result.demo).toBeNull();
    expect(await readdir(dir)).toEqual(['kit-site']);
  });

  test('every link is relative and resolves to a file of the site; no asset comes from elsewhere', async () => {
    await expectSelfContained(out);
  });

  test('the metrics table prints each aggregate of the run file it names', async () => {
    const reportFile = result.sources.report;
    expect(reportFile).not.toBeNull();
    const run = await readRunFile(join(REPO_ROOT, reportFile ?? ''));
    const html = await readFile(join(out, 'results.html'), 'utf8');
    expect(html).toContain(reportFile);
    for (const [metric, a] of Object.entries(run.aggregates)) {
      expect(rowCells(html, metric), metric).toEqual([metric, a.mean.toFixed(3), `[${a.ci95[0].toFixed(3)}, ${a.ci95[1].toFixed(3)}]`, String(a.n), a.mde === null ? '—' : `±${a.mde.toFixed(3)}`]);
    }
  });

  test('the first version → current comparison is compareRuns on the two run files it names, or a notice', async () => {
    const html = await readFile(join(out, 'results.html'), 'utf8');
    const pair = result.sources.comparison;
    if (!pair) {
      expect(html).toContain('No run of the named baseline (configs/naive.json)');
      return;
    }
    const project = await loadProjectConfig(REPO_ROOT);
    const e = project.config.eval;
    const expected = compareRuns(await readRunFile(join(REPO_ROOT, pair.naive)), await readRunFile(join(REPO_ROOT, pair.candidate)), {
      metrics: e.compare,
      gate: e.gate,
      alpha: e.alpha,
      resamples: e.resamples,
      seed: e.seed,
    });
    const table = html.slice(html.indexOf('<table class="comparison">'));
    for (const m of expected.metrics) {
      const cells = rowCells(table, m.metric);
      expect(cells.slice(0, 4), m.metric).toEqual([m.metric, m.baseline.toFixed(3), m.candidate.toFixed(3), `${m.diff >= 0 ? '+' : ''}${m.diff.toFixed(3)}`]);
      expect(cells.at(-1), m.metric).toBe(String(m.n));
    }
  });

  test('the datasheet and the licence files of the configured dataset are on the data page', async () => {
    const html = await readFile(join(out, 'data.html'), 'utf8');
    expect(result.sources.datasheet).toBe('datasets/sotu/DATASHEET.md');
    expect(result.sources.licences).toEqual(['datasets/sotu/LICENSE', 'datasets/sotu/NOTICE']);
    const notice = await readFile(join(REPO_ROOT, 'datasets/sotu/NOTICE'), 'utf8');
    expect(html).toContain(`<pre>${notice}</pre>`);
  });

  test('publishing again refuses, exit 2 naming them, when the site holds files publish did not write (a CNAME, notes)', async () => {
    await writeFile(join(out, 'CNAME'), 'rag.example.org\n');
    await mkdir(join(out, 'extra'));
    await writeFile(join(out, 'extra', 'notes.md'), 'mine');
    const before = await listFiles(out);
    const ran = await runCliInProcess(['-C', REPO_ROOT, 'publish', '--no-demo', '--out', out]);
    expect(ran.code).toBe(2);
    expect(stderrLines(ran)).toEqual([expect.stringMatching(/holds files `ragfolio publish` did not write \(CNAME, extra\/notes\.md\); .*nothing was written/)]);
    expect(await listFiles(out)).toEqual(before);
    expect(await readFile(join(out, 'CNAME'), 'utf8')).toBe('rag.example.org\n');
    await rm(join(out, 'CNAME'));
    await rm(join(out, 'extra'), { recursive: true });
  });

  test('publishing again replaces the previous site, files an older build wrote (listed in its marker) included', async () => {
    await writeFile(join(out, 'stale.html'), 'from an older build');
    const marker = JSON.parse(await readFile(join(out, 'ragfolio-site.json'), 'utf8')) as { files: { path: string; bytes: number }[] };
    marker.files.push({ path: 'stale.html', bytes: 19 });
    await writeFile(join(out, 'ragfolio-site.json'), JSON.stringify(marker));
    const again = await publish(REPO_ROOT, '--no-demo', '--out', out);
    expect(again.files).toBe(result.files);
    expect(existsSync(join(out, 'stale.html'))).toBe(false);
    expect(await readdir(dir)).toEqual(['kit-site']);
  });
});

test('Markdown on the site: a relative link or image whose target the site lacks becomes text', () => {
  const html = createMarkdown(new Set(['data.html'])).render('[in](data.html#licence) [gone](../evalset.jsonl) ![chart](img/x.png) [web](https://example.org/)');
  expect(html).toContain('<a href="data.html#licence">in</a>');
  expect(html).toContain('<span>gone</span>');
  expect(html).not.toContain('evalset.jsonl');
  expect(html).not.toContain('<img');
  expect(html).toContain('<a href="https://example.org/" rel="noopener">web</a>');
});

describe('ragfolio publish never writes into a folder that is not a site it built', () => {
  test('a non-empty folder without the marker: exit 2, one line naming it, nothing touched', async () => {
    const mine = join(dir, 'mine');
    await mkdir(mine);
    await writeFile(join(mine, 'notes.md'), 'keep me');
    const ran = await runCliInProcess(['-C', REPO_ROOT, 'publish', '--no-demo', '--out', mine]);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(stderrLines(ran)).toEqual([expect.stringMatching(new RegExp(`^ragfolio: ${mine.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: folder is not empty and holds no ragfolio-site\\.json`))]);
    expect(await readdir(mine)).toEqual(['notes.md']);
    expect(await readFile(join(mine, 'notes.md'), 'utf8')).toBe('keep me');
  });

  test('a file: exit 2', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    const ran = await runCliInProcess(['-C', REPO_ROOT, 'publish', '--no-demo', '--out', file]);
    expect(ran.code).toBe(2);
    expect(stderrLines(ran)).toEqual([expect.stringContaining(`${file}: is a file, not a folder`)]);
  });
});

describe('ragfolio publish on another project (--no-demo)', () => {
  test('a project with no eval set yet: a site that says what to do first', async () => {
    const { root } = await createTempProject();
    const site = await publish(root, '--no-demo', '--out', join(dir, 'tiny-site'));
    await expectSelfContained(site.out);
    expect(site.sources.report).toBeNull();
    expect(await readFile(join(site.out, 'summary.html'), 'utf8')).toContain('No eval set yet');
    expect(await readFile(join(site.out, 'data.html'), 'utf8')).toContain('No datasheet');
    await rm(root, { recursive: true, force: true });
  });
});

describe('ragfolio publish with the in-browser demo', { timeout: 600_000 }, () => {
  test('on this project: the demo page is linked from every page and the whole site is self-contained', async () => {
    const site = await publish(REPO_ROOT, '--out', join(dir, 'full-site'));
    expect(site.demo).not.toBeNull();
    const entry = site.demo?.entry ?? '';
    expect(existsSync(join(site.out, entry))).toBe(true);
    for (const page of site.pages) expect(await readFile(join(site.out, page), 'utf8'), page).toContain(`href="${entry}"`);
    await expectSelfContained(site.out);
  });
});
