/**
 * Run the promptfoo CLI offline: telemetry and update checks off, its database inside the project,
 * and no cloud metadata probing (see DEPENDENCIES.md). `npm run eval:promptfoo` = `promptfoo eval`.
 *   npm run eval:promptfoo            # eval with promptfooconfig.yaml
 *   npm run eval:promptfoo -- view    # browse the results
 * promptfoo is not a dependency (its install is about 1.4 GB): the pinned version is installed on first use into
 * a shared cache folder (RAGFOLIO_PROMPTFOO_DIR, default ~/.cache/ragfolio/promptfoo-<version>), or a
 * promptfoo the project installed itself is used.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isUserError, UserError } from '../starter/errors.ts';

/** The version CI runs against our provider and assertions; 0.122+ needs Node 22. */
export const PROMPTFOO_VERSION = '0.121.20';

export const PROMPTFOO_ENV = {
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  METADATA_SERVER_DETECTION: 'none',
  PROMPTFOO_REQUEST_BACKOFF_MS: '50',
  PROMPTFOO_CONFIG_DIR: resolve('.ragfolio', 'promptfoo'),
} as const;

// A cold install takes about a minute on a fast line; past this it is stuck, not slow.
const INSTALL_TIMEOUT_MS = 15 * 60_000;

export function promptfooDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.RAGFOLIO_PROMPTFOO_DIR ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ragfolio', `promptfoo-${PROMPTFOO_VERSION}`));
}

/** promptfoo's library entry (dist/src/index.js), from the project's own install or the pinned cache, if present. */
export function findPromptfoo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const from of [join(process.cwd(), 'package.json'), join(promptfooDir(env), 'package.json')]) {
    try {
      return createRequire(from).resolve('promptfoo');
    } catch {
      // not installed there
    }
  }
  return undefined;
}

/** The library entry, installing the pinned promptfoo into promptfooDir() first when it is nowhere. */
export function ensurePromptfoo(env: NodeJS.ProcessEnv = process.env): string {
  const found = findPromptfoo(env);
  if (found) return found;
  const dir = promptfooDir(env);
  process.stderr.write(`installing promptfoo ${PROMPTFOO_VERSION} into ${dir} (once; about 1.4 GB, a few minutes)…\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', `promptfoo@${PROMPTFOO_VERSION}`], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: INSTALL_TIMEOUT_MS,
    shell: process.platform === 'win32',
  });
  const installed = findPromptfoo(env);
  if (result.status !== 0 || !installed) {
    throw new UserError(
      `could not install promptfoo ${PROMPTFOO_VERSION} into ${dir} (npm ${result.error ? result.error.message : `exit ${result.status}`}). Check your network, or run \`npm install -D promptfoo@${PROMPTFOO_VERSION}\`.`,
    );
  }
  return installed;
}

/** The CLI sits beside the library entry (the package exports only the library). */
export function promptfooCli(library: string): string {
  const cli = join(dirname(library), 'entrypoint.js');
  if (!existsSync(cli)) throw new UserError(`${cli} is missing: the promptfoo install is incomplete. Delete ${promptfooDir()} and run again.`);
  return cli;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  let cli: string;
  try {
    cli = promptfooCli(ensurePromptfoo());
  } catch (error) {
    if (!isUserError(error)) throw error;
    process.stderr.write(`✖ ${error.message}\n`);
    process.exit(2);
  }
  // promptfoo loads our TypeScript provider and assertions with its own tsx.
  const child = spawn(process.execPath, [cli, ...(args.length > 0 ? args : ['eval', '-c', 'promptfooconfig.yaml'])], {
    stdio: 'inherit',
    env: { ...process.env, ...PROMPTFOO_ENV },
  });
  child.on('exit', (code) => {
    process.exitCode = code ?? 1;
  });
}
