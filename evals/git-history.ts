// Read-only questions to the project's git history, for claims and milestones that need evidence the project
// produced itself. Every helper answers "unknown" (undefined/false) when git or the repository is missing.
import { execFile } from 'node:child_process';
import { relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function git(root: string, args: readonly string[]): Promise<string | undefined> {
  try {
    return (await run('git', [...args], { cwd: root, timeout: 10_000 })).stdout.trim();
  } catch {
    return undefined;
  }
}

/** Commits that touched `file`, newest first, with their committer dates. */
export async function commitsTouching(root: string, file: string, filter?: 'A'): Promise<{ commit: string; date: string }[]> {
  const log = await git(root, ['log', ...(filter ? [`--diff-filter=${filter}`] : []), '--format=%H %cI', '--', relative(root, file)]);
  return (log ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit = '', date = ''] = line.split(' ');
      return { commit, date };
    });
}

/** Is `ancestor` reachable from `descendant` (or the same commit)? */
export async function isAncestor(root: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await git(root, ['merge-base', '--is-ancestor', ancestor, descendant])) !== undefined;
}

/** A commit in this project's own history (reachable from HEAD): not one recorded in a file copied from elsewhere. */
export async function inOwnHistory(root: string, commit: string | undefined): Promise<boolean> {
  return commit !== undefined && /^[0-9a-f]{7,40}$/.test(commit) && (await isAncestor(root, commit, 'HEAD'));
}

/** The message of the first commit `ragfolio new` makes: runs at that commit measured the template, unchanged. */
export const NEW_PROJECT_COMMIT_MESSAGE = 'Start a ragfolio project (ragfolio new)';

/** A commit's subject line, or undefined when git cannot say. */
export async function commitSubject(root: string, commit: string): Promise<string | undefined> {
  return git(root, ['log', '-1', '--format=%s', commit]);
}

/** The project's first commit(s): what `ragfolio new` or the first `git commit` wrote. */
export async function rootCommits(root: string): Promise<string[]> {
  return ((await git(root, ['rev-list', '--max-parents=0', 'HEAD'])) ?? '').split('\n').filter(Boolean);
}
