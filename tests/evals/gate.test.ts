import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configSchema } from '../../starter/config.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';

const kit = REPO_ROOT;
const ragfolio = (root: string, ...args: string[]) => runCli(['-C', root, ...args]);

// A project over the bundled dataset that shares the kit's index (built by the global setup), so the
// runs, baseline and config it writes never touch the kit's own files.
let root: string;
const writeConfig = (retriever: Record<string, unknown>) =>
  writeFile(join(root, 'ragfolio.config.json'), JSON.stringify({ dataset: join(kit, 'datasets', 'sotu'), dataDir: join(kit, configSchema.parse({}).dataDir), retriever }));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-gate-'));
  await writeConfig({ kind: 'hybrid', k: 5 });
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('the regression gate on the bundled dataset', () => {
  test('an identical rerun passes (exit 0); a degraded configuration (k=1, dense only) fails it (exit 1)', async () => {
    const first = await ragfolio(root, 'eval', '--save-baseline', '--label', 'baseline');
    expect(first.code, first.stderr).toBe(0);
    expect((await ragfolio(root, 'eval', '--label', 'rerun')).code).toBe(0);
    const same = await ragfolio(root, 'compare');
    expect(same.stdout).toContain('gate passed');
    expect(same.code).toBe(0);

    await writeConfig({ kind: 'dense', k: 1 });
    expect((await ragfolio(root, 'eval', '--label', 'degraded')).code).toBe(0);
    const worse = await ragfolio(root, 'compare');
    expect(worse.stdout).toContain('REGRESSED (gate)');
    expect(worse.stdout).toContain('gate failed');
    expect(worse.code).toBe(1);
  });
});
