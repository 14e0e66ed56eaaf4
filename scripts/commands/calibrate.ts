import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import {
  type Calibration,
  calibrateAbstention,
  DEFAULT_TARGET,
  FALLBACK_CONFIDENCE,
  FALLBACK_FILE,
  type FallbackFile,
  fallbackAbstention,
  fallbackFileSchema,
  type Share,
  withAbstention,
} from '../../evals/calibrate.ts';
import { UNANSWERABLE_TYPE } from '../../evals/metrics/answer.ts';
import { runEval } from '../../evals/run.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { conformalThreshold } from '../../evals/stats/conformal.ts';
import { abstentionThreshold, thresholdLine } from '../../starter/abstention-threshold.ts';
import { type Abstention, CONFIG_FILE, loadProjectConfig, type ProjectConfig, parseConfig } from '../../starter/config.ts';
import { UserError } from '../../starter/errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../../starter/fs-atomic.ts';
import { ingest } from '../../starter/ingest.ts';
import { describeZodError } from '../../starter/jsonl.ts';
import { color, printJson, startProgress } from '../cli/output.ts';
import { type GlobalOptions, openProject } from '../cli/project.ts';

const optionsSchema = z.object({
  target: z.coerce.number().gt(0).lt(1).default(DEFAULT_TARGET),
  json: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  fallback: z.array(z.string()).min(1).optional(),
});
type Options = z.infer<typeof optionsSchema>;

const pct = (s: Share) => `${s.k}/${s.n} = ${s.p.toFixed(3)} [${s.lo.toFixed(3)}, ${s.hi.toFixed(3)}]`;

/** Answer the dev split with the project's pipeline (a run file is kept as the evidence). */
async function runDev(project: ProjectConfig, label: string): Promise<{ run: RunFile; file: string }> {
  const progress = startProgress(`${label}: answering the dev split`);
  try {
    return await runEval(project, { split: 'dev', label, onProgress: (d, t) => progress.update(d, t) });
  } finally {
    progress.stop();
  }
}

async function readFallback(root: string): Promise<FallbackFile | undefined> {
  const file = join(root, FALLBACK_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = fallbackFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new UserError(`${file}: ${describeZodError(parsed.error)}. Restore it from the kit or re-create it with \`ragfolio calibrate --fallback <datasets…>\`.`);
  return parsed.data;
}

/** Calibrate the project's own threshold on its dev split, or fall back when it has too few unanswerable questions. */
async function calibrateProject(command: Command, options: Options): Promise<void> {
  if (command.optsWithGlobals<GlobalOptions>().config) throw new UserError(`calibrate writes ${CONFIG_FILE}: run it without --config.`);
  const project = await openProject(command);
  if (project.config.generator.provider !== 'extractive') throw new UserError(`${CONFIG_FILE}: generator.provider is "openai": only the extractive answerer has an abstention threshold to calibrate.`);
  const { run, file: runFile } = await runDev(project, 'calibrate');
  const calibration: Calibration = calibrateAbstention(run.records, {
    target: options.target,
    evalsetHash: run.evalsetHash,
    calibratedAt: new Date().toISOString(),
    confidence: project.config.generator.confidence,
  });
  let abstention: Abstention;
  if (calibration.ok) abstention = calibration.abstention;
  else {
    const fallback = await readFallback(project.root);
    const few = `this project's dev split has ${calibration.n} unanswerable questions, fewer than the ${calibration.needed} a calibration needs`;
    if (!fallback)
      throw new UserError(`${few}, and there is no ${FALLBACK_FILE} to fall back on. Add unanswerable questions to the dev split (docs/month-3-evals.md) or set generator.minScore by hand.`);
    abstention = fallbackAbstention(fallback, few);
  }
  const configFile = join(project.root, CONFIG_FILE);
  const updated = withAbstention(JSON.parse((await readFile(configFile, 'utf8')).replace(/^\uFEFF/, '')), abstention, configFile);
  if (!options.dryRun) await writeJsonAtomic(configFile, updated);
  const threshold = abstentionThreshold(parseConfig(updated, configFile).generator, run.evalsetHash);
  if (options.json) {
    printJson({
      run: runFile,
      config: options.dryRun ? undefined : configFile,
      abstention,
      ...(calibration.ok ? { dev: calibration.dev } : { unanswerable: calibration.n, needed: calibration.needed }),
      threshold,
    });
    return;
  }
  if (calibration.ok) {
    const a = calibration.abstention;
    const { dev } = calibration;
    process.stdout.write(
      `${[
        `minScore ${a.minScore}: just above the confidence of rank k = ⌈(n+1)(1−${a.target})⌉ = ${a.rank} (ascending) among the n = ${a.n} unanswerable dev questions`,
        `guarantee: a new unanswerable question, exchangeable with these, is answered with probability ≤ ${a.bound.toFixed(3)} ≤ target ${a.target} (marginal, finite-sample)`,
        `dev at this threshold (Wilson 95%): unanswerable answered ${pct(dev.unanswerableAnswered)} · false_abstention ${pct(dev.falseAbstention)}${dev.contains ? ` · contains ${pct(dev.contains)}` : ''}`,
      ].join('\n')}\n`,
    );
  }
  if (threshold) process.stderr.write(`${thresholdLine(threshold)}\n`);
  process.stderr.write(`${color.green('✔')} dev run ${runFile}; ${options.dryRun ? 'dry run: config not written' : `${configFile} updated (generator.minScore, generator.abstention)`}\n`);
}

/** Kit maintenance: pool the unanswerable dev questions of bundled datasets into the fallback every new project gets. */
async function calibrateFallback(command: Command, options: Options, datasets: readonly string[]): Promise<void> {
  const root = (await openProject(command)).root;
  const scores: number[] = [];
  const sources: FallbackFile['sources'] = [];
  for (const dataset of datasets) {
    const relative = resolve(root, dataset).slice(root.length + 1) || dataset;
    if (!existsSync(join(root, relative, 'evalset.jsonl'))) throw new UserError(`${dataset}: no evalset.jsonl there. Pass dataset folders of this kit, e.g. datasets/fastify-docs.`);
    // Each dataset gets its own data folder, so the project's index is never rebuilt for another corpus.
    const project = await loadProjectConfig(root, (c) => ({
      ...c,
      dataset: relative,
      dataDir: join(c.dataDir, 'calibrate', basename(relative)),
      ...(c.generator.provider === 'extractive' ? { generator: { ...c.generator, confidence: FALLBACK_CONFIDENCE } } : {}),
    }));
    if (project.config.generator.provider !== 'extractive') throw new UserError(`${CONFIG_FILE}: the fallback is calibrated with the extractive answerer; set generator.provider to "extractive".`);
    await ingest(project);
    const { run } = await runDev(project, `calibrate-${basename(relative)}`);
    const own = run.records.filter((r) => r.type === UNANSWERABLE_TYPE).map((r) => r.confidence ?? 0);
    scores.push(...own);
    sources.push({ dataset: relative, evalsetHash: run.evalsetHash, n: own.length });
  }
  const t = conformalThreshold(scores, options.target);
  if (!t) throw new UserError(`${datasets.join(', ')}: ${scores.length} unanswerable dev questions in all, too few for target ${options.target}. Add unanswerable dev questions to these eval sets.`);
  const fallback: FallbackFile = { minScore: t.threshold, target: t.target, bound: t.bound, n: t.n, rank: t.rank, sources, calibratedAt: new Date().toISOString(), confidence: FALLBACK_CONFIDENCE };
  const file = join(root, FALLBACK_FILE);
  if (!options.dryRun) await writeFileAtomic(file, `${JSON.stringify(fallback, null, 2)}\n`);
  if (options.json) printJson({ file: options.dryRun ? undefined : file, ...fallback });
  else
    process.stdout.write(
      `fallback minScore ${t.threshold} (bound ${t.bound.toFixed(3)} ≤ ${t.target}) from ${t.n} unanswerable dev questions: ${sources.map((s) => `${s.dataset} ${s.n}`).join(', ')}${options.dryRun ? ' (dry run: not written)' : ` → ${file}`}\n`,
    );
}

export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .option('--target <share>', 'most a new unanswerable question may be answered, e.g. 0.25', String(DEFAULT_TARGET))
    .option('--dry-run', 'compute and print, but do not write the config')
    .option('--json', 'print the result as JSON')
    .option('--fallback <datasets...>', `(kit) pool these datasets' unanswerable dev questions into ${FALLBACK_FILE}, the threshold of projects without enough of their own`)
    .action(async (raw: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(raw);
      if (!parsed.success) throw new UserError('--target must be a number strictly between 0 and 1, e.g. 0.25.');
      const options = parsed.data;
      if (options.fallback) await calibrateFallback(command, options, options.fallback);
      else await calibrateProject(command, options);
    });
}
