import type { Command } from 'commander';
import { z } from 'zod';
import { leaderboardTable, parseGrid, runExperiment } from '../../evals/experiment.ts';
import { formatTable } from '../../evals/report/table.ts';
import { UserError } from '../../starter/errors.ts';
import { interactive, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';

const optionsSchema = z.object({ grid: z.array(z.string()), split: z.enum(['dev', 'test', 'all']), sort: z.string().optional(), json: z.boolean().optional() });

export function registerExperimentCommand(program: Command): void {
  program
    .command('experiment')
    .description('sweep configurations on the dev split and write a leaderboard with CIs and paired tests')
    .requiredOption('--grid <key=values...>', 'axes to sweep, e.g. chunkSize=200,400,800 k=3,5,10 retriever=dense,bm25,hybrid')
    .option('--split <split>', 'dev, test or all', 'dev')
    .option('--sort <metric>', 'metric to rank by (default: the first gated metric)')
    .option('--json', 'print the leaderboard as JSON')
    .action(async (raw: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError('--split must be dev, test or all.');
      const project = await openProject(command);
      const axes = parseGrid(parsed.data.grid);
      const board = await runExperiment(project, axes, {
        split: parsed.data.split,
        sortBy: parsed.data.sort,
        onStep: (message) => {
          if (interactive) process.stderr.write(`${message}\n`);
        },
      });
      if (parsed.data.json) printJson(board);
      else {
        process.stdout.write(`${formatTable(leaderboardTable(board, project.config.eval.gate.metrics))}\n\n`);
        process.stdout.write(`${board.files.markdown}\n${board.files.json}\n`);
      }
    });
}
