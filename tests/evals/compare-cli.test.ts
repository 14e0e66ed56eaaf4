import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunFile } from '../../evals/run-file.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { referenceRun } from './reference-run.ts';

// `ragfolio compare` on copies of the shipped baseline, in a project folder of its own (no index needed).
const shippedText = JSON.stringify(referenceRun());
const shipped = (): RunFile => JSON.parse(shippedText) as RunFile;

/** The shipped run with the first k passing records' `contains` turned to 0. */
function flipContains(k: number): RunFile {
  const run = shipped();
  let left = k;
  for (const r of run.records) if (r.metrics.contains === 1 && left-- > 0) r.metrics.contains = 0;
  return run;
}

let root: string;
const write = (path: string, run: RunFile) => writeFile(join(root, path), JSON.stringify(run));
const compare = (...args: string[]) => runCliInProcess(['-C', root, 'compare', ...args]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-compare-'));
  await mkdir(join(root, 'evals'));
  await mkdir(join(root, 'runs'));
  await writeFile(join(root, 'ragfolio.config.json'), '{}\n');
  await write('evals/baseline.json', shipped());
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('compare against the shipped baseline', () => {
  test('an identical copy passes (exit 0); the 8-flip copy of issue 12 fails (exit 1)', async () => {
    await write('same.json', shipped());
    await write('flip8.json', flipContains(8));
    const same = await compare(join(root, 'evals', 'baseline.json'), join(root, 'same.json'));
    expect(same.stdout).toContain('gate passed');
    expect(same.code).toBe(0);
    const flipped = await compare(join(root, 'evals', 'baseline.json'), join(root, 'flip8.json'));
    expect(flipped.stdout).toMatch(/contains .*REGRESSED \(gate\)/);
    expect(flipped.stdout).toContain('gate failed');
    expect(flipped.code).toBe(1);
  });
});

describe('compare --json: the gate is planned from the baseline (issue 24)', () => {
  test('an identical copy and a copy with one question flipped get the same MDE and power, the baseline run file’s MDE', async () => {
    await write('same.json', shipped());
    await write('flip1.json', flipContains(1));
    const gateOf = async (file: string) => {
      const result = await compare(join(root, 'evals', 'baseline.json'), join(root, file), '--json');
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { gate: { metrics: { metric: string; mde: number | null; powerAtMargin: number | null }[] } }).gate.metrics;
    };
    const same = await gateOf('same.json');
    const one = await gateOf('flip1.json');
    expect(one.map((m) => [m.metric, m.mde, m.powerAtMargin])).toEqual(same.map((m) => [m.metric, m.mde, m.powerAtMargin]));
    // What `eval --json` stored for these metrics at this n when the baseline was written.
    for (const m of same) if (m.mde !== null) expect(shipped().aggregates[m.metric]?.mde, m.metric).toBeCloseTo(m.mde, 12);
  });
});

describe('plain `compare` and the latest run (issue 16, point 2)', () => {
  test('the newest run is the one compared, even when an older one would pass', async () => {
    await write('runs/20260101-000000-old.json', shipped());
    await write('runs/20260102-000000-new.json', flipContains(8));
    const result = await compare();
    expect(result.code).toBe(1);
    await rm(join(root, 'runs', '20260102-000000-new.json'));
  });

  test('a newest run scored on another eval set is an error (exit 2) naming the file, not a fallback to an older run', async () => {
    await write('runs/20260101-000000-old.json', shipped());
    await write('runs/20260103-000000-other.json', { ...shipped(), evalsetHash: 'f'.repeat(64) });
    const result = await compare();
    expect(result.stdout).not.toContain('gate passed');
    expect(result.stderr).toContain('20260103-000000-other.json');
    expect(result.stderr).toMatch(/another version of the eval set/);
    expect(result.code).toBe(2);
  });

  test('so is a newest run on another split', async () => {
    await write('runs/20260104-000000-test.json', { ...shipped(), split: 'test' });
    const result = await compare();
    expect(result.stderr).toMatch(/20260104-000000-test\.json.*split "test"/);
    expect(result.code).toBe(2);
  });
});
