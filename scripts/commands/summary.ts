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
    .option('--check', 'write nothing; list the sentences still placeholders (no evidence for them yet) and exit 1 if any')
    .action(async (options: { check?: boolean }, command: Command) => {
      const project = await openProject(command);
      const input = await collectSummaryInput(project);
      if (!input.baseline) throw new UserError(`no baseline run yet, so there is nothing to report. Run first: ${missingArtefacts(input).join('; then ')}.`);
      const summary = renderSummary(input);
      if (options.check) {
        const { placeholders, claims } = summary.ledger;
        process.stdout.write(`${claims.length} claims with evidence, ${placeholders.length} placeholders\n${placeholders.map((p) => `  placeholder: ${p}\n`).join('')}`);
        if (placeholders.length > 0) process.exitCode = 1;
        return;
      }
      const docs = join(project.root, 'docs');
      await writeFileAtomic(join(docs, 'PROJECT_SUMMARY.md'), summary.markdown);
      await writeFileAtomic(join(docs, 'PROJECT_SUMMARY.html'), summary.html);
      for (const chart of summary.charts) await writeFileAtomic(join(docs, 'charts', chart.name), chart.svg);
      for (const hint of missingArtefacts(input)) process.stderr.write(`tip: also run ${hint}\n`);
      process.stdout.write(`${join(docs, 'PROJECT_SUMMARY.md')}\n${join(docs, 'PROJECT_SUMMARY.html')}\n`);
    });
}
