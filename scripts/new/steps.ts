import { execFileSync, spawn } from 'node:child_process';
import { NEW_PROJECT_COMMIT_MESSAGE } from '../../evals/git-history.ts';

/**
 * Run a command in cwd with its output on our stderr (stdout carries data only); resolves with its exit code.
 * Never throws for a missing program: that is exit code 127, as in a shell.
 */
export function runStep(command: string, args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolvePromise) => {
    // npm is a .cmd script on Windows, which only a shell can start.
    const child = spawn(command, args, { cwd, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
    child.on('error', () => resolvePromise(127));
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });
}

/** `npm ci` from the project's lockfile (the versions the kit was tested with), or `npm install` when told. */
export function npmInstall(cwd: string, ci = true): Promise<number> {
  return runStep('npm', [ci ? 'ci' : 'install', '--no-audit', '--no-fund'], cwd);
}

/** Whether cwd already sits inside a git work tree (then `new` leaves version control to that repository). */
export function insideGitRepo(cwd: string): boolean {
  try {
    return (
      execFileSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() === 'true'
    );
  } catch {
    return false;
  }
}

export type GitOutcome = 'committed' | 'initialised' | 'inside-repo' | 'no-git';

/** git init + a first commit of everything written; a missing identity leaves an initialised, uncommitted repo. */
export async function gitInit(cwd: string): Promise<GitOutcome> {
  if (insideGitRepo(cwd)) return 'inside-repo';
  if ((await runStep('git', ['init', '--quiet'], cwd)) !== 0) return 'no-git';
  if ((await runStep('git', ['add', '--all'], cwd)) !== 0) return 'initialised';
  const committed = await runStep('git', ['commit', '--quiet', '--message', NEW_PROJECT_COMMIT_MESSAGE], cwd);
  return committed === 0 ? 'committed' : 'initialised';
}

/** The name git would sign commits with: the README's default author. */
export function gitUserName(): string {
  try {
    return execFileSync('git', ['config', 'user.name'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
}
