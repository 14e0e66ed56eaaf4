/**
 * One side of the eval-throughput benchmark, in its own process so peak memory is its own:
 *   tsx bench/eval-child.ts ours|promptfoo|pipeline <projectDir>
 * `pipeline` only asks every question (no scoring, stats or files): the floor any harness pays.
 * Prints one JSON line: {harness, questions, evalMs, wallMs, maxRssMB}.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensurePromptfoo, PROMPTFOO_ENV } from '../scripts/promptfoo.ts';
import { loadProjectConfig } from '../starter/config.ts';

interface PromptfooLibrary {
  evaluate(
    suite: { prompts: string[]; providers: string[]; tests: unknown },
    options: { maxConcurrency: number; cache: boolean; showProgressBar: boolean; writeLatestResults: boolean },
  ): Promise<{ toEvaluateSummary(): Promise<{ results: Array<{ failureReason: number; error?: unknown }> }> }>;
  ResultFailureReason: { ERROR: number };
}

const processStart = performance.now();
const [harness, dir] = process.argv.slice(2);
if ((harness !== 'ours' && harness !== 'promptfoo' && harness !== 'pipeline') || !dir) throw new Error('usage: eval-child.ts ours|promptfoo|pipeline <projectDir>');
const root = resolve(dir);

let questions = 0;
let evalMs = 0;
if (harness === 'ours') {
  const { runEval } = await import('../evals/run.ts');
  const project = await loadProjectConfig(root);
  const start = performance.now();
  const { run } = await runEval(project, { split: 'all', label: 'bench-ours', runsDir: resolve(root, 'runs') });
  evalMs = performance.now() - start;
  questions = run.records.length;
} else if (harness === 'pipeline') {
  const { loadPipeline } = await import('../starter/pipeline.ts');
  const { loadEvalset } = await import('../evals/evalset.ts');
  const { projectPaths } = await import('../starter/paths.ts');
  const project = await loadProjectConfig(root);
  // Timed like the harnesses: both load the pipeline inside their eval time (promptfoo on its first case).
  const start = performance.now();
  const pipeline = await loadPipeline(project);
  const { items } = await loadEvalset(projectPaths(project).evalset, new Set(pipeline.corpus.byId.keys()));
  const depth = Math.max(...project.config.eval.ks);
  // Same warm-up as runEval: the embedding model loads before the loop.
  if (items[0]) await pipeline.retriever.retrieve(items[0].question, 1);
  for (const item of items) await pipeline.ask(item.question, { depth });
  evalMs = performance.now() - start;
  questions = items.length;
} else {
  // promptfoo reads its settings from the environment at import time.
  Object.assign(process.env, PROMPTFOO_ENV, { PROMPTFOO_CONFIG_DIR: resolve(root, '.promptfoo') });
  process.chdir(root);
  // promptfoo is installed on first use (scripts/promptfoo.ts), so it has no types here: the few parts used.
  const { evaluate, ResultFailureReason } = (await import(pathToFileURL(ensurePromptfoo()).href)) as PromptfooLibrary;
  const { default: generateTests } = await import('../evals/promptfoo/tests.ts');
  const tests = await generateTests();
  const start = performance.now();
  const result = await evaluate(
    { prompts: ['{{question}}'], providers: [`file://${resolve(import.meta.dirname, '../evals/promptfoo/provider.ts')}`], tests },
    {
      maxConcurrency: 1,
      cache: false,
      showProgressBar: false,
      writeLatestResults: false,
    },
  );
  evalMs = performance.now() - start;
  const summary = await result.toEvaluateSummary();
  // An assertion that cannot load fails fast: a benchmark of errors would flatter promptfoo's speed.
  const errors = summary.results.filter((r) => r.failureReason === ResultFailureReason.ERROR);
  if (errors.length > 0) throw new Error(`promptfoo: ${errors.length} test(s) errored, e.g. ${String(errors[0]?.error).slice(0, 200)}`);
  questions = summary.results.length;
}
const wallMs = performance.now() - processStart;
process.stdout.write(`${JSON.stringify({ harness, questions, evalMs, wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exit(0);
