import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../starter/server/start.ts';
import { loadKit, serveApp } from './helpers.ts';

// Debian's Chromium (`apt-get install chromium`). .ci/run installs it and sets RAGFOLIO_BROWSER_REQUIRED,
// so there a missing browser fails; elsewhere (a laptop without it) the suite skips.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const ARTIFACTS = join(import.meta.dirname, '__artifacts__');
const QUESTION = 'What did the 1991 address say about Kuwait?';

describe.skipIf(!available && !process.env.RAGFOLIO_BROWSER_REQUIRED)('the page in a real browser', () => {
  let server: RunningServer;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    const { project, pipeline } = await loadKit();
    server = await serveApp(pipeline, project);
    profile = await mkdtemp(join(tmpdir(), 'ragfolio-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
      viewport: { width: 1280, height: 900 },
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  /** A fresh tab on the page, collecting uncaught errors and console errors. */
  const open = async (): Promise<{ page: Page; problems: string[] }> => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(server.url);
    // The eval panel and health line load on their own; wait for both so screenshots are complete.
    await page.locator('#eval table').waitFor();
    await expect.poll(() => page.locator('#health').textContent()).toMatch(/passages/);
    return { page, problems };
  };

  it('asks, shows an answer with a citation, and opens the cited passage on click', async () => {
    const { page, problems } = await open();
    expect(await page.locator('#eval').textContent()).toMatch(/hit@5[\s\S]*0\.800[\s\S]*0\.680–0\.900/);

    await page.getByRole('textbox', { name: 'Question' }).fill(QUESTION);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const cite = page.locator('#answer button.cite').first();
    await cite.waitFor();
    expect(await page.locator('#answer').textContent()).toMatch(/Kuwait/);
    expect(await page.locator('#retrieved tr').count()).toBe(5);
    // The cited passage is quoted under the answer, with the sentence the answer took from it marked.
    expect(await page.locator('#citations li blockquote mark').first().textContent()).toMatch(/Kuwait/);
    await page.screenshot({ path: join(ARTIFACTS, 'answer.png'), fullPage: true });

    const id = await cite.getAttribute('data-passage');
    await cite.click();
    const dialog = page.locator('dialog#passage');
    await dialog.waitFor({ state: 'visible' });
    expect(await page.locator('#passage-meta').textContent()).toContain(`Passage ${id}`);
    expect(await page.locator('#passage-text').textContent()).toMatch(/Kuwait/);
    await page.screenshot({ path: join(ARTIFACTS, 'passage.png') });
    await page.getByRole('button', { name: 'Close the passage' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // A retrieved passage opens through GET /api/passages/:id.
    await page.locator('#retrieved button.link').last().click();
    await dialog.waitFor({ state: 'visible' });
    expect((await page.locator('#passage-text').textContent())?.length).toBeGreaterThan(20);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('works with the keyboard alone: Tab to the question, Enter to ask, Enter on a citation, Escape to close', async () => {
    const { page } = await open();
    const focused = () => page.evaluate(() => ({ id: document.activeElement?.id ?? '', cls: document.activeElement?.className ?? '' }));
    for (let i = 0; i < 5 && (await focused()).id !== 'question'; i++) await page.keyboard.press('Tab');
    expect((await focused()).id).toBe('question');
    await page.keyboard.type(QUESTION);
    await page.keyboard.press('Enter');
    await page.locator('#answer button.cite').first().waitFor();

    for (let i = 0; i < 10 && (await focused()).cls !== 'cite'; i++) await page.keyboard.press('Tab');
    expect((await focused()).cls).toBe('cite');
    await page.keyboard.press('Enter');
    await page.locator('dialog#passage').waitFor({ state: 'visible' });
    expect(await page.locator('#passage-text').textContent()).toMatch(/Kuwait/);
    await page.keyboard.press('Escape');
    await page.locator('dialog#passage').waitFor({ state: 'hidden' });
    // Focus goes back to the citation that opened the passage.
    expect((await focused()).cls).toBe('cite');
    await page.close();
  });

  it('shows a readable error for an empty question and keeps the page usable', async () => {
    const { page } = await open();
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    expect(await page.locator('#status').textContent()).toMatch(/Type a question/);
    expect(await page.locator('#result').isHidden()).toBe(true);
    await page.close();
  });
});
