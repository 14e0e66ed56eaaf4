import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configSchema } from '../../starter/config.ts';
import { REPO_ROOT, runCliInProcess } from '../helpers/cli.ts';

const kit = REPO_ROOT;
const ragfolio = (root: string, ...args: string[]) => runCliInProcess(['-C', root, ...args]);

// A project over the bundled dataset that shares the kit's index (built by the global setup) and gates
// against the kit's shipped evals/baseline.json, so the runs it writes never touch the kit's own files.
// (An identical copy passing is checked without an eval in compare-cli.test.ts; the real re-run against the
// shipped baseline is evals/regression.test.ts.)
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-gate-'));
  await mkdir(join(root, 'evals'));
  await copyFile(join(kit, 'evals', 'baseline.json'), join(root, 'evals', 'baseline.json'));
  await writeFile(
    join(root, 'ragfolio.config.json'),
    JSON.stringify({ dataset: join(kit, 'datasets', 'sotu'), dataDir: join(kit, configSchema.parse({}).dataDir), retriever: { kind: 'dense', k: 1 } }),
  );
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('the regression gate on the bundled dataset', () => {
  test('a degraded configuration (k=1, dense only) fails the gate against the shipped baseline (exit 1)', { timeout: 600_000 }, async () => {
    expect((await ragfolio(root, 'eval', '--label', 'degraded')).code).toBe(0);
    const worse = await ragfolio(root, 'compare');
    expect(worse.stdout, worse.stderr).toContain('REGRESSED (gate)');
    expect(worse.stdout).toContain('gate failed');
    expect(worse.code).toBe(1);
  });
});
