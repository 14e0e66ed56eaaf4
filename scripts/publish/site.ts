// `ragfolio publish`: the static site, built into a temp folder beside the target and renamed into place,
// so a failed build leaves the previous site (or nothing) and never a half-written one. A folder is only
// ever replaced when it is empty or holds a site this command built (its marker file says so).
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { ProjectConfig } from '../../starter/config.ts';
import { UserError } from '../../starter/errors.ts';
import { redact } from '../../starter/redact.ts';
import { buildDemo, type DemoBuild } from './demo.ts';
import { collectSiteInput } from './site-data.ts';
import { PAGES, renderSitePages, type SiteInput } from './site-pages.ts';

/** In every site this command builds: what tells a previous site (safe to replace) from a user's folder. */
export const SITE_MARKER = 'ragfolio-site.json';
const STYLESHEET = join(import.meta.dirname, 'pages', 'style.css');

export interface PublishOptions {
  out: string;
  /** Build the in-browser demo (slow: bundle, model weights, vectors). */
  demo: boolean;
  onStep?: (message: string) => void;
}

export interface PublishResult {
  out: string;
  files: number;
  bytes: number;
  pages: string[];
  /** The project files the numbers and texts come from (relative to the project). */
  sources: { report: string | null; writeUp: boolean; comparison: { naive: string; candidate: string } | null; datasheet: string | null; licences: string[] };
  demo: DemoBuild | null;
  /** What the site says is missing, and what to run for it. */
  missing: string[];
  /** Sentences the write-up left out for lack of evidence (never printed as placeholders). */
  leftOut: string[];
}

export async function publishSite(project: ProjectConfig, options: PublishOptions): Promise<PublishResult> {
  const out = resolve(options.out);
  await assertReplaceable(out);
  await mkdir(dirname(out), { recursive: true });
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  try {
    options.onStep?.('reading the runs, the write-up and the dataset');
    const data = await collectSiteInput(project);
    let demo: SiteInput['demo'] = { ok: false, missing: 'The live demo was not built (--no-demo). Run `npx ragfolio publish` without --no-demo to include it.' };
    if (options.demo) {
      options.onStep?.('building the in-browser demo');
      demo = { ok: true, value: await buildDemo(project, tmp, options.onStep ? { onStep: options.onStep } : {}) };
    }
    const others = ['style.css', SITE_MARKER, ...(await listFiles(tmp))];
    const pages = renderSitePages({ ...data, demo }, others);
    for (const file of [...pages, { path: 'style.css', content: await readFile(STYLESHEET, 'utf8') }]) {
      await mkdir(dirname(join(tmp, file.path)), { recursive: true });
      // Pages quote run files and write-ups, which an older version may have written with a key in them.
      await writeFile(join(tmp, file.path), redact(file.content));
    }
    const files = await listFiles(tmp);
    const sizes = await Promise.all(files.map(async (path) => ({ path, bytes: (await stat(join(tmp, path))).size })));
    await writeFile(join(tmp, SITE_MARKER), `${JSON.stringify({ generator: 'ragfolio publish', version: 1, files: sizes }, null, 2)}\n`);
    await swapInto(tmp, out);
    const bytes = sizes.reduce((s, f) => s + f.bytes, 0);
    return {
      out,
      files: files.length,
      bytes,
      pages: Object.values(PAGES),
      sources: {
        report: data.report?.file ?? null,
        writeUp: data.summary.ok,
        comparison: data.comparison.ok ? { naive: data.comparison.naive.file, candidate: data.comparison.candidate.file } : null,
        datasheet: data.dataset.datasheet?.file ?? null,
        licences: data.dataset.licences.map((l) => l.file),
      },
      demo: demo.ok ? demo.value : null,
      missing: [data.summary, data.comparison, demo].flatMap((s) => (s.ok ? [] : [s.missing])),
      leftOut: data.summary.ok ? data.summary.value.ledger.omitted : [],
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const markerSchema = z.object({ files: z.array(z.object({ path: z.string() })) });

/**
 * The target may be new, empty, or a site built by publish holding only the files its marker lists; anything
 * else is the user's (a CNAME, notes added to the site) and stays untouched: publish refuses, naming them.
 */
async function assertReplaceable(out: string): Promise<void> {
  const info = await stat(out).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) throw new UserError(`${out}: is a file, not a folder. Pass --out with a new folder for the site.`);
  const entries = await readdir(out);
  if (entries.length === 0) return;
  if (!entries.includes(SITE_MARKER)) {
    throw new UserError(`${out}: folder is not empty and holds no ${SITE_MARKER}, so it is not a site built by \`ragfolio publish\`; nothing was written. Pass --out with a new or empty folder.`);
  }
  const marker = markerSchema.safeParse(JSON.parse(await readFile(join(out, SITE_MARKER), 'utf8').catch(() => 'null')));
  if (!marker.success) throw new UserError(`${join(out, SITE_MARKER)}: not a file list written by \`ragfolio publish\`; nothing was written. Pass --out with a new or empty folder.`);
  const ours = new Set([SITE_MARKER, ...marker.data.files.map((f) => f.path)]);
  const foreign = (await listFiles(out)).filter((f) => !ours.has(f));
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
    throw new UserError(
      `${out}: holds files \`ragfolio publish\` did not write (${shown}); replacing the site would delete them, so nothing was written. Move them elsewhere, or pass --out with another folder.`,
    );
  }
}

/** Rename the new site into place; the old one is moved aside first and removed only after. */
async function swapInto(tmp: string, out: string): Promise<void> {
  const old = `${tmp}.old`;
  const hadOld = existsSync(out);
  if (hadOld) await rename(out, old);
  try {
    await rename(tmp, out);
  } catch (error) {
    if (hadOld) await rename(old, out);
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}

/** Every file under dir, "/"-separated and sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) =>
      join(e.parentPath, e.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    )
    .sort();
}
