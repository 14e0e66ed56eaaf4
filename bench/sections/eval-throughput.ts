import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { ProjectConfig, RetrieverConfig } from '../../starter/config.ts';
import { writeBenchProject } from '../project.ts';

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
