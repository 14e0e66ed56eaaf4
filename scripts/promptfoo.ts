/**
 * Run the promptfoo CLI offline: telemetry and update checks off, its database inside the project,
 * and no cloud metadata probing (see DEPENDENCIES.md). `npm run eval:promptfoo` = `promptfoo eval`.
 *   npm run eval:promptfoo            # eval with promptfooconfig.yaml
 *   npm run eval:promptfoo -- view    # browse the results
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../starter/errors.ts';

export const PROMPTFOO_ENV = {
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  METADATA_SERVER_DETECTION: 'none',
  PROMPTFOO_REQUEST_BACKOFF_MS: '50',
  PROMPTFOO_CONFIG_DIR: resolve('.ragfolio', 'promptfoo'),
} as const;

export function promptfooBin(): string {
  try {
    // The package exports only its library entry (dist/src/index.js); the CLI sits beside it.
    return join(dirname(createRequire(import.meta.url).resolve('promptfoo')), 'entrypoint.js');
  } catch {
    throw new UserError('promptfoo is not installed (the project was created with --no-promptfoo?). Run `npm install -D promptfoo@~0.121`.');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const child = spawn(process.execPath, ['--import', 'tsx', promptfooBin(), ...(args.length > 0 ? args : ['eval', '-c', 'promptfooconfig.yaml'])], {
    stdio: 'inherit',
    env: { ...process.env, ...PROMPTFOO_ENV },
  });
  child.on('exit', (code) => {
    process.exitCode = code ?? 1;
  });
}
