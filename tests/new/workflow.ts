// Runs a GitHub Actions workflow's `run:` steps in a folder, in order, the way a runner would: bash with
// `-eo pipefail`, the workflow's and job's plain `env`, each step's `if:` evaluated. `uses:` steps (checkout,
// setup-node, cache, artifact upload) have no local effect worth reproducing and are skipped.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const stepSchema = z.object({ name: z.string().optional(), run: z.string().optional(), if: z.string().optional(), env: z.record(z.string(), z.unknown()).optional() });
const workflowSchema = z.object({
  env: z.record(z.string(), z.unknown()).optional(),
  jobs: z.record(z.string(), z.object({ env: z.record(z.string(), z.unknown()).optional(), steps: z.array(stepSchema) })),
});

export interface WorkflowStep {
  name: string;
  run: string;
  if?: string;
  env: Record<string, string>;
}

/** Plain values only: an expression (`${{ secrets.X }}`) is what a runner would fill in; locally it stays unset. */
const plainEnv = (env: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(env ?? {}).flatMap(([k, v]) => (typeof v === 'string' && v.includes('${{') ? [] : [[k, String(v)]])));

/** The `run:` steps of one job (the only job when not named), in order. */
export async function workflowRunSteps(file: string, job?: string): Promise<WorkflowStep[]> {
  const workflow = workflowSchema.parse(parse(await readFile(file, 'utf8')));
  const jobs = Object.entries(workflow.jobs);
  const chosen = job ? workflow.jobs[job] : jobs.length === 1 ? jobs[0]?.[1] : undefined;
  if (!chosen) throw new Error(`${file}: name one of its jobs (${jobs.map(([k]) => k).join(', ')})`);
  const env = { ...plainEnv(workflow.env), ...plainEnv(chosen.env) };
  return chosen.steps.flatMap((s) => (s.run ? [{ name: s.name ?? s.run, run: s.run, ...(s.if ? { if: s.if } : {}), env: { ...env, ...plainEnv(s.env) } }] : []));
}

/**
 * The conditions the workflows of this kit use: `always()`, `hashFiles('<path>') == ''` and its `!=` form
 * (one literal path). Anything else fails loudly rather than being guessed at.
 */
export function stepRuns(condition: string | undefined, cwd: string, failedBefore: boolean): boolean {
  if (condition === undefined) return !failedBefore;
  const c = condition.trim();
  if (c === 'always()') return true;
  const hash = /^hashFiles\('([^'*?]+)'\)\s*(==|!=)\s*''$/.exec(c);
  if (hash) return !failedBefore && existsSync(join(cwd, hash[1] ?? '')) === (hash[2] === '!=');
  throw new Error(`workflow condition not understood here: ${condition}`);
}

export interface StepResult {
  name: string;
  code: number;
  output: string;
}

function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

/** Run the steps in order; after a failure only `always()` steps run, as on GitHub. `onStep` hears each step's wall time. */
export async function runWorkflowSteps(steps: readonly WorkflowStep[], cwd: string, env: NodeJS.ProcessEnv, onStep?: (result: StepResult, seconds: number) => void): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    if (
      !stepRuns(
        step.if,
        cwd,
        results.some((r) => r.code !== 0),
      )
    )
      continue;
    const started = performance.now();
    const { code, output } = await bash(step.run, cwd, { ...env, ...step.env });
    results.push({ name: step.name, code, output });
    onStep?.({ name: step.name, code, output }, (performance.now() - started) / 1000);
  }
  return results;
}
