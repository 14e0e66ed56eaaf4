import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { FALLBACK_FILE, type FallbackFile } from '../../evals/calibrate.ts';
import { createFixtureProject } from '../evals/fixture-project.ts';
import { runCliInProcess, stderrLines } from '../helpers/cli.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

const fallback: FallbackFile = {
  minScore: 0.62,
  target: 0.25,
  bound: 0.24,
  n: 49,
  rank: 38,
  sources: [{ dataset: 'datasets/fastify-docs', evalsetHash: 'f1', n: 49 }],
  calibratedAt: '2026-12-07T21:00:00.000Z',
  confidence: 'support',
};

// The fixture's dev split has no unanswerable question: a brand-new project's situation.
test('a project with too few unanswerable dev questions gets the fallback, and ask says which threshold and why', { timeout: 120_000 }, async () => {
  const { root } = await createFixtureProject();
  roots.push(root);
  expect((await runCliInProcess(['-C', root, 'ingest'])).code).toBe(0);

  const none = await runCliInProcess(['-C', root, 'calibrate']);
  expect(none.code).toBe(2);
  expect(stderrLines(none).at(-1)).toMatch(/dev split has 0 unanswerable questions, fewer than the 20 a calibration needs, and there is no configs\/abstention-fallback\.json to fall back on/);

  await mkdir(join(root, 'configs'));
  await writeFile(join(root, FALLBACK_FILE), JSON.stringify(fallback));
  const calibrated = await runCliInProcess(['-C', root, 'calibrate', '--json']);
  expect(calibrated.code, calibrated.stderr).toBe(0);
  const config = JSON.parse(readFileSync(join(root, 'ragfolio.config.json'), 'utf8'));
  // The user's fields stay; the threshold and its provenance are added.
  expect(config).toMatchObject({ dataset: 'data', retriever: { kind: 'hybrid', k: 2 }, eval: { resamples: 500 }, generator: { provider: 'extractive', minScore: 0.62 } });
  expect(config.generator.abstention).toMatchObject({ method: 'fallback', minScore: 0.62, reason: "this project's dev split has 0 unanswerable questions, fewer than the 20 a calibration needs" });

  const asked = await runCliInProcess(['-C', root, 'ask', '--json', 'Which river will the new bridge cross?']);
  expect(asked.code, asked.stderr).toBe(0);
  expect(asked.stderr).toMatch(
    /^abstention threshold 0\.62 \(fallback: this project's dev split has 0 unanswerable questions, .* on the 49 unanswerable dev questions of the bundled eval sets datasets\/fastify-docs \(49\)/m,
  );
  expect(JSON.parse(asked.stdout).threshold).toMatchObject({ minScore: 0.62, source: 'fallback', target: 0.25, bound: 0.24 });
});
