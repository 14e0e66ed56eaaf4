import { join } from 'node:path';
import type { Command } from 'commander';
import { missingArtefacts, renderSummary } from '../../evals/report/summary.ts';
import { collectSummaryInput } from '../../evals/report/summary-input.ts';
import { UserError } from '../../starter/errors.ts';
import { writeFileAtomic } from '../../starter/fs-atomic.ts';
import { openProject } from '../cli/project.ts';

export function registerSummaryCommand(program: Command): void {
  program
    .command('summary')
    .option('--check', 'write nothing; list the sentences left out for lack of evidence and exit 1 if any')
    .action(async (options: { check?: boolean }, command: Command) => {
      const project = await openProject(command);
      const input = await collectSummaryInput(project);
      if (!input.baseline) throw new UserError(`no baseline run yet, so there is nothing to report. Run first: ${missingArtefacts(input).join('; then ')}.`);
      const summary = renderSummary(input);
      if (options.check) {
        const { omitted, claims } = summary.ledger;
        process.stdout.write(`${claims.length} claims with evidence, ${omitted.length} left out\n${omitted.map((p) => `  left out: ${p}\n`).join('')}`);
        if (omitted.length > 0) process.exitCode = 1;
        return;
      }
      const docs = join(project.root, 'docs');
      await writeFileAtomic(join(docs, 'PROJECT_SUMMARY.md'), summary.markdown);
      await writeFileAtomic(join(docs, 'PROJECT_SUMMARY.html'), summary.html);
      for (const chart of summary.charts) await writeFileAtomic(join(docs, 'charts', chart.name), chart.svg);
      // The iteration log's numbers cite this file: it is written with the write-up that prints them.
      if (input.iterations) await writeFileAtomic(join(project.root, input.iterations.file), `${JSON.stringify(input.iterations.value, null, 2)}\n`);
      for (const what of summary.ledger.omitted) process.stderr.write(`left out (no evidence yet): ${what}\n`);
      for (const hint of missingArtefacts(input)) process.stderr.write(`tip: also run ${hint}\n`);
      process.stdout.write(`${join(docs, 'PROJECT_SUMMARY.md')}\n${join(docs, 'PROJECT_SUMMARY.html')}\n`);
    });
}
