import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import RagfolioGridProvider from '../../bench/grid-provider.ts';
import { writeBenchProject } from '../../bench/project.ts';
import { parseGrid, runExperiment } from '../../evals/experiment.ts';
import { dataDir, datasetDir, findProjectRoot, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { embeddingModelId } from '../../starter/embeddings/index.ts';
import { loadShippedEmbeddings } from '../../starter/embeddings/shipped.ts';
import { projectPaths } from '../../starter/paths.ts';

const dirs: string[] = [];
afterEach(async () => {
  delete process.env.RAGFOLIO_SHIPPED_EMBEDDINGS;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function benchProject(n: number) {
  const kit = await loadProjectConfig(findProjectRoot(import.meta.dirname));
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-bench-project-'));
  dirs.push(dir);
  return { kit, dir, ...(await writeBenchProject(dir, kit, kit.config, n)) };
}

/** sha256 keys of the vectors a project's passage and sentence caches hold: only texts embedded in that project. */
async function embeddedKeys(project: ProjectConfig): Promise<string[]> {
  const model = embeddingModelId(project.config.embeddings);
  const files = [projectPaths(project).embeddingCache(model), projectPaths(project).embeddingCache(`${model}-sentences`)];
  const keys = await Promise.all(files.map(async (f) => (existsSync(f) ? Object.keys((JSON.parse(await readFile(f, 'utf8')) as { vectors: object }).vectors) : [])));
  return keys.flat();
}

/** Both sides of the experimentGrid bench: a grid through runExperiment, and promptfoo's provider (the app's loadPipeline) on the same questions. */
async function runBothSides(project: ProjectConfig, questions: readonly string[]) {
  // On two threads, as the bench's 16 × 200 grid runs: the threads look sentence vectors up too.
  const board = await runExperiment(project, parseGrid(['retriever=bm25,hybrid', 'k=5,10']), { split: 'all', threads: 2 });
  const provider = new RagfolioGridProvider({ config: { ragfolio: project.config, root: project.root } });
  const outputs = [];
  for (const q of questions) outputs.push(await provider.callApi(q));
  return { board, outputs };
}

describe('the bench project (bench/project.ts)', () => {
  test('is set up as a fresh clone: neither side embeds a passage, a sentence or a question that ships', async () => {
    const { kit, dir, project, ingest } = await benchProject(6);
    // Its own data folder: nothing an earlier run left in the kit's .ragfolio is read.
    expect(dataDir(project)).toBe(join(dir, '.ragfolio'));
    expect(dataDir(project)).not.toBe(dataDir(kit));
    expect(ingest).toMatchObject({ upToDate: false, cacheMisses: 0, shippedHits: ingest.chunks });

    const shipped = await loadShippedEmbeddings(datasetDir(kit), embeddingModelId(kit.config.embeddings));
    if (!shipped?.ok) throw new Error('the kit dataset ships no vectors');
    // The answerer scores sentences by similarity, so both sides look up every context sentence's vector.
    expect(project.config.generator).toMatchObject({ provider: 'extractive', semanticWeight: expect.any(Number) });
    expect(project.config.generator.provider === 'extractive' && project.config.generator.semanticWeight).toBeGreaterThan(0);
    const questions = (await readFile(projectPaths(project).evalset, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { question: string }).question);
    const { board, outputs } = await runBothSides(project, questions);
    expect(board.stages?.answers.misses).toBeGreaterThan(0);
    // The question vectors ship too (promptfoo's provider reads them through loadPipeline, as `eval` does: tests/evals/shipped-questions.test.ts).
    expect(board.stages?.queries).toEqual({ hits: questions.length, misses: 0 });
    expect(outputs.every((o) => 'output' in o && typeof o.output === 'string')).toBe(true);
    expect(await embeddedKeys(project)).toEqual([]);

    // The check sees embedding when there is some: without the shipped vectors the same side fills the sentence cache.
    process.env.RAGFOLIO_SHIPPED_EMBEDDINGS = '0';
    const control = new RagfolioGridProvider({ config: { ragfolio: project.config, root: project.root } });
    await control.callApi(questions[0] as string);
    const embedded = await embeddedKeys(project);
    expect(embedded.length).toBeGreaterThan(0);
    expect(embedded.filter((key) => shipped.shipped.vectors.has(key)).length).toBe(embedded.length);
  });
});
