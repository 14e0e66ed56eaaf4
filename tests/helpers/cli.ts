import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the real CLI (`node --import tsx scripts/ragfolio.ts ...`) in a child process, from the repo root,
 * piped (so no colour or progress bars) and without any OpenAI settings from the caller's environment.
 */
export function runCli(args: readonly string[], options: { env?: Record<string, string> } = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', ...options.env };
  for (const key of ['OPENAI_API_KEY', 'OPENAI_BASE_URL'] as const) if (!options.env?.[key]) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/ragfolio.ts', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
