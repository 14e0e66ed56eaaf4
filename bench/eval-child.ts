/**
 * One side of the eval-throughput and experiment-grid benchmarks, in its own process so peak memory is its own:
 *   tsx bench/eval-child.ts ours|promptfoo|pipeline <projectDir>
 *   tsx bench/eval-child.ts grid-ours|grid-promptfoo <projectDir> <grid spec JSON, e.g. ["k=5,10","retriever=bm25,hybrid"]>
 * `pipeline` only asks every question (no scoring, stats or files): the floor any harness pays.
 * Prints one JSON line: {harness, questions, evalMs, wallMs, cpuMs, maxRssMB} (+ configs, cases and the grid's stage counts).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { readRunFile } from '../evals/run-file.ts';
import { ensurePromptfoo, PROMPTFOO_ENV } from '../scripts/promptfoo.ts';
import { loadProjectConfig } from '../starter/config.ts';

interface PromptfooLibrary {
  evaluate(
    suite: { prompts: string[]; providers: Array<string | { id: string; label: string; config: unknown }>; tests: unknown },
    options: { maxConcurrency: number; cache?: boolean; showProgressBar: boolean; writeLatestResults: boolean },
  ): Promise<{ toEvaluateSummary(): Promise<{ results: Array<{ failureReason: number; error?: unknown; response?: { cached?: boolean } }> }> }>;
  ResultFailureReason: { ERROR: number };
}

const processStart = performance.now();
const HARNESSES = ['ours', 'promptfoo', 'pipeline', 'grid-ours', 'grid-promptfoo'] as const;
const [harness, dir, gridSpec] = process.argv.slice(2) as [(typeof HARNESSES)[number] | undefined, string | undefined, string | undefined];
if (!harness || !HARNESSES.includes(harness) || !dir) throw new Error(`usage: eval-child.ts ${HARNESSES.join('|')} <projectDir> [grid JSON]`);
const root = resolve(dir);
const grid = gridSpec ? z.array(z.string()).parse(JSON.parse(gridSpec)) : [];

let questions = 0;
let evalMs = 0;
let extra: Record<string, unknown> = {};
if (harness === 'ours') {
  const { runEval } = await import('../evals/run.ts');
  const project = await loadProjectConfig(root);
  const start = performance.now();
  const { run } = await runEval(project, { split: 'all', label: 'bench-ours', runsDir: resolve(root, 'runs') });
  evalMs = performance.now() - start;
  questions = run.records.length;
} else if (harness === 'grid-ours') {
  const { parseGrid, runExperiment } = await import('../evals/experiment.ts');
  const { builtGridWorker } = await import('../scripts/cli/build-cli.mjs');
  const project = await loadProjectConfig(root);
  // The grid threads start as `ragfolio experiment` starts them: from the CLI build (made in the section's setup).
  const gridWorker = await builtGridWorker(resolve(import.meta.dirname, '..'));
  const start = performance.now();
  // When the last question's stages (question vectors, retrievals, answers) are computed; the evaluation ends the rest.
  let computed: number | undefined;
  // Question vectors come from the project's query cache: empty on the first run in a new bench project.
  const board = await runExperiment(project, parseGrid(grid), {
    split: 'all',
    gridWorker,
    onProgress: (p) => {
      if (p.stage === 'prefetch' && p.done === p.total) computed = performance.now();
    },
  });
  evalMs = performance.now() - start;
  const { records } = await readRunFile(board.baseline.runFile);
  questions = records.length;
  const stagesMs = (computed ?? start) - start;
  extra = {
    gridWorker: gridWorker ? 'build' : 'tsx',
    configs: board.rows.length + 1,
    cases: questions * (board.rows.length + 1),
    stages: board.stages,
    phasesMs: { stages: stagesMs, evaluation: evalMs - stagesMs },
  };
} else if (harness === 'pipeline') {
  const { loadPipeline } = await import('../starter/pipeline.ts');
  const { loadEvalset } = await import('../evals/evalset.ts');
  const { projectPaths } = await import('../starter/paths.ts');
  const project = await loadProjectConfig(root);
  // Timed like the harnesses: both load the pipeline inside their eval time (promptfoo on its first case).
  const start = performance.now();
  const pipeline = await loadPipeline(project, { shippedQuestions: true });
  const { items } = await loadEvalset(projectPaths(project).evalset, new Set(pipeline.corpus.byId.keys()));
  const depth = Math.max(...project.config.eval.ks);
  // Same warm-up as runEval: a retrieval before the loop (it loads the model only if the question's vectors do not ship).
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
  const providers = harness === 'grid-promptfoo' ? await gridProviders(root, grid) : [`file://${resolve(import.meta.dirname, '../evals/promptfoo/provider.ts')}`];
  const start = performance.now();
  const result = await evaluate(
    { prompts: ['{{question}}'], providers, tests },
    {
      maxConcurrency: 1,
      // The grid runs with promptfoo's cache on, as its users have it by default.
      ...(harness === 'grid-promptfoo' ? {} : { cache: false }),
      showProgressBar: false,
      writeLatestResults: false,
    },
  );
  evalMs = performance.now() - start;
  const summary = await result.toEvaluateSummary();
  // An assertion that cannot load fails fast: a benchmark of errors would flatter promptfoo's speed.
  const errors = summary.results.filter((r) => r.failureReason === ResultFailureReason.ERROR);
  if (errors.length > 0) throw new Error(`promptfoo: ${errors.length} test(s) errored, e.g. ${String(errors[0]?.error).slice(0, 200)}`);
  questions = tests.length;
  if (harness === 'grid-promptfoo') {
    extra = { configs: providers.length, cases: summary.results.length, cacheHits: summary.results.filter((r) => r.response?.cached === true).length };
  } else questions = summary.results.length;
}
const wallMs = performance.now() - processStart;
const usage = process.resourceUsage();
// CPU time over every thread of the process: on a shared machine it moves less with the load than wall time does.
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ harness, questions, evalMs, wallMs, cpuMs, maxRssMB: usage.maxRSS / 1024, ...extra })}\n`);
process.exit(0);

/** One promptfoo provider per grid configuration (bench/grid-provider.ts), labelled like the grid's run files. */
async function gridProviders(projectRoot: string, specs: readonly string[]) {
  const { gridPoints, parseGrid } = await import('../evals/experiment.ts');
  const points = gridPoints(await loadProjectConfig(projectRoot), parseGrid(specs));
  const id = `file://${resolve(import.meta.dirname, 'grid-provider.ts')}`;
  return points.map((p) => ({ id, label: p.label, config: { ragfolio: p.project.config, root: projectRoot } }));
}
