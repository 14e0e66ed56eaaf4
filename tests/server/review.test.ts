import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalItem } from '../../evals/evalset.ts';
import { loadEvalset } from '../../evals/evalset.ts';
import { labelSchema } from '../../evals/review/labels.ts';
import { createReviewSource } from '../../evals/review/source.ts';
import { projectPaths } from '../../starter/paths.ts';
import type { RunningServer } from '../../starter/server/start.ts';
import { referenceRun } from '../evals/reference-run.ts';
import { loadKit, postJson, serveApp } from './helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserAvailable = existsSync(CHROMIUM);

let server: RunningServer;
let bare: RunningServer;
let dir: string;
let labelsFile: string;

beforeAll(async () => {
  const { project, pipeline } = await loadKit();
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-review-page-'));
  labelsFile = join(dir, 'labels.jsonl');
  // A project on its own docs has no eval set until its owner writes one: its records are then reviewed without gold.
  const evalsetFile = projectPaths(project).evalset;
  const evalset = existsSync(evalsetFile) ? await loadEvalset(evalsetFile, new Set(pipeline.corpus.byId.keys())) : { items: [] };
  const items = new Map<string, EvalItem>(evalset.items.map((item) => [item.id, item]));
  // The shipped baseline, reviewed against a labels file in a temp folder (never the repository's).
  const review = createReviewSource(labelsFile, async () => ({ run: referenceRun(), runFile: '/runs/baseline.json', corpus: pipeline.corpus, items }));
  server = await serveApp(pipeline, project, { review });
  bare = await serveApp(pipeline, project);
});

afterAll(async () => {
  await server?.close();
  await bare?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('/review over HTTP', () => {
  it('serves the page (200, with the same CSP as /) and the run records in labelling order', async () => {
    const page = await fetch(new URL('/review', server.url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const data = (await (await fetch(new URL('/api/review', server.url))).json()) as { records: { id: string; reason: string }[] };
    expect(data.records).toHaveLength(referenceRun().records.length);
    const rank = { disagreement: 0, threshold: 1, random: 2, rest: 3 } as const;
    const ranks = data.records.map((r) => rank[r.reason as keyof typeof rank]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  });

  it('refuses a label that is not one of the four, naming the field', async () => {
    const response = await postJson(server.url, '/api/review/labels', { id: 'a-003', answerHash: 'f'.repeat(64), label: 'maybe' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^label: /);
  });

  it('without a review source, the API says how to start one', async () => {
    const response = await fetch(new URL('/api/review', bare.url));
    expect(response.status).toBe(404);
    expect(((await response.json()) as { hint: string }).hint).toContain('ragfolio review');
  });
});

describe.skipIf(!browserAvailable && !process.env.RAGFOLIO_BROWSER_REQUIRED)('/review in a real browser', () => {
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    profile = await mkdtemp(join(tmpdir(), 'ragfolio-chromium-'));
    await mkdir(join(import.meta.dirname, '__artifacts__'), { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    });
  });
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('labels three records by keyboard; after a reload they are marked and the file is valid', async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(new URL('/review', server.url).href);
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/0 of \d+ records labelled/);
    const first = (await page.locator('#position').textContent()) ?? '';

    await page.keyboard.press('1'); // right
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Saved .*: right\./);
    await page.locator('#category').fill('wrong sentence chosen');
    await page.locator('#note').fill('the second sentence answers another question');
    await page.locator('#note').press('Escape');
    await page.keyboard.press('2'); // wrong, with the category and note typed above
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/: wrong\./);
    await page.keyboard.press('j'); // skip one
    await page.keyboard.press('k'); // and come back
    await page.keyboard.press('j');
    await page.keyboard.press('3'); // should have abstained
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/: should_abstain\./);

    await page.screenshot({ path: join(import.meta.dirname, '__artifacts__', 'review.png'), fullPage: true });
    await page.reload();
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/3 of \d+ records labelled/);
    expect(await page.locator('#queue li', { hasText: '✓' }).count()).toBe(3);
    // The first record (where labelling started) shows its label again.
    await page.locator('#queue button').first().click();
    expect(await page.locator('#position').textContent()).toBe(first);
    expect(await page.locator('#current-label').textContent()).toMatch(/^Labelled right/);

    const lines = (await readFile(labelsFile, 'utf8')).trim().split('\n');
    const labels = lines.map((line) => labelSchema.parse(JSON.parse(line)));
    expect(labels.map((l) => l.label).sort()).toEqual(['right', 'should_abstain', 'wrong']);
    expect(labels.find((l) => l.label === 'wrong')).toMatchObject({ category: 'wrong sentence chosen', note: 'the second sentence answers another question' });
    expect(problems).toEqual([]);
  });
});
