import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { calibrateAbstention, DEFAULT_TARGET, FALLBACK_FILE, fallbackFileSchema } from '../../evals/calibrate.ts';
import { compareRuns, type MetricComparison } from '../../evals/compare.ts';
import { runEval } from '../../evals/run.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { CONFIG_FILE, type Config, dataDir, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';

/** What a reader of a docs answer cares about: right, declined when it should, and citing what it quotes. */
export const ANSWER_METRICS = ['contains', 'false_abstention', 'abstain_correct', 'citation_precision'] as const;
const SPLITS = ['dev', 'test'] as const;
type Split = (typeof SPLITS)[number];
export const VARIANTS = ['default', 'bm25', 'naive'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface AnswerBench {
  dataset: string;
  /** Each variant's abstention threshold: conformal on this dataset's dev split (target 0.25), the fallback when it has too few unanswerable questions, or the naive config's own. */
  thresholds: Record<Variant, { minScore: number; how: string }>;
  results: Record<Variant, Record<Split, Record<string, { mean: number; ci95: [number, number]; n: number }>>>;
  /** The default against each other variant, paired on the same questions, per split. */
  comparisons: Record<Split, { vsNaive: MetricComparison[]; vsBm25: MetricComparison[] }>;
}

/**
 * One bundled dataset as a project of its own would see it: the kit's default (hybrid retrieval, the extractive
 * answerer) with its abstention threshold calibrated on this dataset's dev split (or the fallback, below 20
 * unanswerable dev questions), the same with BM25 alone, and
 * the naive first version (configs/naive.json); dev and test each run once, and the default paired against the
 * others. Indexes and caches live under the kit's .ragfolio/bench/<dataset>, one per dataset.
 */
export async function benchAnswers(kit: ProjectConfig, dataset: string): Promise<AnswerBench> {
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-answers-'));
  const fallback = fallbackFileSchema.parse(JSON.parse(await readFile(join(kit.root, FALLBACK_FILE), 'utf8')));
  try {
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ ...kit.config, dataset, dataDir: join(dataDir(kit), 'bench', basename(dataset)) }));
    const runsDir = join(root, 'runs');
    const load = (overrides?: (c: Config) => Config, configFile?: string) => loadProjectConfig(root, overrides, configFile);
    const run = async (project: ProjectConfig, split: Split, label: string) => (await runEval(project, { split, label, runsDir })).run;
    /** Calibrate on dev, then run dev and test at that threshold. */
    const calibrated = async (variant: Variant, overrides: (c: Config) => Config) => {
      const project = await load(overrides);
      await ingest(project);
      const dev = await run(project, 'dev', `${variant}-calibrate`);
      const own = project.config.generator.provider === 'extractive' ? project.config.generator.confidence : fallback.confidence;
      const calibration = calibrateAbstention(dev.records, { target: DEFAULT_TARGET, evalsetHash: dev.evalsetHash, calibratedAt: dev.startedAt, confidence: own });
      // Too few unanswerable dev questions of its own (each docs set has 8 or 9): the fallback a new project gets.
      const { minScore, confidence, how } = calibration.ok
        ? {
            minScore: calibration.abstention.minScore,
            confidence: own,
            how: `conformal on this dev split, target ${DEFAULT_TARGET} (rank ${calibration.abstention.rank} of ${calibration.abstention.n} unanswerable)`,
          }
        : {
            minScore: fallback.minScore,
            confidence: fallback.confidence,
            how: `the fallback (${calibration.n} unanswerable dev questions here): conformal on the ${fallback.n} pooled of the docs sets' dev splits`,
          };
      const at = await load((c) => ({ ...overrides(c), generator: { ...overrides(c).generator, minScore, confidence, abstention: undefined } }));
      const runs = { dev: await run(at, 'dev', variant), test: await run(at, 'test', variant) };
      return { runs, threshold: { minScore, how } };
    };
    const def = await calibrated('default', (c) => c);
    const bm25 = await calibrated('bm25', (c) => ({ ...c, retriever: { ...c.retriever, kind: 'bm25' } }));
    const naiveProject = await load(undefined, join(kit.root, 'configs', 'naive.json'));
    await ingest(naiveProject);
    const naive = {
      runs: { dev: await run(naiveProject, 'dev', 'naive'), test: await run(naiveProject, 'test', 'naive') },
      threshold: { minScore: naiveProject.config.generator.provider === 'extractive' ? naiveProject.config.generator.minScore : Number.NaN, how: 'configs/naive.json (the first version)' },
    };
    const all = { default: def, bm25, naive };

    const summary = (r: RunFile) => Object.fromEntries(ANSWER_METRICS.flatMap((m) => (r.aggregates[m] ? [[m, { mean: r.aggregates[m].mean, ci95: r.aggregates[m].ci95, n: r.aggregates[m].n }]] : [])));
    const paired = (a: RunFile, b: RunFile) => compareRuns(a, b, { metrics: [...ANSWER_METRICS], gate: { metrics: [] }, ...a.stats }).metrics;
    return {
      dataset,
      thresholds: { default: def.threshold, bm25: bm25.threshold, naive: naive.threshold },
      results: Object.fromEntries(VARIANTS.map((v) => [v, { dev: summary(all[v].runs.dev), test: summary(all[v].runs.test) }])) as AnswerBench['results'],
      comparisons: Object.fromEntries(SPLITS.map((s) => [s, { vsNaive: paired(naive.runs[s], def.runs[s]), vsBm25: paired(bm25.runs[s], def.runs[s]) }])) as AnswerBench['comparisons'],
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
