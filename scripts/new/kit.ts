import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FALLBACK_FILE } from '../../evals/calibrate.ts';
import { IGNORED, isSecretOrLocal, isTestSource, KIT_ONLY, PATCHED_FILES, RENDERED_TEMPLATES, TEMPLATE_DIR } from './manifest.ts';

/** The kit's root: a ragfolio project itself, whose files `new` copies. */
export const KIT_ROOT = resolve(import.meta.dirname, '..', '..');

/** The kit as the planner sees it: every file path, and the text of the files it patches, renders or checks (tests). */
export interface KitFiles {
  files: readonly string[];
  text: Readonly<Record<string, string>>;
}

/**
 * The kit's files (kit-relative, "/"-separated, sorted): the ones git tracks when the kit is a git checkout, so
 * untracked files (screenshots, `.env.local`, `.npmrc`, scratch notes) never reach a project; otherwise (the kit
 * installed from npm, whose tarball is its file list) every file but installs and local state. Secrets and npm
 * settings are dropped either way. `withUntracked` adds files git does not ignore yet does not track: the kit's
 * tests check the rules on a working tree whose new files are about to be committed.
 */
export async function collectKitFiles(root: string = KIT_ROOT, options: { withUntracked?: boolean } = {}): Promise<KitFiles> {
  const files = (gitTrackedFiles(root, options.withUntracked) ?? (await walkFiles(root))).filter((p) => !isSecretOrLocal(p)).sort();
  const kitOnly = (p: string) => KIT_ONLY.some((k) => (k.endsWith('/') ? p.startsWith(k) : p === k));
  const tests = files.filter((p) => isTestSource(p) && !kitOnly(p));
  // The fallback abstention threshold is copied unchanged, and read to put into a new project's config.
  const wanted = [...PATCHED_FILES, FALLBACK_FILE, ...RENDERED_TEMPLATES.map((t) => `${TEMPLATE_DIR}${t}`)].filter((p) => files.includes(p)).concat(tests);
  const text = Object.fromEntries(await Promise.all(wanted.map(async (p) => [p, await readFile(join(root, p), 'utf8')] as const)));
  return { files, text };
}

/** Files git tracks under root (that still exist), or undefined when root is not the top of a git work tree. */
export function gitTrackedFiles(root: string, withUntracked = false): string[] | undefined {
  let listing: string;
  try {
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], encoding: 'utf8' }).trim();
    // A kit inside someone else's repository (e.g. node_modules/ragfolio in a project) is not a checkout of the kit.
    if (realpathSync(top) !== realpathSync(root)) return undefined;
    listing = execFileSync('git', ['ls-files', '-z', '--cached', ...(withUntracked ? ['--others', '--exclude-standard'] : [])], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch {
    return undefined;
  }
  return listing.split('\0').filter((p) => p !== '' && existsSync(join(root, p)));
}

async function walkFiles(root: string): Promise<string[]> {
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
  return files;
}
