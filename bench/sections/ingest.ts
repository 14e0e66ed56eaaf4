import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEvalset } from '../../evals/evalset.ts';
import { quantile } from '../../evals/stats/quantile.ts';
import type { ProjectConfig } from '../../starter/config.ts';
import { stableHash } from '../../starter/hash.ts';
import { ingest } from '../../starter/ingest.ts';
import { projectPaths } from '../../starter/paths.ts';
import { loadPipeline } from '../../starter/pipeline.ts';
import { timed } from '../machine.ts';

export interface IngestBench {
  passages: number;
  coldSeconds: number;
  coldPassagesPerSecond: number;
  /** First ingest with an empty cache, reading the dataset's shipped vectors (what a fresh clone's `npm start` does). */
  shippedSeconds: number;
  warmSeconds: number;
  upToDateSeconds: number;
  warmOverCold: number;
  askQueries: number;
  askP50Ms: number;
  askP95Ms: number;
}

/** Cold ingest (empty embedding cache, shipped vectors off), warm re-ingest (cache full, index rebuilt), then offline ask latency. */
export async function benchIngest(project: ProjectConfig): Promise<IngestBench> {
  const dataDir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-'));
  const config = { ...project.config, dataDir };
  const p: ProjectConfig = { root: project.root, config, configHash: stableHash(config) };
  try {
    // Cold means computing every vector: the dataset's shipped embeddings are off for the whole section.
    const cold = await timed(() => ingest(p, { force: true, shippedEmbeddings: false }));
    const warm = await timed(() => ingest(p, { force: true, shippedEmbeddings: false }));
    const upToDate = await timed(() => ingest(p));
    const shippedDir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-shipped-'));
    const fromShipped = await timed(() => ingest({ ...p, config: { ...config, dataDir: shippedDir } }, { shippedEmbeddings: true })).finally(() => rm(shippedDir, { recursive: true, force: true }));
    const pipeline = await loadPipeline(p);
    const evalset = await loadEvalset(projectPaths(p).evalset, new Set(pipeline.corpus.byId.keys()));
    const questions = evalset.items.map((i) => i.question);
    await pipeline.ask(questions[0] ?? 'warm up');
    const latencies: number[] = [];
    for (const q of questions) latencies.push((await pipeline.ask(q)).latencyMs);
    return {
      passages: cold.value.passages,
      coldSeconds: cold.ms / 1000,
      coldPassagesPerSecond: cold.value.chunks / (cold.ms / 1000),
      shippedSeconds: fromShipped.ms / 1000,
      warmSeconds: warm.ms / 1000,
      upToDateSeconds: upToDate.ms / 1000,
      warmOverCold: warm.ms / cold.ms,
      askQueries: latencies.length,
      askP50Ms: quantile(latencies, 0.5),
      askP95Ms: quantile(latencies, 0.95),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
