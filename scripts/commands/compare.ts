import type { Command } from 'commander';
import { resolveRun } from '../../evals/baseline.ts';
import { compareRuns } from '../../evals/compare.ts';
import { comparisonTable, formatTable } from '../../evals/report/table.ts';
import { color, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('paired significance tests between two runs; exit 1 when a gated metric regresses')
    .argument('[baseline]', 'run file, "baseline" or "latest"', 'baseline')
    .argument('[candidate]', 'run file, "baseline" or "latest"', 'latest')
    .option('--json', 'print the comparison as JSON')
    .action(async (baselineRef: string, candidateRef: string, options: { json?: boolean }, command: Command) => {
      const project = await openProject(command);
      const baseline = await resolveRun(project, baselineRef);
      const candidate = await resolveRun(project, candidateRef, baseline);
      const { eval: e } = project.config;
      const result = compareRuns(baseline, candidate, { metrics: e.compare, gate: e.gate, alpha: e.alpha, resamples: e.resamples, seed: e.seed });
      if (options.json) printJson(result);
      else {
        process.stdout.write(`${formatTable(comparisonTable(result))}\n`);
        process.stdout.write(color.dim(`* gated metric. Paired bootstrap CI of the difference; McNemar (0/1 metrics) or permutation test; p Holm-adjusted over ${result.metrics.length} metrics.\n`));
        const flips = result.flips.map((f) => `  ${f.direction === 'pass→fail' ? color.red(f.direction) : color.green(f.direction)}  ${f.id} (${f.type}) ${f.question}`);
        process.stdout.write(`\n${result.flips.length} questions flipped${flips.length ? `:\n${flips.join('\n')}` : ''}\n`);
        process.stdout.write(result.gateFailed ? `${color.red('✘ gate failed')}: a gated metric regressed significantly\n` : `${color.green('✔ gate passed')}\n`);
      }
      if (result.gateFailed) process.exitCode = 1;
    });
}
