import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalsetJsonl, importBeir } from '../../evals/beir.ts';
import { compareRuns, type MetricComparison } from '../../evals/compare.ts';
import { runEval } from '../../evals/run.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { CONFIG_FILE, dataDir, datasetDir, loadProjectConfig, type ProjectConfig, type RetrieverConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';

export const BEIR_METRICS = ['ndcg@10', 'recall@100', 'mrr@10'] as const;

type RetrieverSettings = Partial<Omit<RetrieverConfig, 'fusion'>> & { fusion?: Partial<RetrieverConfig['fusion']> };

/**
 * Each single retriever, each fusion method at its equal-weight or literature default, and the shipped
 * default (the kit's own ragfolio.config.json), so the table shows whether fusion beats its parts.
 */
export function retrieverVariants(shipped: RetrieverConfig): [string, RetrieverSettings][] {
  return [
    ['bm25', { kind: 'bm25' }],
    ['dense', { kind: 'dense' }],
    ['rrf (1:1)', { kind: 'hybrid', fusion: { method: 'rrf', denseWeight: 1, bm25Weight: 1 } }],
    ['convex min-max (α 0.5)', { kind: 'hybrid', fusion: { method: 'convex', normalization: 'minmax', alpha: 0.5 } }],
    ['convex z-score (α 0.5)', { kind: 'hybrid', fusion: { method: 'convex', normalization: 'zscore', alpha: 0.5 } }],
    ['dense re-ranks bm25 (α 0.5)', { kind: 'hybrid', fusion: { method: 'rerank', normalization: 'minmax', alpha: 0.5 } }],
    ['default', { kind: shipped.kind, candidates: shipped.candidates, fusion: shipped.fusion, bm25: shipped.bm25 }],
  ];
}

export interface RetrieverBench {
  questions: number;
  /** The shipped default's retriever settings. */
  defaultRetriever: RetrieverConfig;
  /** retriever → metric → mean and 95% bootstrap CI. */
  results: Record<string, Record<string, { mean: number; ci95: [number, number] }>>;
  /** The default against bm25 on the same questions (paired bootstrap CI, permutation test, Holm). */
  defaultVsBm25: MetricComparison[];
}

/** Every variant on one dataset folder, through the same ingest, eval and metric code as the app. */
export async function compareRetrievers(root: string, dataset: string, dataDir: string, shipped: RetrieverConfig): Promise<RetrieverBench> {
  const runs: Record<string, RunFile> = {};
  for (const [label, retriever] of retrieverVariants(shipped)) {
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ dataset, dataDir, retriever: { ...retriever, k: 10 }, eval: { ks: [10, 100] } }));
    const project = await loadProjectConfig(root);
    await ingest(project);
    runs[label] = (await runEval(project, { split: 'all', label: label.replace(/[^a-z0-9]+/gi, '-'), runsDir: join(root, 'runs') })).run;
  }
  const results = Object.fromEntries(
    Object.entries(runs).map(([label, run]) => [
      label,
      Object.fromEntries(BEIR_METRICS.flatMap((m) => (run.aggregates[m] ? [[m, { mean: run.aggregates[m].mean, ci95: run.aggregates[m].ci95 }]] : []))),
    ]),
  );
  const bm25 = runs.bm25 as RunFile;
  const comparison = compareRuns(bm25, runs.default as RunFile, { metrics: [...BEIR_METRICS], gate: { metrics: [] }, ...bm25.stats });
  return { questions: bm25.records.length, defaultRetriever: shipped, results, defaultVsBm25: comparison.metrics };
}

export interface BeirBench extends RetrieverBench {
  folder: string;
  documents: number;
  notes: string[];
}

/** A BEIR-format folder (corpus.jsonl, queries.jsonl, qrels/test.tsv), imported as `ragfolio new --dataset` does. */
export async function benchBeir(folder: string, shipped: RetrieverConfig): Promise<BeirBench> {
  const read = async (name: string) => ({ file: join(folder, name), text: await readFile(join(folder, name), 'utf8') });
  const imported = importBeir(await read('corpus.jsonl'), await read('queries.jsonl'), await read(join('qrels', 'test.tsv')));
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-beir-'));
  try {
    await mkdir(join(root, 'data'));
    await writeFile(join(root, 'data', 'corpus.jsonl'), `${imported.passages.map((p) => JSON.stringify(p)).join('\n')}\n`);
    await writeFile(join(root, 'data', 'evalset.jsonl'), evalsetJsonl(imported.items));
    return { folder, documents: imported.passages.length, notes: imported.notes, ...(await compareRetrievers(root, 'data', join(root, '.ragfolio'), shipped)) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The same table on the bundled dataset's eval set (every split: a benchmark reports, it does not tune), sharing the kit's index and embedding cache. */
export async function benchBundledRetrievers(project: ProjectConfig): Promise<RetrieverBench> {
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-retrievers-'));
  try {
    return await compareRetrievers(root, datasetDir(project), dataDir(project), project.config.retriever);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
