import type { Command } from 'commander';
import { runEvalCommand } from './eval.ts';
import { runIngest } from './ingest.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the main job: ingest the dataset, then evaluate it (the table with 95% CIs and MDE)')
    .action(async (_options: unknown, command: Command) => {
      await runIngest(command, {});
      await runEvalCommand(command, {});
    });
}
