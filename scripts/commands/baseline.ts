import type { Command } from 'commander';
import { promoteBaseline } from '../../evals/baseline.ts';
import { readRunFile } from '../../evals/run-file.ts';
import { openProject } from '../cli/project.ts';

export function registerBaselineCommand(program: Command): void {
  const baseline = program.command('baseline');
  baseline
    .command('promote')
    .description('make a run the baseline (writes evals/baseline.json)')
    .argument('<run>', 'path to a run file under runs/')
    .action(async (runPath: string, _options: unknown, command: Command) => {
      const project = await openProject(command);
      const file = await promoteBaseline(project, await readRunFile(runPath));
      process.stdout.write(`${file}\n`);
    });
}
