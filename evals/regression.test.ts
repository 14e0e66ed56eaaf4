import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { findProjectRoot, loadProjectConfig } from '../starter/config.ts';
import { ingest } from '../starter/ingest.ts';
import { projectPaths } from '../starter/paths.ts';
import { readBaseline } from './baseline.ts';
import { compareRuns } from './compare.ts';
import { comparisonTable, formatTable, gateTable } from './report/table.ts';
import { runEval } from './run.ts';

const project = await loadProjectConfig(findProjectRoot(fileURLToPath(new URL('.', import.meta.url))));
const hasBaseline = existsSync(projectPaths(project).baseline);

// Re-run the eval on the baseline's split with the current code and config; fail when the gate fails (config:
// eval.gate; one-sided tests, Holm over the gated metrics). CI runs this once, inside `npm test`. Without a
// baseline there is nothing to gate against: CI saves the first one (.github/workflows/eval.yml).
test.skipIf(!hasBaseline)('no gated metric regresses significantly against evals/baseline.json', async () => {
  const baseline = await readBaseline(project);
  await ingest(project);
  const { run } = await runEval(project, { split: baseline.split, label: 'regression-gate' });
  const { eval: e } = project.config;
  const result = compareRuns(baseline, run, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
  const failed = result.gate.metrics.filter((m) => m.failed).map((m) => m.metric);
  expect(failed, `gated metrics regressed:\n${formatTable(gateTable(result.gate))}\n\n${formatTable(comparisonTable(result))}`).toEqual([]);
});
