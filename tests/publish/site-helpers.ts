// What the publish tests share: running the command, and checking a built site the way a static host serves it.
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { expect } from 'vitest';
import type { PublishResult } from '../../scripts/publish/site.ts';
import { runCliInProcess } from '../helpers/cli.ts';

/** `ragfolio -C <project> publish --json …`, expected to succeed. */
export async function publish(project: string, ...args: string[]): Promise<PublishResult> {
  const ran = await runCliInProcess(['-C', project, 'publish', '--json', ...args]);
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout) as PublishResult;
}

export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      posix.normalize(
        join(e.parentPath, e.name)
          .slice(root.length + 1)
          .split('\\')
          .join('/'),
      ),
    );
}

/**
 * What a static host under a sub-path needs: every reference in the site's HTML is relative and names a file
 * of the site or inline data; only <a> links may leave it (to a web page, never to an asset), and the CSS fetches nothing.
 */
export async function expectSelfContained(site: string): Promise<void> {
  const files = new Set(await listFiles(site));
  for (const file of [...files].filter((f) => f.endsWith('.html'))) {
    const html = await readFile(join(site, file), 'utf8');
    for (const [, tag = '', attr = '', url = ''] of html.matchAll(/<([a-z]+)\b[^>]*?\s(href|src)="([^"]*)"/g)) {
      const where = `${file}: <${tag} ${attr}="${url}">`;
      if (tag === 'a' && /^(https?:|mailto:)/.test(url)) continue;
      // Inline data (an empty favicon) is fetched from nowhere.
      if (url.startsWith('data:')) continue;
      expect(url, where).not.toMatch(/^([a-z]+:|\/)/i);
      const target = url.replace(/[#?].*$/, '');
      if (target === '') continue;
      expect(files.has(posix.normalize(posix.join(posix.dirname(file), target))), where).toBe(true);
    }
  }
  for (const file of [...files].filter((f) => f.endsWith('.css'))) expect(await readFile(join(site, file), 'utf8')).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//);
}

/** The cells of a table row marked data-metric="…", as text. */
export function rowCells(html: string, metric: string): string[] {
  const rows = [...html.matchAll(new RegExp(`<tr data-metric="${metric.replace(/[@.]/g, '\\$&')}">(.*?)</tr>`, 'g'))];
  return [...(rows[0]?.[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1] ?? '');
}
