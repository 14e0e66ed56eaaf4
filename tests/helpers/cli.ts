import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

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
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', ...options.env };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const) if (!options.env?.[key]) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = captureOutput(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ...output() }));
  });
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
