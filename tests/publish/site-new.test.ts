import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compareRuns } from '../../evals/compare.ts';
import { ITERATIONS_FILE, type IterationLog } from '../../evals/report/iterations.ts';
import { NAMED_BASELINE_CONFIG } from '../../evals/report/named-baseline.ts';
import { PITCH_FILE, PITCH_SECTIONS, PITCH_TEMPLATE } from '../../evals/report/pitch.ts';
import { readRunFile } from '../../evals/run-file.ts';
import { escapeHtml } from '../../scripts/publish/site-html.ts';
import { loadProjectConfig } from '../../starter/config.ts';
import { REPO_ROOT, runCliInProcess } from '../helpers/cli.ts';
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

/** Every HTML page of the site, and the write-up: none may carry a placeholder. */
async function expectNoPlaceholder(project: string, site: string): Promise<void> {
  const pages = (await listFiles(site)).filter((f) => f.endsWith('.html'));
  expect(pages.length).toBeGreaterThan(3);
  for (const page of pages) expect(await readFile(join(site, page), 'utf8'), page).not.toMatch(/TODO|⟨|⟩|✎/);
  expect(await readFile(join(project, 'docs', 'PROJECT_SUMMARY.md'), 'utf8')).not.toMatch(/TODO|⟨|⟩|✎/);
}

test('a freshly generated project: summary, then publish: no placeholder on any page, the pitch left out and warned about until the author writes docs/PITCH.md, then theirs; npm run lint passes', async () => {
  const project = join(dir, 'written-up');
  const created = await runCliInProcess(['new', project, '--yes', '--no-install', '--no-git']);
  expect(created.code, created.stderr).toBe(0);
  const template = await readFile(join(project, PITCH_FILE), 'utf8');
  expect(template).toBe(PITCH_TEMPLATE);

  // Unwritten: the write-up and the site leave the pitch out; summary and publish say so.
  const summary = await runCliInProcess(['-C', project, 'summary']);
  expect(summary.code, summary.stderr).toBe(0);
  // No git history here, so nothing dates the eval set against a run of the project's own: left out, and said.
  expect(summary.stderr).toMatch(/left out \(no evidence yet\): when the eval set was written/);
  expect(summary.stderr).toMatch(/left out .*"## Pitch" section: docs\/PITCH.md still holds its placeholder/);
  const ran = await runCliInProcess(['-C', project, 'publish', '--no-demo', '--json']);
  expect(ran.code, ran.stderr).toBe(0);
  expect(ran.stderr).toMatch(/warning: the write-up leaves out .*when the eval set was written/);
  expect(ran.stderr).toMatch(/warning: the write-up leaves out .*"## Pitch" section: docs\/PITCH.md still holds its placeholder/);
  expect(ran.stderr).toMatch(/warning: the write-up leaves out .*"## Next steps" section: docs\/PITCH.md still holds its placeholder/);
  const site = JSON.parse(ran.stdout) as { out: string };
  await expectNoPlaceholder(project, site.out);
  expect(await readFile(join(site.out, 'index.html'), 'utf8')).not.toContain('class="pitch"');
  const written = await readFile(join(project, 'docs', 'PROJECT_SUMMARY.md'), 'utf8');
  expect(written).toContain('| started from the ragfolio template |');
  // No naive run in a new project: the write-up says which command makes one.
  expect(written).toContain('Run `npx ragfolio eval --split dev --config configs/naive.json --label naive`');

  // Written: the author's words in the write-up and on the overview, and no warning about them.
  const pitch = 'I answer questions about **State of the Union** addresses, citing the passage each answer quotes.';
  const next = '- Write harder comparison questions before touching retrieval.';
  await writeFile(join(project, PITCH_FILE), template.replace(PITCH_SECTIONS.pitch.placeholder, pitch).replace(PITCH_SECTIONS.nextSteps.placeholder, next));
  const again = await runCliInProcess(['-C', project, 'summary']);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).not.toContain(PITCH_FILE);
  const mine = await readFile(join(project, 'docs', 'PROJECT_SUMMARY.md'), 'utf8');
  expect(mine).toContain(`## Pitch\n\n${pitch}\n`);
  expect(mine).toContain(`## Next steps\n\n${next}\n`);
  const republished = await runCliInProcess(['-C', project, 'publish', '--no-demo', '--json']);
  expect(republished.code, republished.stderr).toBe(0);
  expect(republished.stderr).not.toContain(PITCH_FILE);
  await expectNoPlaceholder(project, site.out);
  expect(await readFile(join(site.out, 'index.html'), 'utf8')).toContain(
    '<div class="pitch"><p>I answer questions about <strong>State of the Union</strong> addresses, citing the passage each answer quotes.</p>',
  );
  expect(await readFile(join(site.out, 'summary.html'), 'utf8')).toContain('<li>Write harder comparison questions before touching retrieval.</li>');

  // The project's `npm run lint` (biome check .; the kit's biome is the version its lockfile pins) passes with
  // everything summary and publish wrote.
  const lint = await promisify(execFile)(join(REPO_ROOT, 'node_modules', '.bin', 'biome'), ['check', '.'], { cwd: project }).then(
    () => ({ code: 0, output: '' }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code, output: `${e.stdout}${e.stderr}` }),
  );
  expect(lint.code, lint.output).toBe(0);
  expect(JSON.parse(await readFile(join(project, 'package.json'), 'utf8')).scripts.lint).toBe('biome check .');
});

test('a fresh project with a run of the named baseline: the write-up and the site pair it with the shipped default, every number from docs/iterations.json and the two run files', {
  timeout: 600_000,
}, async () => {
  const project = join(dir, 'from-naive');
  const created = await runCliInProcess(['new', project, '--yes', '--no-install', '--no-git']);
  expect(created.code, created.stderr).toBe(0);
  // What the write-up of a new project tells the user to run.
  for (const args of [
    ['ingest', '--config', NAMED_BASELINE_CONFIG],
    ['eval', '--split', 'dev', '--config', NAMED_BASELINE_CONFIG, '--label', 'naive'],
  ]) {
    const ran = await runCliInProcess(['-C', project, ...args]);
    expect(ran.code, ran.stderr).toBe(0);
  }
  const summary = await runCliInProcess(['-C', project, 'summary']);
  expect(summary.code, summary.stderr).toBe(0);

  const [naiveFile] = (await listFiles(join(project, 'runs'))).filter((f) => f.endsWith('-naive.json'));
  const naive = await readRunFile(join(project, 'runs', naiveFile ?? ''));
  const baseline = await readRunFile(join(project, 'evals', 'baseline.json'));
  const { config } = await loadProjectConfig(project);
  const e = config.eval;
  const expected = compareRuns(naive, baseline, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });

  const log = JSON.parse(await readFile(join(project, ITERATIONS_FILE), 'utf8')) as IterationLog;
  expect(log.namedBaseline).toEqual({
    config: NAMED_BASELINE_CONFIG,
    naiveRun: `runs/${naiveFile}`,
    candidateRun: 'evals/baseline.json',
    candidateFromTemplate: true,
    split: 'dev',
    metrics: expected.metrics,
  });
  // The naive run is the story's starting point, not a step of the project's history.
  expect(log.steps.map((s) => s.run)).toEqual(['evals/baseline.json']);

  const written = await readFile(join(project, 'docs', 'PROJECT_SUMMARY.md'), 'utf8');
  const f = (x: number) => x.toFixed(3);
  const top = expected.metrics.filter((m) => e.gate.metrics.includes(m.metric) && m.verdict === 'improved').sort((a, b) => b.diff - a.diff)[0];
  expect(top, JSON.stringify(expected.metrics.map((m) => [m.metric, m.diff, m.verdict]))).toBeDefined();
  if (!top) return;
  expect(written).toContain(
    `**From the naive first version:** from \`${NAMED_BASELINE_CONFIG}\` to the project's configuration, ${top.metric} went from ${f(top.baseline)} to ${f(top.candidate)}, +${f(top.diff)} (95% CI [${f(top.ci95[0])}, ${f(top.ci95[1])}], paired on ${top.n} questions of the dev split). Both came with the ragfolio template: this is where the project started, not the author's change.`,
  );
  expect(written).toContain(`\`ragfolio compare runs/${naiveFile} evals/baseline.json\``);

  // The site's comparison is the same one.
  const site = await publish(project, '--no-demo');
  expect(site.sources.comparison).toEqual({ naive: `runs/${naiveFile}`, candidate: 'evals/baseline.json' });
  const results = await readFile(join(site.out, 'results.html'), 'utf8');
  const comparison = results.slice(results.indexOf('<table class="comparison">'));
  expect(rowCells(comparison, top.metric).slice(0, 4)).toEqual([top.metric, f(top.baseline), f(top.candidate), `+${f(top.diff)}`]);
});
