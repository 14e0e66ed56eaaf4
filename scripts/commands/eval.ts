import { relative } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { promoteBaseline } from '../../evals/baseline.ts';
import { abstentionLine } from '../../evals/calibrate.ts';
import { mdeMeaning, underpoweredWarning } from '../../evals/gate-plan.ts';
import { riskCoverageLine } from '../../evals/report/risk-coverage-chart.ts';
import { formatTable, operationalLine, repeatReport, runTable } from '../../evals/report/table.ts';
import { runEval } from '../../evals/run.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { UserError } from '../../starter/errors.ts';
import { describeZodError } from '../../starter/jsonl.ts';
import type { Pipeline } from '../../starter/pipeline.ts';
import { color, printJson, startProgress } from '../cli/output.ts';
import { type GlobalOptions, openProject } from '../cli/project.ts';
import { announceThreshold } from '../cli/threshold.ts';

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
  if (run.gatePlan) {
    process.stdout.write(color.dim(`${mdeMeaning(run.gatePlan)}\n`));
    // The same warning `compare` prints for this baseline: the plan depends on this run alone.
    for (const m of run.gatePlan.metrics) if (m.questionsForMargin !== null) process.stdout.write(`${color.yellow('!')} ${underpoweredWarning(m, run.gatePlan)}\n`);
  }
  if (run.repeats) process.stdout.write(`${repeatReport(run)}\n`);
  if (run.riskCoverage) process.stdout.write(`${riskCoverageLine(run.riskCoverage, run.riskCoverage.operating)}\n`);
  const abstention = run.abstention && abstentionLine(run.abstention, run.split);
  if (abstention) process.stdout.write(`${abstention}\n`);
  process.stderr.write(`${color.green('✔')} run written to ${file}\n`);
}

/** The one option that is wrong, with its value and what it takes (commander gives strings and booleans, so only these two can be). */
function optionError(error: z.ZodError, raw: unknown): string {
  const field = error.issues[0]?.path[0];
  const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[String(field)] : undefined;
  if (field === 'repeat') return `--repeat ${given}: give a whole number of repeats from 1 to 100.`;
  if (field === 'split') return `--split ${given}: give dev, test or all.`;
  return describeZodError(error);
}

/** A value as one shell word: plain when it is safe, single-quoted otherwise. */
const shellWord = (value: string) => (/^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`);

/** The command that runs the same eval again (same project, config, split, label and repeats), so it resumes. */
function evalCommandLine(command: Command, options: EvalCommandOptions): string {
  const { project, config } = command.optsWithGlobals<GlobalOptions>();
  const option = (flag: string, value: string | number | undefined) => (value === undefined ? [] : [flag, shellWord(String(value))]);
  return [
    'npx ragfolio',
    ...option('-C', project),
    ...option('--config', config),
    'eval',
    ...option('--split', options.split),
    ...option('--label', options.label),
    ...option('--repeat', options.repeat),
  ].join(' ');
}

/** `pipeline`: one already loaded (by `start`, which asks an example question with it afterwards). */
export async function runEvalCommand(command: Command, raw: unknown, pipeline?: Pipeline): Promise<RunFile> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(optionError(parsed.error, raw));
  const options = parsed.data;
  const project = await openProject(command);
  const progress = startProgress('evaluating');
  let result: Awaited<ReturnType<typeof runEval>>;
  try {
    result = await runEval(project, {
      split: options.split,
      label: options.label,
      repeat: options.repeat,
      ...(pipeline ? { pipeline } : {}),
      onProgress: (d, t) => progress.update(d, t),
      resumeCommand: evalCommandLine(command, options),
      onResume: (kept, total, file) => process.stderr.write(`resuming a stopped run: ${kept} of ${total} questions answered last time are kept (${relative(project.root, file)})\n`),
    });
  } finally {
    progress.stop();
  }
  await announceThreshold(project);
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
    .option('--repeat <n>', 'answer every question n times (non-deterministic generators): pass rate per question, flaky questions, CIs over questions of their means')
    .action(async (options: unknown, command: Command) => {
      await runEvalCommand(command, options);
    });
}
