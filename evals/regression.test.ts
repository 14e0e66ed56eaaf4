import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { findProjectRoot, loadProjectConfig } from '../starter/config.ts';
import { ingest } from '../starter/ingest.ts';
import { readBaseline } from './baseline.ts';
import { compareRuns } from './compare.ts';
import { comparisonTable, formatTable } from './report/table.ts';
import { runEval } from './run.ts';

// Re-run the eval on the baseline's split with the current code and config; fail on a significant
// regression of any gated metric (config: eval.gate). This is what CI runs on every change.
test('no gated metric regresses significantly against evals/baseline.json', async () => {
  const project = await loadProjectConfig(findProjectRoot(fileURLToPath(new URL('.', import.meta.url))));
  const baseline = await readBaseline(project);
  await ingest(project);
  const { run } = await runEval(project, { split: baseline.split, label: 'regression-gate' });
  const { eval: e } = project.config;
  const result = compareRuns(baseline, run, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
  const failed = result.metrics.filter((m) => m.gateFailed).map((m) => m.metric);
  expect(failed, `gated metrics regressed:\n${formatTable(comparisonTable(result))}`).toEqual([]);
});
