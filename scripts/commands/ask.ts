import type { Command } from 'commander';
import { z } from 'zod';
import { MAX_QUESTION_CHARS } from '../../starter/ask.ts';
import { warmUpEmbeddings } from '../../starter/embeddings/warm-up.ts';
import { UserError } from '../../starter/errors.ts';
import { openProject } from '../cli/project.ts';

const optionsSchema = z.object({ k: z.coerce.number().int().min(1).max(100).optional(), json: z.boolean().optional(), trace: z.boolean().optional() });

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .argument('<question...>', 'the question (quote it, or pass it as several words)')
    .option('-k, --k <n>', 'passages to retrieve (default: retriever.k from the config)')
    .option('--json', 'print the answer record as JSON')
    .option('--trace', 'show every step an agent or planner took (tool calls, queries, latency, tokens)')
    .action(async (words: string[], raw: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError('--k must be a whole number from 1 to 100.');
      const project = await openProject(command);
      const question = words.join(' ');
      // The question's embedding starts on a worker thread before the pipeline's modules and files load (most of a new
      // process's start); a question createAsk will refuse is not sent.
      const asked = question.trim();
      if (asked && asked.length <= MAX_QUESTION_CHARS) await warmUpEmbeddings(project.config.embeddings, asked);
      // Everything else loads now, beside the model: this module imports only what finding the project needs.
      const [{ loadPipeline }, { announceThreshold }, { printJson }, { formatAnswer }] = await Promise.all([
        import('../../starter/pipeline.ts'),
        import('../cli/threshold.ts'),
        import('../cli/output.ts'),
        import('../cli/format-answer.ts'),
      ]);
      const pipeline = await loadPipeline(project);
      // After the pipeline loads, so an error (no index yet) stays the only line on stderr.
      const threshold = await announceThreshold(project);
      const { contexts: _contexts, ...record } = await pipeline.ask(question, { k: parsed.data.k });
      if (parsed.data.json) printJson({ ...record, ...(threshold ? { threshold } : {}) });
      else process.stdout.write(`${formatAnswer(record, pipeline, { trace: parsed.data.trace })}\n`);
    });
}
