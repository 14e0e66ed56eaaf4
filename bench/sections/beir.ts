import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns, type MetricComparison } from '../../evals/compare.ts';
import { runEval } from '../../evals/run.ts';
import type { RunFile } from '../../evals/run-file.ts';
import { evalsetJsonl, importBeir } from '../../scripts/new/datasets/beir.ts';
import { CONFIG_FILE, dataDir, datasetDir, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';

export const BEIR_METRICS = ['ndcg@10', 'recall@100', 'mrr@10'] as const;
const RETRIEVERS = ['bm25', 'dense', 'hybrid'] as const;

export interface RetrieverBench {
  questions: number;
  /** retriever → metric → mean and 95% bootstrap CI. */
  results: Record<string, Record<string, { mean: number; ci95: [number, number] }>>;
  /** hybrid against bm25 on the same questions (paired bootstrap CI, permutation test, Holm). */
  hybridVsBm25: MetricComparison[];
}

/** BM25, dense (USE-lite) and hybrid on one dataset folder, through the same ingest, eval and metric code as the app. */
export async function compareRetrievers(root: string, dataset: string, dataDir: string): Promise<RetrieverBench> {
  const runs: Record<string, RunFile> = {};
  for (const kind of RETRIEVERS) {
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ dataset, dataDir, retriever: { kind, k: 10 }, eval: { ks: [10, 100] } }));
    const project = await loadProjectConfig(root);
    await ingest(project);
    runs[kind] = (await runEval(project, { split: 'all', label: kind, runsDir: join(root, 'runs') })).run;
  }
  const results = Object.fromEntries(
    Object.entries(runs).map(([kind, run]) => [
      kind,
      Object.fromEntries(BEIR_METRICS.flatMap((m) => (run.aggregates[m] ? [[m, { mean: run.aggregates[m].mean, ci95: run.aggregates[m].ci95 }]] : []))),
    ]),
  );
  const bm25 = runs.bm25 as RunFile;
  const comparison = compareRuns(bm25, runs.hybrid as RunFile, { metrics: [...BEIR_METRICS], gate: { metrics: [], tolerance: 0 }, ...bm25.stats });
  return { questions: bm25.records.length, results, hybridVsBm25: comparison.metrics };
}

export interface BeirBench extends RetrieverBench {
  folder: string;
  documents: number;
  notes: string[];
}

/** A BEIR-format folder (corpus.jsonl, queries.jsonl, qrels/test.tsv), imported as `ragfolio new --dataset` does. */
export async function benchBeir(folder: string): Promise<BeirBench> {
  const read = async (name: string) => ({ file: join(folder, name), text: await readFile(join(folder, name), 'utf8') });
  const imported = importBeir(await read('corpus.jsonl'), await read('queries.jsonl'), await read(join('qrels', 'test.tsv')));
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-beir-'));
  try {
    await mkdir(join(root, 'data'));
    await writeFile(join(root, 'data', 'corpus.jsonl'), `${imported.passages.map((p) => JSON.stringify(p)).join('\n')}\n`);
    await writeFile(join(root, 'data', 'evalset.jsonl'), evalsetJsonl(imported.items));
    return { folder, documents: imported.passages.length, notes: imported.notes, ...(await compareRetrievers(root, 'data', join(root, '.ragfolio'))) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The same table on the bundled dataset's eval set, sharing the kit's index and embedding cache. */
export async function benchBundledRetrievers(project: ProjectConfig): Promise<RetrieverBench> {
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-retrievers-'));
  try {
    return await compareRetrievers(root, datasetDir(project), dataDir(project));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
