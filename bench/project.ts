import { copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { evalItemSchema } from '../evals/evalset.ts';
import { CONFIG_FILE, datasetDir, loadProjectConfig, type ProjectConfig } from '../starter/config.ts';
import { embeddingModelId } from '../starter/embeddings/index.ts';
import { shippedEmbeddingFiles } from '../starter/embeddings/shipped.ts';
import { type IngestReport, ingest } from '../starter/ingest.ts';
import { projectPaths } from '../starter/paths.ts';

/** Cycle the eval set's questions to exactly n cases (ids made unique), all in one split. */
export function benchCases(lines: readonly string[], n: number): string[] {
  const items = lines.filter((l) => l.trim()).map((l) => evalItemSchema.parse(JSON.parse(l)));
  if (items.length === 0) throw new Error('the eval set is empty');
  return Array.from({ length: n }, (_, i) => {
    const item = items[i % items.length] as (typeof items)[number];
    return JSON.stringify({ ...item, id: `${item.id}#${Math.floor(i / items.length)}`, split: 'dev', status: undefined });
  });
}

export interface BenchProject {
  project: ProjectConfig;
  /** The untimed setup both sides share: the index built from the shipped vectors. */
  ingest: IngestReport;
}

/**
 * A project in `dir` that every harness runs on, set up as the app is on a fresh clone: the kit's corpus with
 * its shipped vectors beside it (passages, quotable sentences and eval questions, which seed every embedding
 * cache as in `ragfolio new`), n eval cases, `config`, and its own empty data folder, indexed before any side is timed.
 * Nothing is read from the kit's .ragfolio, so no figure depends on what an earlier run left on disk. evals/ is
 * linked as a generated project has it (promptfoo resolves `file://evals/promptfoo/assertions.ts` against the root).
 */
export async function writeBenchProject(dir: string, project: ProjectConfig, config: ProjectConfig['config'], n: number): Promise<BenchProject> {
  const paths = projectPaths(project);
  const dataset = join(dir, 'dataset');
  await mkdir(dataset);
  await copyFile(paths.corpus, join(dataset, 'corpus.jsonl'));
  await writeFile(join(dataset, 'evalset.jsonl'), `${benchCases((await readFile(paths.evalset, 'utf8')).split('\n'), n).join('\n')}\n`);
  await mkdir(join(dataset, 'embeddings'));
  for (const part of ['texts', 'questions'] as const) {
    const shipped = shippedEmbeddingFiles(datasetDir(project), embeddingModelId(config.embeddings), part);
    const linked = shippedEmbeddingFiles(dataset, embeddingModelId(config.embeddings), part);
    await symlink(shipped.index, linked.index);
    await symlink(shipped.vectors, linked.vectors);
  }
  const { dataDir: _kits, ...own } = config;
  await writeFile(join(dir, CONFIG_FILE), JSON.stringify({ ...own, dataset: 'dataset' }));
  await symlink(resolve(import.meta.dirname, '../evals'), join(dir, 'evals'), 'dir');
  const bench = await loadProjectConfig(dir);
  return { project: bench, ingest: await ingest(bench) };
}
