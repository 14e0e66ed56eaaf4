import type { Command } from 'commander';
import { z } from 'zod';
import { promoteBaseline } from '../../evals/baseline.ts';
import { riskCoverageLine } from '../../evals/report/risk-coverage-chart.ts';
import { formatTable, operationalLine, repeatReport, runTable } from '../../evals/report/table.ts';
import { runEval } from '../../evals/run.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { UserError } from '../../starter/errors.ts';
import type { Pipeline } from '../../starter/pipeline.ts';
import { color, printJson, startProgress } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

const optionsSchema = z.object({
  split: z.enum(['dev', 'test', 'all']).optional(),
  label: z.string().optional(),
  saveBaseline: z.boolean().optional(),
  json: z.boolean().optional(),
  repeat: z.coerce.number().int().min(1).max(100).optional(),
  /** `start` prints its own short table: skip the full one. */
  brief: z.boolean().optional(),
});
export type EvalCommandOptions = z.infer<typeof optionsSchema>;

export function printRun(run: RunFile, file: string, brief = false): void {
  if (brief) process.stdout.write(color.dim(`every metric with its CI and MDE: ${file} (or run \`ragfolio eval\`)\n`));
  else process.stdout.write(`${formatTable(runTable(run))}\n\n`);
  const items = run.records.length;
  process.stdout.write(`${run.label} · split ${run.split} · ${items} questions · ${operationalLine(run)}\n`);
  process.stdout.write(color.dim(`MDE: the smallest difference a paired comparison on this many questions detects at α=${run.stats.alpha}, power 0.8.\n`));
  if (run.repeats) process.stdout.write(`${repeatReport(run)}\n`);
  if (run.riskCoverage) process.stdout.write(`${riskCoverageLine(run.riskCoverage, run.riskCoverage.operating)}\n`);
  process.stderr.write(`${color.green('✔')} run written to ${file}\n`);
}

/** `pipeline`: one already loaded (by `start`, which asks an example question with it afterwards). */
export async function runEvalCommand(command: Command, raw: unknown, pipeline?: Pipeline): Promise<RunFile> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError('--split must be dev, test or all; --repeat a whole number from 1 to 100.');
  const options = parsed.data;
  const project = await openProject(command);
  const progress = startProgress('evaluating');
  let result: Awaited<ReturnType<typeof runEval>>;
  try {
    result = await runEval(project, { split: options.split, label: options.label, repeat: options.repeat, ...(pipeline ? { pipeline } : {}), onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.stop();
  }
  if (result.resumed > 0) process.stderr.write(`resumed an interrupted run: ${result.resumed} questions reused\n`);
  if (options.json) printJson({ file: result.file, ...result.run });
  else printRun(result.run, result.file, options.brief);
  if (options.saveBaseline) process.stderr.write(`${color.green('✔')} baseline saved to ${await promoteBaseline(project, result.run)}\n`);
  return result.run;
}

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .option('--split <split>', 'dev, test or all (default: eval.split in the config, dev)')
    .option('--label <name>', 'name for the run (default: the retriever kind)')
    .option('--save-baseline', 'also make this run the baseline (evals/baseline.json)')
    .option('--json', 'print the run as JSON')
    .option('--repeat <n>', 'answer every question n times (non-deterministic generators): pass rate per question, flaky questions, hierarchical CIs')
    .action(async (options: unknown, command: Command) => {
      await runEvalCommand(command, options);
    });
}
