import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { IGNORED, isTestSource, KIT_ONLY, PATCHED_FILES, RENDERED_TEMPLATES, TEMPLATE_DIR } from './manifest.ts';

/** The kit's root: a ragfolio project itself, whose files `new` copies. */
export const KIT_ROOT = resolve(import.meta.dirname, '..', '..');

/** The kit as the planner sees it: every file path, and the text of the files it patches, renders or checks (tests). */
export interface KitFiles {
  files: readonly string[];
  text: Readonly<Record<string, string>>;
}

/** List the kit's files (kit-relative, "/"-separated, sorted), skipping installs and local state early. */
export async function collectKitFiles(root: string = KIT_ROOT): Promise<KitFiles> {
  const skipDirs = new Set(IGNORED.filter((p) => p.endsWith('/')).map((p) => p.slice(0, -1)));
  const files: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skipDirs.has(path) && entry.name !== 'node_modules' && entry.name !== '.git') await walk(path);
      } else if (entry.isFile()) files.push(path);
    }
  };
  await walk('');
  files.sort();
  const kitOnly = (p: string) => KIT_ONLY.some((k) => (k.endsWith('/') ? p.startsWith(k) : p === k));
  const tests = files.filter((p) => isTestSource(p) && !kitOnly(p));
  const wanted = [...PATCHED_FILES, ...RENDERED_TEMPLATES.map((t) => `${TEMPLATE_DIR}${t}`)].filter((p) => files.includes(p)).concat(tests);
  const text = Object.fromEntries(await Promise.all(wanted.map(async (p) => [p, await readFile(join(root, p), 'utf8')] as const)));
  return { files, text };
}
