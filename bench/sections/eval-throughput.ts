import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { evalItemSchema } from '../../evals/evalset.ts';
import type { ProjectConfig, RetrieverConfig } from '../../starter/config.ts';
import { CONFIG_FILE, dataDir } from '../../starter/config.ts';
import { projectPaths } from '../../starter/paths.ts';

const childResult = z.object({ harness: z.string(), questions: z.number(), evalMs: z.number(), wallMs: z.number(), maxRssMB: z.number() });
export type ChildResult = z.infer<typeof childResult>;

export interface EvalThroughputBench {
  cases: number;
  retriever: RetrieverConfig['kind'];
  ours: ChildResult & { questionsPerSecond: number };
  promptfoo: ChildResult & { questionsPerSecond: number };
  /** The same questions through the pipeline alone: the floor every harness pays. */
  pipeline: ChildResult & { questionsPerSecond: number };
  /** promptfoo eval time / ours: how many times faster our harness is on the same cases and pipeline. */
  speedup: number;
  /** promptfoo eval time / pipeline-only time: the most any harness running this pipeline once per case could reach. */
  speedupCeiling: number;
  /** Eval time beyond the pipeline, per case (ms): what each harness itself costs. */
  overheadMsPerCase: { ours: number; promptfoo: number };
  /** Including process start and imports. */
  wallSpeedup: number;
  memoryRatio: number;
}

/** Cycle the eval set's questions to exactly n cases (ids made unique), all in one split. */
export function benchCases(lines: readonly string[], n: number): string[] {
  const items = lines.filter((l) => l.trim()).map((l) => evalItemSchema.parse(JSON.parse(l)));
  if (items.length === 0) throw new Error('the eval set is empty');
  return Array.from({ length: n }, (_, i) => {
    const item = items[i % items.length] as (typeof items)[number];
    return JSON.stringify({ ...item, id: `${item.id}#${Math.floor(i / items.length)}`, split: 'dev', status: undefined });
  });
}

/**
 * A project in `dir` that both harnesses run on: the kit's corpus, n eval cases and `config`, sharing the kit's
 * index folder (so neither side pays for indexing), with evals/ linked as a generated project has it (promptfoo
 * resolves the tests' `file://evals/promptfoo/assertions.ts` against the project root).
 */
export async function writeBenchProject(dir: string, project: ProjectConfig, config: ProjectConfig['config'], n: number): Promise<void> {
  const paths = projectPaths(project);
  const dataset = join(dir, 'dataset');
  await mkdir(dataset);
  await copyFile(paths.corpus, join(dataset, 'corpus.jsonl'));
  await writeFile(join(dataset, 'evalset.jsonl'), `${benchCases((await readFile(paths.evalset, 'utf8')).split('\n'), n).join('\n')}\n`);
  await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ ...config, dataset, dataDir: dataDir(project) }));
  await symlink(resolve(import.meta.dirname, '../../evals'), join(dir, 'evals'), 'dir');
}

/**
 * Same n cases, same pipeline (promptfoo calls it through evals/promptfoo/provider.ts), one after the other.
 * `retriever` overrides the project's retriever kind, e.g. bm25 to see the harnesses without the query embedding.
 */
export async function benchEvalThroughput(project: ProjectConfig, n = 200, retriever: RetrieverConfig['kind'] = project.config.retriever.kind): Promise<EvalThroughputBench> {
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-eval-'));
  try {
    await writeBenchProject(dir, project, { ...project.config, retriever: { ...project.config.retriever, kind: retriever } }, n);
    const run = async (harness: 'ours' | 'promptfoo' | 'pipeline') => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../eval-child.ts'), harness, dir], { maxBuffer: 1 << 24 });
      const r = childResult.parse(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'));
      return { ...r, questionsPerSecond: r.questions / (r.evalMs / 1000) };
    };
    const ours = await run('ours');
    const promptfoo = await run('promptfoo');
    const pipeline = await run('pipeline');
    const overhead = (r: ChildResult) => (r.evalMs - pipeline.evalMs) / n;
    return {
      cases: n,
      retriever,
      ours,
      promptfoo,
      pipeline,
      speedup: promptfoo.evalMs / ours.evalMs,
      speedupCeiling: promptfoo.evalMs / pipeline.evalMs,
      overheadMsPerCase: { ours: overhead(ours), promptfoo: overhead(promptfoo) },
      wallSpeedup: promptfoo.wallMs / ours.wallMs,
      memoryRatio: promptfoo.maxRssMB / ours.maxRssMB,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
