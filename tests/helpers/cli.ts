import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The CLI as a user runs it: bin/ragfolio.js, which runs the build of scripts/ragfolio.ts that the global setup
 * made (tests/global-setup.ts), about a second sooner per process than compiling each file through tsx.
 */
export const CLI = ['bin/ragfolio.js'] as const;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the real CLI (`node bin/ragfolio.js ...`) in a child process, from the repo root,
 * piped (so no colour or progress bars) and without any OpenAI settings from the caller's environment.
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO_ROOT, env: cliEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
    const output = captureOutput(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...output() }));
  });
}

/** The variables runCli gives the CLI: piped output without colour, and no OpenAI settings the caller did not pass. */
function cliEnv(options: { env?: Record<string, string> }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', ...options.env };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const) if (!options.env?.[key]) delete env[key];
  return env;
}

let inProcessQueue: Promise<unknown> = Promise.resolve();

/**
 * The CLI's own `main` (scripts/ragfolio.ts) run inside the test's process, with what runCli gives a child:
 * the same environment, stdout and stderr captured (console output too, as a process would print it) and the exit
 * code it sets. No new process, and the modules (and TF.js) an earlier run in the same test file loaded stay
 * loaded: for tests of what a command prints, writes and exits with. What only a real process shows (signals,
 * `process.exit`, a crash, npx, the build in .ragfolio/cli) stays with runCli. Runs one at a time.
 */
export function runCliInProcess(args: readonly string[], options: { env?: Record<string, string> } = {}): Promise<CliResult> {
  const run = inProcessQueue.then(() => runInProcess(args, options));
  inProcessQueue = run.catch(() => undefined);
  return run;
}

async function runInProcess(args: readonly string[], options: { env?: Record<string, string> }): Promise<CliResult> {
  const savedEnv = { ...process.env };
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, console: { ...console }, exitCode: process.exitCode };
  const output = { stdout: '', stderr: '' };
  const capture =
    (stream: 'stdout' | 'stderr') =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      output[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  const print =
    (stream: 'stdout' | 'stderr') =>
    (...values: unknown[]) => {
      output[stream] += `${format(...values)}\n`;
    };
  replaceEnv(cliEnv(options));
  process.stdout.write = capture('stdout') as typeof process.stdout.write;
  process.stderr.write = capture('stderr') as typeof process.stderr.write;
  Object.assign(console, { log: print('stdout'), info: print('stdout'), debug: print('stdout'), warn: print('stderr'), error: print('stderr') });
  process.exitCode = undefined;
  try {
    const { main } = await import('../../scripts/ragfolio.ts');
    await main(args);
    return { code: Number(process.exitCode ?? 0), ...output };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    Object.assign(console, saved.console);
    process.exitCode = saved.exitCode;
    replaceEnv(savedEnv);
  }
}

/** Make process.env hold exactly `env` (process.env itself must stay the same object). */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}

/** stderr split into its lines (a trailing newline does not make an extra, empty line). */
export function stderrLines(result: CliResult): string[] {
  return result.stderr.replace(/\n$/, '').split('\n');
}

/** Collect a child's stdout and stderr as text; call the returned function for what has arrived so far. */
export function captureOutput(child: { stdout: Readable; stderr: Readable }): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return () => ({ stdout, stderr });
}

/**
 * `ragfolio serve` in a child process for a project: its URL resolves once it prints it, and rejects if the
 * process exits first. The caller kills `child` when done.
 */
export function startServe(root: string, args: readonly string[]) {
  const child = spawn(process.execPath, [...CLI, '-C', root, 'serve', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const output = captureOutput(child);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const line = output()
        .stdout.split('\n')
        .find((l) => l.startsWith('http://'));
      if (line) resolve(line.trim());
    });
    void exited.then(() => reject(new Error(`serve exited before listening: ${output().stderr}`)));
  });
  url.catch(() => {}); // awaited only by callers that expect it to listen
  return { child, url, exited, output };
}
