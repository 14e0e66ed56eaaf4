import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { quantile } from '../../evals/stats/quantile.ts';
import { CONFIG_FILE, loadProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { loadPipeline } from '../../starter/pipeline.ts';
import { timed } from '../machine.ts';

export interface ScalingPoint {
  passages: number;
  coldIngestSeconds: number;
  passagesPerSecond: number;
  indexMB: number;
  queryP50Ms: number;
  queryP95Ms: number;
}

const QUERIES = [
  'What did the president say about taxes?',
  'How will we pay for the war?',
  'What is the plan for the nation’s schools?',
  'Who was honored in the gallery?',
  'What about the national debt?',
];

/**
 * Ingest and query cost as the corpus grows: the first n passages of the full 1790–2021 set (built from the
 * npm package by scripts/build-sotu.ts), each size indexed cold in its own data folder.
 */
export async function benchScaling(sizes: readonly number[]): Promise<ScalingPoint[]> {
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-scaling-'));
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, '../../scripts/build-sotu.ts'), '--from', '1790', '--out', join(dir, 'full')]);
    const all = (await readFile(join(dir, 'full', 'corpus.jsonl'), 'utf8')).trim().split('\n');
    const points: ScalingPoint[] = [];
    for (const size of sizes.map((n) => Math.min(n, all.length))) {
      const root = join(dir, `n${size}`);
      await mkdir(join(root, 'data'), { recursive: true });
      await writeFile(join(root, 'data', 'corpus.jsonl'), `${all.slice(0, size).join('\n')}\n`);
      await writeFile(join(root, CONFIG_FILE), JSON.stringify({ dataset: 'data' }));
      const project = await loadProjectConfig(root);
      const cold = await timed(() => ingest(project, { shippedEmbeddings: false }));
      const pipeline = await loadPipeline(project);
      await pipeline.ask(QUERIES[0] ?? '');
      const latencies: number[] = [];
      for (let i = 0; i < 100; i++) latencies.push((await pipeline.ask(QUERIES[i % QUERIES.length] ?? '')).latencyMs);
      const { size: bytes } = await stat(join(cold.value.indexDir, 'vectors.hnsw'));
      points.push({
        passages: size,
        coldIngestSeconds: cold.ms / 1000,
        passagesPerSecond: size / (cold.ms / 1000),
        indexMB: bytes / 2 ** 20,
        queryP50Ms: quantile(latencies, 0.5),
        queryP95Ms: quantile(latencies, 0.95),
      });
      await rm(root, { recursive: true, force: true });
    }
    return points;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
