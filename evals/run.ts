import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { abstentionThreshold } from '../starter/abstention-threshold.ts';
import { readableText } from '../starter/answer/units.ts';
import type { Chunk } from '../starter/chunk.ts';
import { dataDir, type ProjectConfig } from '../starter/config.ts';
import { embeddingModelId } from '../starter/embeddings/index.ts';
import { questionShipped, shippedQuestionVectors } from '../starter/embeddings/shipped-questions.ts';
import { UserError } from '../starter/errors.ts';
import { writeJsonAtomic } from '../starter/fs-atomic.ts';
import { projectPaths } from '../starter/paths.ts';
import { loadPipeline, type Pipeline } from '../starter/pipeline.ts';
import { aggregateRecords, meanRecords, operationalStats, passRateByType } from './aggregate.ts';
import { abstentionReport } from './calibrate.ts';
import { type EvalItem, loadEvalset, type Split, selectItems } from './evalset.ts';
import { planGate, planLevel } from './gate-plan.ts';
import { embedsQuestions } from './grid/prefetch.ts';
import { createJudge, type Judge } from './metrics/judge.ts';
import { passed } from './metrics/registry.ts';
import { operatingPoint, riskCoverage } from './metrics/risk-coverage.ts';
import { METRICS_VERSION } from './metrics/version.ts';
import { type QuestionVector, RUN_VERSION, type RunFile, type RunRecord, runRecordSchema, runTimestamp } from './run-file.ts';
import { correctIfAnswered, scoreQuestion } from './score.ts';

export interface EvalOptions {
  split?: Split | 'all';
  label?: string;
  /** Reuse an already loaded pipeline (experiments and tests); loaded from the project otherwise. */
  pipeline?: Pipeline;
  /** Where the run file goes (default: runs/). */
  runsDir?: string;
  onProgress?: (done: number, total: number) => void;
  /** Answer every question this many times (non-deterministic generators); every repeat is kept. */
  repeat?: number;
  /**
   * `stage-cache`: the pipeline serves stages from an experiment grid's caches, so its latencies time cache
   * lookups; the run file says so (operational.latencySource) instead of passing them off as the pipeline's.
   */
  latencySource?: 'stage-cache';
  /** Save progress every few questions so a killed run resumes (default true); off where a question costs less than the save. */
  checkpoint?: boolean;
  /** The command line that runs this eval again (the CLI's own flags): a run stopped by a failing server names it. */
  resumeCommand?: string;
  /** Called before answering when a stopped run's answers are reused: how many, of how many, and the file they are kept in. */
  onResume?: (kept: number, total: number, file: string) => void;
  /** Scores one answer (default scoreQuestion); a grid scores each distinct answer once (evals/grid/stages.ts). */
  score?: Scorer;
  /** Computes a single run's aggregates (default aggregateRecords); a grid shares CIs between its runs (evals/grid/aggregates.ts). */
  aggregate?: (...args: Parameters<typeof aggregateRecords>) => ReturnType<typeof aggregateRecords> | Promise<ReturnType<typeof aggregateRecords>>;
  /** The commit the run records (a grid looks it up once for all its runs); looked up with git when absent. */
  commit?: Promise<string | undefined>;
}

export type Scorer = (item: EvalItem, record: Awaited<ReturnType<Pipeline['ask']>>, contextTexts: readonly string[], ks: readonly number[]) => Record<string, number>;

export interface EvalResult {
  run: RunFile;
  file: string;
  resumed: number;
}

// Save progress every few questions, so an interrupted run (a slow model, a laptop lid) resumes.
const CHECKPOINT_EVERY = 10;

export async function runEval(project: ProjectConfig, options: EvalOptions = {}): Promise<EvalResult> {
  const { config } = project;
  const paths = projectPaths(project);
  const split = options.split ?? config.eval.split;
  const label = sanitizeLabel(options.label ?? config.retriever.kind);
  // The model loads on the first question whose vectors do not ship (warmed below, before the clock), if any.
  const pipeline = options.pipeline ?? (await loadPipeline(project, { shippedQuestions: true }));
  // Where each question's vectors come from: recorded for a pipeline that embeds questions and reads the shipped
  // vectors (loadPipeline's above, or a grid's), not for one a caller made (`start`, tests).
  const recorded = embedsQuestions(project) && (!options.pipeline || options.latencySource === 'stage-cache');
  const shipped = recorded ? await shippedQuestionVectors(project, embeddingModelId(config.embeddings)) : undefined;
  const vectorOf = (question: string): QuestionVector | undefined => (recorded ? (questionShipped(question, shipped) ? 'shipped' : 'embedded') : undefined);
  const evalset = await loadEvalset(paths.evalset, new Set(pipeline.corpus.byId.keys()));
  const items = selectItems(evalset, split);
  if (items.length === 0) throw new UserError(`${paths.evalset}: no reviewed questions in split "${split}". Choose another --split or add questions.`);

  const depth = Math.max(...config.eval.ks);
  const judge = config.eval.judge ? await createJudge(config.eval.judge.model, join(dataDir(project), 'cache', 'judge.json'), config.eval.judge) : undefined;
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new UserError(`--repeat ${repeat}: give a whole number of repeats, 1 or more.`);
  const passes: RunRecord[][] = [];
  const partials: string[] = [];
  let resumed = 0;
  let startedAt: string | undefined;
  for (let r = 0; r < repeat; r++) {
    // One partial file per (label, config, eval set, split, repeat): only an identical run can resume it.
    const partial = join(paths.runs, `.partial-${label}-${project.configHash.slice(0, 12)}-${evalset.hash.slice(0, 12)}-${split}${repeat > 1 ? `-r${r + 1}of${repeat}` : ''}.json`);
    const done = await readPartial(partial);
    startedAt ??= done.startedAt ?? new Date().toISOString();
    const records: RunRecord[] = items.flatMap((item) => done.records.get(item.id) ?? []);
    resumed += records.length;
    const todo = items.filter((item) => !done.records.has(item.id));
    if (records.length > 0) options.onResume?.(records.length, items.length, partial);

    // Load the embedding model before the clock starts, so no question's latency includes the model's load time
    // (none to load when every question's vectors ship).
    const warm = todo.find((item) => vectorOf(item.question) !== 'shipped');
    if (warm && r === 0) await pipeline.retriever.retrieve(warm.question, 1);
    options.onProgress?.(r * items.length + records.length, repeat * items.length);
    try {
      for (const [i, item] of todo.entries()) {
        records.push(await answerAndScore(pipeline, item, depth, config.eval.ks, judge, options.score ?? scoreQuestion, vectorOf(item.question)));
        options.onProgress?.(r * items.length + records.length, repeat * items.length);
        if (options.checkpoint !== false && (i + 1) % CHECKPOINT_EVERY === 0) {
          await writeJsonAtomic(partial, { startedAt, records });
          await judge?.save();
        }
      }
    } catch (error) {
      if (options.checkpoint === false || records.length === 0) throw error;
      // Keep every answer so far, not only those up to the last checkpoint, and say how to pick up from there.
      await writeJsonAtomic(partial, { startedAt, records });
      await judge?.save();
      throw stoppedRun(error, records.length, items.length, repeat > 1 ? ` (repeat ${r + 1} of ${repeat})` : '', options.resumeCommand);
    }
    await judge?.save();
    // A finished repeat is kept whole, so a kill during the next one resumes there.
    await writeJsonAtomic(partial, { startedAt, records });
    const order = new Map(items.map((item, i) => [item.id, i]));
    records.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    passes.push(records);
    partials.push(partial);
  }

  const stats = { resamples: config.eval.resamples, seed: config.eval.seed, alpha: config.eval.alpha };
  const all = passes.flat();
  const records = repeat > 1 ? meanRecords(passes) : (passes[0] ?? []);
  // The gate's power plan from this run alone: stored, so a promoted baseline carries the MDE every surface prints.
  const gatePlan = planGate(records, { ...config.eval.gate, alpha: config.eval.alpha });
  const finishedAt = new Date();
  const run: RunFile = {
    version: RUN_VERSION,
    label,
    startedAt: startedAt ?? finishedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    gitCommit: await (options.commit ?? gitCommit(project.root)),
    config: config as unknown as Record<string, unknown>,
    configHash: project.configHash,
    evalsetHash: evalset.hash,
    metricsVersion: METRICS_VERSION,
    split,
    generator: pipeline.answerer.id,
    records,
    // A repeated run's records are per-question means: the question-level bootstrap over them is its interval.
    aggregates: await (options.aggregate ?? aggregateRecords)(records, { ...stats, plan: planLevel(gatePlan) }),
    gatePlan,
    operational: {
      ...operationalStats(all, config.eval.pricing),
      ...(options.latencySource ? { latencySource: options.latencySource } : {}),
      ...questionVectorCounts(records),
    },
    stats,
    ...(repeat > 1 ? { repeats: passes } : {}),
    // One vote per question (a repeated question passes when it passed in most repeats): pooling repeats would count each question `repeat` times and narrow the interval.
    byType: passRateByType(records.map((r) => ({ type: r.type, passed: passed(r) }))),
    ...(repeat > 1 ? {} : riskCoverageOf(records, config)),
    ...abstentionOf(records, config, evalset.hash),
  };
  const file = join(options.runsDir ?? paths.runs, `${runTimestamp(finishedAt)}-${label}.json`);
  await writeJsonAtomic(file, run);
  for (const partial of partials) await rm(partial, { force: true });
  return { run, file, resumed };
}

/** A server's failure (a UserError) mid-run, with what was kept and the command that resumes; our own bugs pass through. */
function stoppedRun(error: unknown, kept: number, total: number, which: string, command = 'the same eval'): unknown {
  if (!(error instanceof UserError)) return error;
  const run = command === 'the same eval' ? 'run the same eval again' : `run \`${command}\``;
  return new UserError(`${error.message} The eval stopped after ${kept} of ${total} questions${which}; their answers are kept: ${run} to resume from question ${kept + 1}.`, { cause: error });
}

async function answerAndScore(
  pipeline: Pipeline,
  item: EvalItem,
  depth: number,
  ks: readonly number[],
  judge: Judge | undefined,
  score: Scorer,
  questionVector: QuestionVector | undefined,
): Promise<RunRecord> {
  const record = await pipeline.ask(item.question, { depth });
  // What the answerer read, in the words its answer uses: Markdown cleaned and under its heading path, prose as it is.
  const contexts = record.contexts.map((c) => readableChunk(c.chunk));
  const correct = correctIfAnswered(item, record);
  const judged = judge ? await judge.grade({ question: item.question, answer: record.answer, references: item.answers, contexts }) : {};
  return {
    id: item.id,
    type: item.type,
    question: item.question,
    retrieved: record.retrieved.map((r) => ({ passageId: r.passageIds[0] ?? r.chunkId, score: r.score })),
    answer: record.answer,
    citations: record.citations,
    abstained: record.abstained,
    latencyMs: record.latencyMs,
    ...(questionVector ? { questionVector } : {}),
    ...(record.usage ? { usage: record.usage } : {}),
    ...(record.confidence !== undefined ? { confidence: record.confidence } : {}),
    ...(correct !== undefined ? { correctIfAnswered: correct } : {}),
    ...(record.short ? { short: record.short } : {}),
    ...(record.trace ? { trace: record.trace } : {}),
    metrics: { ...score(item, record, contexts, ks), ...judged },
  };
}

/** readableText of a chunk, once per chunk object: every question (and a grid's every point) that retrieves it reads the same text. */
const readable = new WeakMap<Chunk, string>();
function readableChunk(chunk: Chunk): string {
  let text = readable.get(chunk);
  if (text === undefined) {
    text = readableText(chunk.text, chunk.title);
    readable.set(chunk, text);
  }
  return text;
}

async function readPartial(file: string): Promise<{ startedAt?: string; records: Map<string, RunRecord> }> {
  if (!existsSync(file)) return { records: new Map() };
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as { startedAt?: unknown; records?: unknown[] };
    const records = (json.records ?? []).flatMap((r) => {
      const parsed = runRecordSchema.safeParse(r);
      return parsed.success ? [parsed.data] : [];
    });
    return { startedAt: typeof json.startedAt === 'string' ? json.startedAt : undefined, records: new Map(records.map((r) => [r.id, r])) };
  } catch {
    // A damaged checkpoint only costs the questions in it: start over.
    return { records: new Map() };
  }
}

function sanitizeLabel(label: string): string {
  const clean = label.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!clean) throw new UserError(`--label "${label}" has no usable characters. Use letters, digits, '.', '_' or '-'.`);
  return clean;
}

export async function gitCommit(cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The risk–coverage curve of an answerer that reports its confidence (the extractive one), with the point
 * its abstention threshold picks; nothing for a chat model or when no question has a label.
 */
function abstentionOf(records: readonly RunRecord[], config: ProjectConfig['config'], evalsetHash: string): Pick<RunFile, 'abstention'> {
  const threshold = abstentionThreshold(config.generator, evalsetHash);
  return threshold ? { abstention: abstentionReport(records, threshold) } : {};
}

function riskCoverageOf(records: readonly RunRecord[], config: ProjectConfig['config']): Pick<RunFile, 'riskCoverage'> {
  const curve = riskCoverage(records);
  if (!curve || config.generator.provider !== 'extractive') return {};
  const threshold = config.generator.minScore;
  return { riskCoverage: { threshold, operating: operatingPoint(curve, threshold), ...curve } };
}

/** How many questions read their vectors from the shipped ones (their latency includes no embedding) and how many embedded. */
function questionVectorCounts(records: readonly RunRecord[]): Pick<RunFile['operational'], 'questionVectors'> {
  if (!records.some((r) => r.questionVector)) return {};
  const shipped = records.filter((r) => r.questionVector === 'shipped').length;
  return { questionVectors: { shipped, embedded: records.filter((r) => r.questionVector === 'embedded').length } };
}
