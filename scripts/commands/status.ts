import type { Command } from 'commander';
import { formatTable } from '../../evals/report/table.ts';
import { projectStatus } from '../../evals/status.ts';
import { color, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .option('--json', 'print the milestones as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const milestones = await projectStatus(await openProject(command));
      if (options.json) return printJson(milestones);
      const rows = milestones.map((m) => [m.stage, m.done ? color.green('✔ done') : color.yellow('○ to do'), m.milestone, m.evidence]);
      process.stdout.write(`${formatTable({ header: ['stage', 'state', 'milestone', 'evidence / next step'], rows })}\n`);
    });
}
