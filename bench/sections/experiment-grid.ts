import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { fmt, markdownTable } from '../../evals/report/table.ts';
import { buildCli, builtGridWorker } from '../../scripts/cli/build-cli.mjs';
import type { ProjectConfig } from '../../starter/config.ts';
import { embeddingModelId } from '../../starter/embeddings/index.ts';
import { projectPaths } from '../../starter/paths.ts';
import { writeBenchProject } from '../project.ts';

/** retriever × fusion weight × k × answer threshold: 16 configurations. */
export const BENCH_GRID = ['retriever=bm25,hybrid', 'alpha=0.3,0.5', 'k=5,10', 'minScore=0.4,0.5'] as const;

const count = z.object({ hits: z.number(), misses: z.number() });
const side = z.object({ harness: z.string(), questions: z.number(), configs: z.number(), cases: z.number(), evalMs: z.number(), wallMs: z.number(), cpuMs: z.number(), maxRssMB: z.number() });
const oursSchema = side.extend({
  /** Where the grid's threads started from: the CLI build, as in `ragfolio experiment`, or the TypeScript through tsx. */
  gridWorker: z.enum(['build', 'tsx']),
  stages: z.object({
    queries: count,
    retrieval: count,
    answers: count,
    scores: count,
    floorMs: z.object({ queries: z.number(), retrieval: z.number(), answers: z.number(), scores: z.number() }),
    configs: z.number(),
    indexes: z.number(),
    threads: z.number(),
  }),
  phasesMs: z.object({ stages: z.number(), evaluation: z.number() }),
});
const promptfooSchema = side.extend({ cacheHits: z.number() });

type Ours = z.infer<typeof oursSchema> & { hitRatio: { queries: number; retrieval: number; answers: number; scores: number } };
type Promptfoo = z.infer<typeof promptfooSchema> & { cacheHitRatio: number };

/** One pass of both harnesses over the grid, ours first, and their ratios. */
export interface GridPass {
  ours: Ours;
  promptfoo: Promptfoo;
  /** promptfoo process wall time / ours, side by side in this pass. */
  speedup: number;
  /** The same ratio on the time inside each harness's eval call (no process start or imports). */
  evalSpeedup: number;
  /** promptfoo's process CPU time (all threads) / ours: what each side costs the machine, less sensitive to its load. */
  cpuRatio: number;
  /**
   * Each distinct stage computed once (question embeddings, retrievals, answers, scores), timed on the thread
   * that computed it, per stage and summed: what any grid pays for them on one thread.
   */
  floorMs: { queries: number; retrieval: number; answers: number; scores: number; total: number };
  /** Ours' eval time / the floor. */
  overFloor: number;
  /** The machine's 1-minute load average when the pass started and ended (shared machines: read the ratios with it). */
  loadAvg: [number, number];
}

export interface ExperimentGridBench {
  grid: readonly string[];
  configs: number;
  questions: number;
  /** On a new project, as after a fresh clone: the index built from the shipped vectors, every cache empty. */
  cold: GridPass;
  /** Again on the same project: each side reads what its cold pass left (our question vectors, promptfoo's responses). */
  warm: GridPass;
  /** Untimed setup both sides share: passages the index took from the shipped vectors, and those embedded. */
  index: { passages: number; shipped: number; embedded: number };
  /** Passage and sentence vectors either side embedded into the project's caches over both passes (all ship: 0 expected). */
  embeddedByHarnesses: { passages: number; sentences: number };
  notes: string[];
}

/**
 * The same grid over the same cases, each harness in its own process: `ragfolio experiment`'s runExperiment
 * (stage caches) and promptfoo with one provider per configuration, on a project set up as a fresh clone's app
 * (bench/project.ts): both seeded from the dataset's shipped vectors, neither paying for indexing. A cold pass
 * on the new project, then a warm pass on the same one.
 */
export async function benchExperimentGrid(project: ProjectConfig, n = 200, grid: readonly string[] = BENCH_GRID): Promise<ExperimentGridBench> {
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-grid-'));
  try {
    const setup = await writeBenchProject(dir, project, project.config, n);
    // The CLI build, as a fresh clone's first `ragfolio` command makes it: ours' grid threads start from it.
    const kit = resolve(import.meta.dirname, '../..');
    if (!(await builtGridWorker(kit))) await buildCli(kit);
    const run = async (harness: 'grid-ours' | 'grid-promptfoo') => {
      const args = ['--import', 'tsx', resolve(import.meta.dirname, '../eval-child.ts'), harness, dir, JSON.stringify(grid)];
      const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 1 << 24 });
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as unknown;
    };
    const pass = async (): Promise<GridPass> => {
      const loadBefore = loadavg()[0] ?? 0;
      const ours = oursSchema.parse(await run('grid-ours'));
      const promptfoo = promptfooSchema.parse(await run('grid-promptfoo'));
      const ratio = (c: z.infer<typeof count>) => c.hits / Math.max(1, c.hits + c.misses);
      const { floorMs } = ours.stages;
      const total = floorMs.queries + floorMs.retrieval + floorMs.answers + floorMs.scores;
      return {
        ours: { ...ours, hitRatio: { queries: ratio(ours.stages.queries), retrieval: ratio(ours.stages.retrieval), answers: ratio(ours.stages.answers), scores: ratio(ours.stages.scores) } },
        promptfoo: { ...promptfoo, cacheHitRatio: promptfoo.cacheHits / Math.max(1, promptfoo.cases) },
        speedup: promptfoo.wallMs / ours.wallMs,
        evalSpeedup: promptfoo.evalMs / ours.evalMs,
        cpuRatio: promptfoo.cpuMs / ours.cpuMs,
        floorMs: { ...floorMs, total },
        overFloor: ours.evalMs / total,
        loadAvg: [loadBefore, loadavg()[0] ?? 0],
      };
    };
    const cold = await pass();
    const warm = await pass();
    const model = embeddingModelId(setup.project.config.embeddings);
    const cache = projectPaths(setup.project).embeddingCache;
    return {
      grid,
      configs: cold.ours.configs,
      questions: cold.ours.questions,
      cold,
      warm,
      index: { passages: setup.ingest.chunks, shipped: setup.ingest.shippedHits, embedded: setup.ingest.cacheMisses },
      embeddedByHarnesses: { passages: await cachedVectors(cache(model)), sentences: await cachedVectors(cache(`${model}-sentences`)) },
      notes: [
        'both sides run on one temporary project set up as a fresh clone: the kit corpus with its shipped passage, sentence and eval-question vectors beside it (seeding every embedding cache, as `ragfolio new` does) and its own data folder, indexed from those vectors before either side is timed; of the kit’s .ragfolio only its CLI build (code) is read, no data or cache',
        `ours: runExperiment in the bench's child process (its main thread runs the TypeScript through tsx, as promptfoo's side does), its grid threads started ${cold.ours.gridWorker === 'build' ? 'from the CLI build (.ragfolio/cli/grid-worker.js, made in the untimed setup if absent), as `ragfolio experiment` starts them' : 'through tsx (no CLI build could be made)'}`,
        'ours: question vectors from the shipped ones (the project’s query cache, seeded by them, is empty in the cold pass), on the grid’s worker threads, each retrieving and answering every configuration for its share of the questions; points that differ only in minScore share one ranking of the quotable runs',
        'promptfoo: one file provider per configuration (bench/grid-provider.ts) calling the app’s loadPipeline as `eval` does (question vectors from the shipped ones), its response cache on (its default; kept in the project, so empty in the cold pass), maxConcurrency 1 as in the eval section',
        'warm: both sides again on the same project, reading what their cold pass left',
      ],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Vectors an embedding cache file holds: only texts embedded in this project (shipped ones are read, never
 * written). A cache saves on its first miss, so a file that is absent or empty means nothing was embedded.
 */
async function cachedVectors(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? 0 : Object.keys(z.object({ vectors: z.record(z.string(), z.string()) }).parse(JSON.parse(text)).vectors).length;
}

export function experimentGridMarkdown(r: ExperimentGridBench): string[] {
  const pct = (x: number) => `${fmt(x * 100, 0)}%`;
  const s = (ms: number) => `${fmt(ms / 1000, 1)} s`;
  const rows = (name: string, p: GridPass) => [
    [
      `${name}: ours (stage caches)`,
      s(p.ours.wallMs),
      s(p.ours.evalMs),
      s(p.ours.cpuMs),
      `${fmt(p.ours.maxRssMB, 0)} MB`,
      `question vectors ${pct(p.ours.hitRatio.queries)} · retrievals ${pct(p.ours.hitRatio.retrieval)} · answers ${pct(p.ours.hitRatio.answers)} · scores ${pct(p.ours.hitRatio.scores)}`,
    ],
    [`${name}: promptfoo`, s(p.promptfoo.wallMs), s(p.promptfoo.evalMs), s(p.promptfoo.cpuMs), `${fmt(p.promptfoo.maxRssMB, 0)} MB`, `responses ${pct(p.promptfoo.cacheHitRatio)}`],
  ];
  const floorRow = (name: string, p: GridPass) => [
    name,
    `${s(p.floorMs.queries)} (${p.ours.stages.queries.misses})`,
    `${s(p.floorMs.retrieval)} (${p.ours.stages.retrieval.misses})`,
    `${s(p.floorMs.answers)} (${p.ours.stages.answers.misses})`,
    `${s(p.floorMs.scores)} (${p.ours.stages.scores.misses})`,
    s(p.floorMs.total),
    s(p.ours.phasesMs.stages),
    s(p.ours.phasesMs.evaluation),
    `${s(p.ours.evalMs)} (${fmt(p.overFloor, 2)}×)`,
  ];
  const ratio = (name: string, p: GridPass) =>
    `${name}: ours is **${fmt(p.speedup, 1)}×** faster than promptfoo on process wall time (${fmt(p.evalSpeedup, 1)}× on eval time, ${fmt(p.cpuRatio, 1)}× on CPU time), at ${fmt(p.overFloor, 2)}× the floor; 1-minute load average ${fmt(p.loadAvg[0], 1)} → ${fmt(p.loadAvg[1], 1)} on this machine.`;
  return [
    `## Experiment grid: \`ragfolio experiment\` vs promptfoo (${r.configs} configurations × ${r.questions} questions)`,
    '',
    `Grid: \`${r.grid.join(' ')}\`. Cold: a new project, as after a fresh clone; warm: both sides again on the same project.`,
    '',
    markdownTable({ header: ['pass: harness', 'process wall time', 'eval time', 'CPU time (all threads)', 'peak RSS', 'cache hits'], rows: [...rows('cold', r.cold), ...rows('warm', r.warm)] }),
    '',
    ratio('Cold', r.cold),
    '',
    ratio('Warm', r.warm),
    '',
    `The floor per stage: each distinct input computed once (how many in brackets), timed in ours on the thread that computed it, summed over threads: what a grid pays for these stages on one thread. Beside it, ours’ wall time: computing the stages on ${r.cold.ours.stages.threads} worker thread(s) (question vectors, retrievals, answers), then the evaluation (scores, bootstrap CIs on the threads, a run file per configuration, paired tests on the threads), and in all (over the floor in brackets).`,
    '',
    markdownTable({
      header: ['pass', 'floor: question embeddings', 'retrievals', 'answers', 'scores', 'floor', 'ours: stages', 'ours: evaluation', 'ours: eval time (/ floor)'],
      rows: [floorRow('cold', r.cold), floorRow('warm', r.warm)],
    }),
    '',
    `Setup (untimed, shared): the index took ${r.index.shipped} of ${r.index.passages} passage vectors from the shipped ones and embedded ${r.index.embedded}. Over both passes the two sides embedded ${r.embeddedByHarnesses.passages} passages and ${r.embeddedByHarnesses.sentences} sentences into the project's caches. Notes: ${r.notes.join('; ')}.`,
    '',
  ];
}
