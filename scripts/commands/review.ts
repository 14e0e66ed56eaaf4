import { basename } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { createLatestRunReader } from '../../evals/latest-run.ts';
import { formatTable } from '../../evals/report/table.ts';
import { type AgreementReport, agreementReport } from '../../evals/review/agreement.ts';
import { agreementPath, labelsDigest, labelsPath, readLabels } from '../../evals/review/labels.ts';
import { locateRunFile, openReviewSource } from '../../evals/review/open.ts';
import { DEFAULT_SAMPLE_SIZE, orderForReview } from '../../evals/review/queue.ts';
import { agreementSentence, agreementTable, categoryTable, sampleSentence } from '../../evals/review/render.ts';
import { readRunFile } from '../../evals/run-file.ts';
import { UserError } from '../../starter/errors.ts';
import { writeJsonAtomic } from '../../starter/fs-atomic.ts';
import { projectPaths } from '../../starter/paths.ts';
import { startServer } from '../../starter/server/start.ts';
import { color, printJson } from '../cli/output.ts';
import type { GlobalOptions } from '../cli/project.ts';
import { openProject } from '../cli/project.ts';

const optionsSchema = z.object({
  report: z.boolean().optional(),
  json: z.boolean().optional(),
  sample: z.coerce.number().int().min(0).max(100_000),
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().trim().min(1),
});

export function registerReviewCommand(program: Command): void {
  program
    .command('review')
    .argument('[run]', 'run file, "latest" or "baseline" (default: the newest run, else the baseline)')
    .option('--report', 'print the agreement of each automatic grader with evals/labels.jsonl (and write it to evals/agreement.json for the write-up) instead of starting the page')
    .option('--json', 'with --report: print the report as JSON')
    .option('--sample <n>', 'size of the random sample offered for an unbiased accuracy estimate', String(DEFAULT_SAMPLE_SIZE))
    .option('-p, --port <n>', 'port for the page (0 picks a free one)', '3000')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (ref: string | undefined, raw: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError('--sample must be a whole number ≥ 0, --port from 0 to 65535, --host an address such as 127.0.0.1.');
      const options = parsed.data;
      const project = await openProject(command);
      const runFile = await locateRunFile(project, ref);
      if (!runFile) throw new UserError(`${projectPaths(project).runs}: no runs and no evals/baseline.json. Run \`ragfolio eval\` first.`);

      if (options.report) {
        const run = await readRunFile(runFile);
        const file = labelsPath(project.root);
        const labels = await readLabels(file);
        const { sample } = orderForReview(run.records, run.riskCoverage?.threshold, options.sample);
        const report = agreementReport(run, basename(runFile), labels, await labelsDigest(file), sample);
        // The write-up reads its numbers from this file, as it reads the others from run files.
        if (report.n > 0) await writeJsonAtomic(agreementPath(project.root), report);
        if (options.json) printJson(report);
        else process.stdout.write(renderReport(report, labelsPath(project.root)));
        return;
      }

      const { verbose } = command.optsWithGlobals<GlobalOptions>();
      const log = (line: string) => process.stderr.write(`ragfolio review: ${line}\n`);
      const review = openReviewSource(project, runFile, options.sample);
      await review.load(); // a bad run file or eval set fails here, with its one-line error, not on the page
      const server = await startServer({ project, port: options.port, host: options.host, verbose, log, review, readLatestRun: createLatestRunReader(projectPaths(project).runs) });
      const url = new URL('review', server.url).href;
      process.stdout.write(`${url}\n`);
      log(`reviewing ${basename(runFile)} at ${url}; labels go to ${labelsPath(project.root)} (Ctrl-C to stop)`);
      if (!['127.0.0.1', '::1', 'localhost'].includes(options.host)) log(`${options.host} is reachable from other machines, and anyone who reaches it can write your labels.`);
      await new Promise<void>((resolve) => {
        const stop = () => server.close({ graceMs: 2_000 }).then(resolve, resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

function renderReport(report: AgreementReport, labelsFile: string): string {
  if (report.n === 0) return `${report.run}: no record carries a label in ${labelsFile} yet. Label some with \`ragfolio review\`.\n`;
  const l = report.labels;
  const lines = [
    `${report.run}: ${report.n} labelled records (${l.right} right, ${l.wrong} wrong, ${l.should_abstain} should have abstained, ${l.gold_wrong} gold wrong).`,
    '',
    formatTable(agreementTable(report)),
    color.dim('Against your labels: "right" (gold-wrong labels left out), or for `abstained` "should have abstained". κ: Cohen\'s kappa, percentile bootstrap 95% CI over the labelled records.'),
    ...Object.entries(report.metrics).map(([name, m]) => agreementSentence(name, m)),
  ];
  const sample = sampleSentence(report);
  if (sample) lines.push('', sample);
  if (report.categories.length) lines.push('', formatTable(categoryTable(report)), color.dim('Failure categories over the labelled answers not marked right; Wilson 95% intervals.'));
  return `${lines.join('\n')}\n`;
}
