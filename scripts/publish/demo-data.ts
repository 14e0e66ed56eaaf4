import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadEvalset, selectItems } from '../../evals/evalset.ts';
import { readProjectName } from '../../evals/report/summary-input.ts';
import { pruneRelatedTerms, serializeRelatedTerms } from '../../starter/answer/related-terms.ts';
import { loadRelatedTerms, RELATED_TERMS_LICENSE } from '../../starter/answer/related-terms-file.ts';
import { DEMO_DATA_VERSION, DEMO_FILES, type DemoManifest, sentenceTexts } from '../../starter/browser/data.ts';
import { encodeVectors, type VectorEncoding } from '../../starter/browser/vectors.ts';
import { type Chunk, chunkCorpus, searchText } from '../../starter/chunk.ts';
import { datasetDir, type ProjectConfig, parseConfig } from '../../starter/config.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { EmbeddingCache } from '../../starter/embeddings/cache.ts';
import { createEmbeddings, type EmbeddingModel } from '../../starter/embeddings/index.ts';
import { loadShippedEmbeddings, type ShippedEmbeddings, shippedEmbeddingsEnabled } from '../../starter/embeddings/shipped.ts';
import { UserError } from '../../starter/errors.ts';
import { projectPaths } from '../../starter/paths.ts';
import { tokenize } from '../../starter/tokenize.ts';

export interface DemoDataExport {
  manifest: DemoManifest;
  /** Texts embedded now because no cache or shipped file had them (slow: ~10/s per thread). */
  embedded: number;
  notes: string[];
}

const EXAMPLES = 3;

/**
 * Write the demo's data files under `demoDir`: the corpus, the chunks (split mode only), the passage and
 * sentence vectors in the order the page rebuilds, and a manifest with the retriever and answerer settings.
 * Vectors come from the same caches (seeded by the dataset's shipped vectors) that ingest and the answerer use.
 */
export async function exportDemoData(project: ProjectConfig, demoDir: string, options: { encoding: VectorEncoding; onStep?: (m: string) => void }): Promise<DemoDataExport> {
  const { config } = project;
  if (config.embeddings.provider !== 'local') {
    throw new UserError(
      `ragfolio.config.json: embeddings.provider is "${config.embeddings.provider}", but the browser demo embeds questions with the local USE-lite model. Set "embeddings": {"provider": "local"} and run \`ragfolio ingest\`.`,
    );
  }
  const notes: string[] = [];
  // A chat model needs a server and a key; the page answers with the extractive answerer instead.
  const generator = config.generator.provider === 'extractive' ? config.generator : parseConfig({}, 'defaults').generator;
  if (generator.provider !== 'extractive') throw new Error('the default generator is not extractive');
  if (config.generator.provider !== 'extractive') notes.push(`generator.provider is "${config.generator.provider}": the demo answers with the extractive answerer (default settings)`);

  const paths = projectPaths(project);
  const corpus = await loadCorpus(paths.corpus);
  const chunks = await chunkCorpus(corpus.passages, config.chunk);
  const model = await createEmbeddings(config.embeddings);
  const shipped = shippedEmbeddingsEnabled() ? await loadShippedEmbeddings(datasetDir(project), model.id) : undefined;
  const seed = shipped?.ok ? shipped.shipped : undefined;
  options.onStep?.(`demo: vectors for ${chunks.length} chunks`);
  const passages = await cachedVectors(paths.embeddingCache(model.id), chunks.map(searchText), model, seed);
  const sentences = sentenceTexts(chunks);
  options.onStep?.(`demo: vectors for ${sentences.length} sentences`);
  const sentenceVectors = await cachedVectors(paths.embeddingCache(`${model.id}-sentences`), sentences, model, seed);
  const embedded = passages.embedded + sentenceVectors.embedded;
  if (embedded > 0) notes.push(`${embedded} texts had no cached or shipped vector and were embedded now`);

  const manifest: DemoManifest = {
    version: DEMO_DATA_VERSION,
    project: await readProjectName(project.root),
    model: model.id,
    dims: passages.dims,
    encoding: options.encoding,
    chunksShipped: config.chunk.mode !== 'passage',
    counts: { passages: corpus.passages.length, chunks: chunks.length, sentences: sentences.length },
    retriever: config.retriever,
    generator,
    planner: config.planner,
    examples: await exampleQuestions(paths.evalset, new Set(corpus.byId.keys())),
  };
  await mkdir(join(demoDir, 'data'), { recursive: true });
  const write = (file: string, data: string | Uint8Array) => writeFile(join(demoDir, file), data);
  await write(DEMO_FILES.corpus, JSON.stringify(corpus.passages.map(({ version: _, ...p }) => p)));
  if (manifest.chunksShipped) await write(DEMO_FILES.chunks, JSON.stringify(chunks satisfies Chunk[]));
  await write(DEMO_FILES.passageVectors, encodeVectors(passages.vectors, passages.dims, options.encoding).bytes);
  await write(DEMO_FILES.sentenceVectors, encodeVectors(sentenceVectors.vectors, passages.dims, options.encoding).bytes);
  if (generator.relatedWeight > 0) {
    // Only related forms the corpus holds can ever match, so the page gets that part of the table.
    const vocabulary = new Set(chunks.flatMap((chunk) => tokenize(chunk.text)));
    await write(DEMO_FILES.relatedTerms, serializeRelatedTerms(pruneRelatedTerms(await loadRelatedTerms(), vocabulary)));
    await write(DEMO_FILES.relatedTermsLicense, await readFile(RELATED_TERMS_LICENSE, 'utf8'));
  }
  await write(DEMO_FILES.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, embedded, notes };
}

/** Vectors of `texts` in order, from the cache file (seeded by shipped vectors); misses are embedded and saved. */
async function cachedVectors(file: string, texts: readonly string[], model: EmbeddingModel, seed: ShippedEmbeddings | undefined): Promise<{ vectors: Float32Array; dims: number; embedded: number }> {
  const cache = await EmbeddingCache.open(file, model.id, { seed });
  const { vectors, stats } = await cache.embedAll(texts, model.embeddings);
  if (stats.misses > 0) await cache.save();
  const dims = vectors[0]?.length ?? 0;
  const out = new Float32Array(texts.length * dims);
  vectors.forEach((v, i) => {
    if (v.length !== dims) throw new Error(`vector ${i} has ${v.length} dimensions, expected ${dims}`);
    out.set(v, i * dims);
  });
  return { vectors: out, dims, embedded: stats.misses };
}

/** The shortest few answerable dev questions (plain ones a visitor can read at a glance), or none without an eval set. */
async function exampleQuestions(file: string, passageIds: ReadonlySet<string>): Promise<string[]> {
  if (!existsSync(file)) return [];
  const evalset = await loadEvalset(file, passageIds).catch(() => undefined);
  if (!evalset) return [];
  return selectItems(evalset, 'dev')
    .filter((item) => item.type !== 'unanswerable')
    .sort((a, b) => a.question.length - b.question.length || (a.id < b.id ? -1 : 1))
    .slice(0, EXAMPLES)
    .map((item) => item.question);
}
