import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import type { ProjectConfig } from '../../starter/config.ts';
import { writeBenchProject } from '../project.ts';

/** retriever × fusion weight × k × answer threshold: 16 configurations. */
export const BENCH_GRID = ['retriever=bm25,hybrid', 'alpha=0.3,0.5', 'k=5,10', 'minScore=0.4,0.5'] as const;

const count = z.object({ hits: z.number(), misses: z.number() });
const side = z.object({ harness: z.string(), questions: z.number(), configs: z.number(), cases: z.number(), evalMs: z.number(), wallMs: z.number(), maxRssMB: z.number() });
const oursSchema = side.extend({
  stages: z.object({
    queries: count,
    retrieval: count,
    answers: count,
    scores: count,
    floorMs: z.object({ queries: z.number(), retrieval: z.number(), answers: z.number() }),
    configs: z.number(),
    indexes: z.number(),
  }),
});
const promptfooSchema = side.extend({ cacheHits: z.number() });

export interface ExperimentGridBench {
  grid: readonly string[];
  configs: number;
  questions: number;
  /** promptfoo process wall time / ours, side by side in this run. */
  speedup: number;
  /** The same ratio on the time inside each harness's eval call (no process start or imports). */
  evalSpeedup: number;
  ours: z.infer<typeof oursSchema> & { hitRatio: { queries: number; retrieval: number; answers: number; scores: number } };
  promptfoo: z.infer<typeof promptfooSchema> & { cacheHitRatio: number };
  /** Each distinct stage computed once (question embeddings, retrievals, answers): what any grid pays for the pipeline. */
  floorMs: number;
  notes: string[];
}

/**
 * The same grid over the same cases, each harness in its own process: `ragfolio experiment`'s runExperiment
 * (stage caches, starting from an empty question-vector cache) and promptfoo with one provider per configuration.
 * Both share the kit's prebuilt passage index and sentence-vector cache, so neither pays for indexing.
 */
export async function benchExperimentGrid(project: ProjectConfig, n = 200, grid: readonly string[] = BENCH_GRID): Promise<ExperimentGridBench> {
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-grid-'));
  try {
    await writeBenchProject(dir, project, project.config, n);
    const run = async (harness: 'grid-ours' | 'grid-promptfoo') => {
      const args = ['--import', 'tsx', resolve(import.meta.dirname, '../eval-child.ts'), harness, dir, JSON.stringify(grid)];
      const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 24 });
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
    };
    const ours = oursSchema.parse(await run('grid-ours'));
    const promptfoo = promptfooSchema.parse(await run('grid-promptfoo'));
    const ratio = (c: z.infer<typeof count>) => c.hits / Math.max(1, c.hits + c.misses);
    const { floorMs } = ours.stages;
    return {
      grid,
      configs: ours.configs,
      questions: ours.questions,
      speedup: promptfoo.wallMs / ours.wallMs,
      evalSpeedup: promptfoo.evalMs / ours.evalMs,
      ours: {
        ...ours,
        hitRatio: { queries: ratio(ours.stages.queries), retrieval: ratio(ours.stages.retrieval), answers: ratio(ours.stages.answers), scores: ratio(ours.stages.scores) },
      },
      promptfoo: { ...promptfoo, cacheHitRatio: promptfoo.cacheHits / Math.max(1, promptfoo.cases) },
      floorMs: floorMs.queries + floorMs.retrieval + floorMs.answers,
      notes: [
        'both sides read the same prebuilt passage index and sentence-vector cache; ours starts with an empty question-vector cache',
        'promptfoo: one file provider per configuration (bench/grid-provider.ts), cache on (its default), maxConcurrency 1 as in the eval section (the pipeline is CPU-bound on one thread)',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
