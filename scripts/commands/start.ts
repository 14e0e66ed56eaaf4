import type { Command } from 'commander';
import { fmt, fmtCi, formatTable } from '../../evals/report/table.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { loadPipeline, type Pipeline } from '../../starter/pipeline.ts';
import { formatAnswer } from '../cli/format-answer.ts';
import { color } from '../cli/output.ts';
import { openProject } from '../cli/project.ts';
import { runEvalCommand } from './eval.ts';
import { runIngest } from './ingest.ts';

/** The metrics a newcomer reads first; the run file and `ragfolio eval` hold the rest. */
const HEADLINE = ['hit@5', 'ndcg@10', 'contains', 'f1', 'abstain_correct', 'false_abstention'];

export function registerStartCommand(program: Command): void {
  program.command('start').action(async (_options: unknown, command: Command) => {
    await runIngest(command, {});
    // Loaded once for the eval and the example: loading the model twice was a second of the first run.
    const pipeline = await loadPipeline(await openProject(command));
    const run = await runEvalCommand(command, { brief: true }, pipeline);
    process.stdout.write(`\n${formatTable(headlineTable(run))}\n`);
    await showExample(run, pipeline);
    process.stdout.write(`\n${color.bold('Next')}\n`);
    process.stdout.write(`  npx ragfolio ask "your question"     a cited answer from the corpus\n`);
    process.stdout.write(`  npx ragfolio serve                    the demo page at http://127.0.0.1:3000\n`);
    process.stdout.write(`  npx ragfolio summary                  the interview write-up from your runs\n`);
  });
}

function headlineTable(run: RunFile) {
  return {
    header: ['metric', 'value', '95% CI', 'n'],
    rows: HEADLINE.flatMap((metric) => {
      const a = run.aggregates[metric];
      return a ? [[metric, fmt(a.mean), fmtCi(a.ci95), String(a.n)]] : [];
    }),
  };
}

/** One eval question the run answered correctly, asked again live: what the product does, with its citation. */
async function showExample(run: RunFile, pipeline: Pipeline): Promise<void> {
  // A crisp one: answered right with a short span from a single source, the shortest such question.
  const record = run.records
    .filter((r) => r.type !== 'unanswerable' && !r.abstained && r.metrics.contains === 1 && r.citations.length === 1 && r.short)
    .sort((a, b) => a.question.length - b.question.length)[0];
  if (!record) return;
  const { contexts: _contexts, ...answer } = await pipeline.ask(record.question);
  process.stdout.write(`\n${color.bold('Example')} ${color.dim(`(eval question ${record.id}, ${run.split} split)`)}\n${color.cyan(`? ${record.question}`)}\n${formatAnswer(answer, pipeline)}\n`);
}
