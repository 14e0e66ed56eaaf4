import type { Command } from 'commander';
import { loadPipeline } from '../../starter/pipeline.ts';
import { openProject } from '../cli/project.ts';
import { formatAnswer } from './ask.ts';
import { runIngest } from './ingest.ts';

const DEMO_QUESTIONS = ['What did President Bush say about Kuwait in 1991?', 'How did Obama propose to pay for clean energy research?', 'Who won the 2024 presidential election?'];

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('the main job: ingest the dataset, then run the demo')
    .action(async (_options: unknown, command: Command) => {
      await runIngest(command, {});
      const pipeline = await loadPipeline(await openProject(command));
      for (const q of DEMO_QUESTIONS) {
        process.stdout.write(`\n? ${q}\n${formatAnswer(await pipeline.ask(q), pipeline)}\n`);
      }
    });
}
