import type { Command } from 'commander';
import { z } from 'zod';
import { formatTraceStep } from '../../starter/answer/trace.ts';
import { MAX_QUESTION_CHARS } from '../../starter/ask.ts';
import { warmUpEmbeddings } from '../../starter/embeddings/warm-up.ts';
import { UserError } from '../../starter/errors.ts';
import type { AnswerRecord, Pipeline } from '../../starter/pipeline.ts';
import { color, printJson } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';
import { announceThreshold } from '../cli/threshold.ts';

const optionsSchema = z.object({ k: z.coerce.number().int().min(1).max(100).optional(), json: z.boolean().optional(), trace: z.boolean().optional() });

export function formatAnswer(record: AnswerRecord, pipeline: Pipeline, options: { trace?: boolean } = {}): string {
  // The short span (who/when/how many) first, then the quote it comes from.
  const lines = record.short ? [`${color.bold(record.short)}  ${color.dim('(from the quote below)')}`, record.answer, ''] : [color.bold(record.answer), ''];
  for (const id of record.citations) {
    const passage = pipeline.corpus.byId.get(id);
    if (passage) lines.push(`${color.cyan(`[${id}]`)} ${color.dim(passage.title)}`, `  ${passage.text}`, '');
  }
  const scores = record.retrieved.map((r) => `${r.passageIds[0] ?? r.chunkId} ${r.score.toFixed(3)}`).join(', ');
  lines.push(color.dim(`retrieved: ${scores}`), color.dim(`${record.latencyMs.toFixed(1)} ms (retrieval ${record.retrievalMs.toFixed(1)} ms)`));
  if (options.trace) {
    const { trace } = record;
    lines.push('', trace ? `steps (stopped: ${trace.stopped}):` : 'steps: one retrieval, one answer (this answerer takes no steps of its own)');
    for (const [i, step] of (trace?.steps ?? []).entries()) lines.push(`  ${formatTraceStep(step, i)}`);
  }
  return lines.join('\n');
}

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
      const { loadPipeline } = await import('../../starter/pipeline.ts');
      const pipeline = await loadPipeline(project);
      // After the pipeline loads, so an error (no index yet) stays the only line on stderr.
      const threshold = await announceThreshold(project);
      const { contexts: _contexts, ...record } = await pipeline.ask(question, { k: parsed.data.k });
      if (parsed.data.json) printJson({ ...record, ...(threshold ? { threshold } : {}) });
      else process.stdout.write(`${formatAnswer(record, pipeline, { trace: parsed.data.trace })}\n`);
    });
}
