import type { Command } from 'commander';
import { resolveRun } from '../../evals/baseline.ts';
import { compareRuns, type GatedComparison } from '../../evals/compare.ts';
import { answeredLine, comparisonTable, formatTable, gateTable } from '../../evals/report/table.ts';
import { color, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .argument('[baseline]', 'run file, "baseline" or "latest"', 'baseline')
    .argument('[candidate]', 'run file, "baseline" or "latest" (the newest run file)', 'latest')
    .option('--json', 'print the comparison as JSON')
    .action(async (baselineRef: string, candidateRef: string, options: { json?: boolean }, command: Command) => {
      const project = await openProject(command);
      const baseline = await resolveRun(project, baselineRef);
      const candidate = await resolveRun(project, candidateRef, baseline);
      const { eval: e } = project.config;
      const result = compareRuns(baseline, candidate, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
      if (options.json) printJson(result);
      else process.stdout.write(renderComparison(result, e.alpha));
      if (result.gateFailed) process.exitCode = 1;
    });
}

function renderComparison(result: GatedComparison, alpha: number): string {
  const { gate } = result;
  const family = gate.family.length;
  const lines = [
    formatTable(comparisonTable(result)),
    color.dim(
      `All metrics, descriptive: * gated, † on answered questions only. Paired bootstrap 95% CI; McNemar (0/1 metrics) or permutation test; p Holm-adjusted over the ${result.metrics.filter((m) => !m.constant).length} non-constant metrics.`,
    ),
    answeredLine(result.answered, alpha),
    '',
    formatTable(gateTable(gate)),
    color.dim(
      `The gate: for each gated metric, one-sided bounds on the difference at its Holm level (α = ${alpha} over ${family} metric${family === 1 ? '' : 's'}). ` +
        `Fails when the upper bound is below 0 (a drop shown) and the lower bound below −${gate.margin} (not shown to be within the margin)${gate.strict ? ', or when non-inferiority is not shown (strict)' : ''}.`,
    ),
    ...gate.warnings.map((w) => color.yellow(`warning: ${w}`)),
  ];
  const flips = result.flips.map((f) => `  ${f.direction === 'pass→fail' ? color.red(f.direction) : color.green(f.direction)}  ${f.id} (${f.type}) ${f.question}`);
  lines.push('', `${result.flips.length} questions flipped${flips.length ? `:\n${flips.join('\n')}` : ''}`);
  const failed = gate.metrics.filter((m) => m.failed).map((m) => m.metric);
  lines.push(result.gateFailed ? `${color.red('✘ gate failed')}: ${failed.join(', ')} regressed` : `${color.green('✔ gate passed')}`);
  return `${lines.join('\n')}\n`;
}
