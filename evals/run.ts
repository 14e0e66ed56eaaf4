import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dataDir, type ProjectConfig } from '../starter/config.ts';
import { UserError } from '../starter/errors.ts';
import { writeJsonAtomic } from '../starter/fs-atomic.ts';
import { projectPaths } from '../starter/paths.ts';
import { loadPipeline, type Pipeline } from '../starter/pipeline.ts';
import { aggregateRecords, operationalStats, passRateByType } from './aggregate.ts';
import { passed } from './compare.ts';
import { type EvalItem, loadEvalset, type Split, selectItems } from './evalset.ts';
import { createJudge, type Judge } from './metrics/judge.ts';
import { RUN_VERSION, type RunFile, type RunRecord, runRecordSchema, runTimestamp } from './run-file.ts';
import { scoreQuestion } from './score.ts';

export interface EvalOptions {
  split?: Split | 'all';
  label?: string;
  /** Reuse an already loaded pipeline (experiments and tests); loaded from the project otherwise. */
  pipeline?: Pipeline;
  /** Where the run file goes (default: runs/). */
  runsDir?: string;
  onProgress?: (done: number, total: number) => void;
}

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
  const pipeline = options.pipeline ?? (await loadPipeline(project));
  const evalset = await loadEvalset(paths.evalset, new Set(pipeline.corpus.byId.keys()));
  const items = selectItems(evalset, split);
  if (items.length === 0) throw new UserError(`${paths.evalset}: no reviewed questions in split "${split}". Choose another --split or add questions.`);

  // One partial file per (label, config, eval set, split): only an identical run can resume it.
  const partial = join(paths.runs, `.partial-${label}-${project.configHash.slice(0, 12)}-${evalset.hash.slice(0, 12)}-${split}.json`);
  const done = await readPartial(partial);
  const startedAt = done.startedAt ?? new Date().toISOString();
  const records: RunRecord[] = items.flatMap((item) => done.records.get(item.id) ?? []);
  const resumed = records.length;
  const todo = items.filter((item) => !done.records.has(item.id));
  const depth = Math.max(...config.eval.ks);
  const judge = config.eval.judge ? await createJudge(config.eval.judge.model, join(dataDir(project), 'cache', 'judge.json')) : undefined;

  // Load the embedding model before the clock starts, so question 1's latency is not the model's load time.
  if (todo[0]) await pipeline.retriever.retrieve(todo[0].question, 1);
  options.onProgress?.(records.length, items.length);
  for (const [i, item] of todo.entries()) {
    records.push(await answerAndScore(pipeline, item, depth, config.eval.ks, judge));
    options.onProgress?.(records.length, items.length);
    if ((i + 1) % CHECKPOINT_EVERY === 0) {
      await writeJsonAtomic(partial, { startedAt, records });
      await judge?.save();
    }
  }
  await judge?.save();

  const order = new Map(items.map((item, i) => [item.id, i]));
  records.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const stats = { resamples: config.eval.resamples, seed: config.eval.seed, alpha: config.eval.alpha };
  const finishedAt = new Date();
  const run: RunFile = {
    version: RUN_VERSION,
    label,
    startedAt,
    finishedAt: finishedAt.toISOString(),
    gitCommit: await gitCommit(project.root),
    config: config as unknown as Record<string, unknown>,
    configHash: project.configHash,
    evalsetHash: evalset.hash,
    split,
    generator: pipeline.answerer.id,
    records,
    aggregates: aggregateRecords(records, stats),
    operational: operationalStats(records, config.eval.pricing),
    stats,
    byType: passRateByType(records.map((r) => ({ type: r.type, passed: passed(r) }))),
  };
  const file = join(options.runsDir ?? paths.runs, `${runTimestamp(finishedAt)}-${label}.json`);
  await writeJsonAtomic(file, run);
  await rm(partial, { force: true });
  return { run, file, resumed };
}

async function answerAndScore(pipeline: Pipeline, item: EvalItem, depth: number, ks: readonly number[], judge: Judge | undefined): Promise<RunRecord> {
  const record = await pipeline.ask(item.question, { depth });
  const contexts = record.contexts.map((c) => c.chunk.text);
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
    ...(record.usage ? { usage: record.usage } : {}),
    metrics: { ...scoreQuestion(item, record, contexts, ks), ...judged },
  };
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

async function gitCommit(cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd });
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
