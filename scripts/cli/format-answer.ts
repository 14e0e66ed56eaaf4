import { formatTraceStep } from '../../starter/answer/trace.ts';
import type { AnswerRecord, Pipeline } from '../../starter/pipeline.ts';
import { color } from './output.ts';

/** An answer record as `ask` and `start` print it on a terminal: the short span, the quote, its sources, the retrieval. */
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
