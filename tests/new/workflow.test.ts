import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { runWorkflowSteps, stepRuns, workflowRunSteps } from './workflow.ts';

const kit = resolve(import.meta.dirname, '../..');

test("the eval workflow (the kit's and every project's) runs lint, typecheck and npm test, which includes the gate", async () => {
  const steps = await workflowRunSteps(join(kit, '.github', 'workflows', 'eval.yml'));
  const commands = steps.map((s) => s.run.trim());
  expect(commands.slice(0, 4)).toEqual(['npm ci', 'npm run lint', 'npm run typecheck', 'npm test']);
  expect(steps[0]?.env.CI).toBe('true');
  // A secret is the runner's to fill in, never the literal expression.
  expect(steps[0]?.env.OPENAI_API_KEY).toBeUndefined();
});

test("a step's if: is evaluated as GitHub would; a condition it does not know fails loudly", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-workflow-'));
  try {
    await writeFile(join(dir, 'present.json'), '{}');
    expect(stepRuns(undefined, dir, false)).toBe(true);
    expect(stepRuns(undefined, dir, true)).toBe(false);
    expect(stepRuns('always()', dir, true)).toBe(true);
    expect(stepRuns("hashFiles('present.json') == ''", dir, false)).toBe(false);
    expect(stepRuns("hashFiles('absent.json') == ''", dir, false)).toBe(true);
    expect(stepRuns("hashFiles('present.json') != ''", dir, false)).toBe(true);
    expect(() => stepRuns("github.ref == 'refs/heads/main'", dir, false)).toThrow(/not understood/);
    // After a failing step, only always() steps run; the results keep each step's exit code and output.
    const results = await runWorkflowSteps(
      [
        { name: 'fails', run: 'echo before; false; echo never', env: {} },
        { name: 'skipped', run: 'echo skipped', env: {} },
        { name: 'always', run: 'echo "$GREETING"', if: 'always()', env: { GREETING: 'hello' } },
      ],
      dir,
      process.env,
    );
    expect(results).toEqual([
      { name: 'fails', code: 1, output: 'before\n' },
      { name: 'always', code: 0, output: 'hello\n' },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
