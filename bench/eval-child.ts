/**
 * One side of the eval-throughput benchmark, in its own process so peak memory is its own:
 *   tsx bench/eval-child.ts ours|promptfoo <projectDir>
 * Prints one JSON line: {harness, questions, evalMs, wallMs, maxRssMB}.
 */
import { resolve } from 'node:path';
import { PROMPTFOO_ENV } from '../scripts/promptfoo.ts';
import { loadProjectConfig } from '../starter/config.ts';

const processStart = performance.now();
const [harness, dir] = process.argv.slice(2);
if ((harness !== 'ours' && harness !== 'promptfoo') || !dir) throw new Error('usage: eval-child.ts ours|promptfoo <projectDir>');
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
} else {
  // promptfoo reads its settings from the environment at import time.
  Object.assign(process.env, PROMPTFOO_ENV, { PROMPTFOO_CONFIG_DIR: resolve(root, '.promptfoo') });
  process.chdir(root);
  const { evaluate } = await import('promptfoo');
  const { default: generateTests } = await import('../evals/promptfoo/tests.ts');
  const tests = await generateTests();
  const start = performance.now();
  const result = await evaluate({ prompts: ['{{question}}'], providers: [`file://${resolve(import.meta.dirname, '../evals/promptfoo/provider.ts')}`], tests }, {
    maxConcurrency: 1,
    cache: false,
    showProgressBar: false,
    writeLatestResults: false,
  } as Parameters<typeof evaluate>[1]);
  evalMs = performance.now() - start;
  questions = (await result.toEvaluateSummary()).results.length;
}
const wallMs = performance.now() - processStart;
process.stdout.write(`${JSON.stringify({ harness, questions, evalMs, wallMs, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
process.exit(0);
