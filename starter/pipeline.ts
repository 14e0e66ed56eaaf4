import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { createAgentAnswerer } from './answer/agent.ts';
import { createChatAnswerer } from './answer/chat.ts';
import { createExtractiveAnswerer, type RankedRuns } from './answer/extractive.ts';
import { withPlanner } from './answer/planner.ts';
import { loadRelatedTerms } from './answer/related-terms-file.ts';
import { cachedSimilarity, rememberLastQuery, type Similarity } from './answer/similarity.ts';
import type { Answerer } from './answer/types.ts';
import { type Ask, createAsk } from './ask.ts';
import { searchText } from './chunk.ts';
import { type Config, datasetDir, type ProjectConfig } from './config.ts';
import { type Corpus, loadCorpus } from './corpus.ts';
import { EmbeddingCache } from './embeddings/cache.ts';
import { createEmbeddings, type EmbeddingModel } from './embeddings/index.ts';
import { loadShippedEmbeddings, shippedEmbeddingsEnabled } from './embeddings/shipped.ts';
import { shippedQuestionVectors, withShippedQuestions } from './embeddings/shipped-questions.ts';
import { stableHash } from './hash.ts';
import type { Bm25Index } from './index/bm25.ts';
import { openBm25 } from './index/bm25-file.ts';
import { type OpenedIndex, openVectorStore } from './index/vector-store.ts';
import { projectPaths } from './paths.ts';
import { createRetriever, type Retriever } from './retrieve.ts';

export type { AnswerRecord, RetrievedRecord } from './ask.ts';
export { MAX_QUESTION_CHARS } from './ask.ts';

export interface Pipeline {
  corpus: Corpus;
  retriever: Retriever;
  answerer: Answerer;
  /**
   * Answer from the top `k` chunks. `depth` retrieves more for the record (evals score nDCG@10 even when
   * the answer reads 5); `contexts` are the chunks the answer was generated from.
   */
  ask: Ask;
}

/**
 * The corpus, the embedding model and the published index built from both: what every pipeline starts from.
 * `warmUp` starts loading the model before the corpus and index (for a pipeline that will embed questions one by one).
 */
export async function openIndexed(project: ProjectConfig, options: { warmUp?: boolean } = {}): Promise<{ corpus: Corpus; model: EmbeddingModel; index: OpenedIndex }> {
  const { config } = project;
  const model = await createEmbeddings(config.embeddings);
  if (options.warmUp) model.warmUp?.();
  const corpus = await loadCorpus(projectPaths(project).corpus);
  const index = await (await openVectorStore(project)).open({ embeddingModel: model.id, corpusHash: corpus.hash, chunkConfigHash: stableHash(config.chunk) });
  model.expectDimensions?.(index.manifest.dims);
  return { corpus, model, index };
}

/**
 * `shippedQuestions`: an eval over the dataset's eval set (ragfolio's or promptfoo's). It reads the questions'
 * vectors shipped with the dataset, like its passages' and sentences', and loads the embedding model only when a
 * text misses them (never, for the bundled questions). Otherwise (`ask`, `serve`) every question is embedded, so
 * their latency is the pipeline's own, and the model starts loading at once.
 */
export async function loadPipeline(project: ProjectConfig, options: { shippedQuestions?: boolean } = {}): Promise<Pipeline> {
  const { config } = project;
  const { corpus, model, index } = await openIndexed(project, { warmUp: !options.shippedQuestions });
  const { index: bm25 } = await openBm25(projectPaths(project).bm25, index.chunks.map(searchText), config.retriever.bm25);
  const shipped = options.shippedQuestions ? await shippedQuestionVectors(project, model.id) : undefined;
  const embeddings = rememberLastQuery(withShippedQuestions(model.embeddings, shipped));
  const retriever = createRetriever({ chunks: index.chunks, vectors: index, bm25, embeddings }, config.retriever);
  const answerer = await createAnswerer(config, bm25, corpus, () => sentenceSimilarity(project, model.id, embeddings));

  return {
    corpus,
    retriever,
    answerer,
    ask: createAsk(retriever, answerer, config.retriever.k),
  };
}

/**
 * The configured answerer: the agent, or a single-shot answerer (a chat model, or the extractive answerer over
 * the index's BM25 statistics and the passages, with sentence similarity made only when its weight is on),
 * wrapped in the planner when it is on.
 */
export async function createAnswerer(
  config: Pick<Config, 'generator' | 'planner' | 'retriever'>,
  bm25: Bm25Index,
  corpus: Corpus,
  makeSimilarity: () => Promise<Similarity>,
  /** Extractive: runs already ranked by answerers that score alike (an experiment grid's, evals/grid/stages.ts). */
  ranked?: RankedRuns,
): Promise<Answerer> {
  const { generator } = config;
  if (generator.provider === 'agent') return createAgentAnswerer(generator, { passages: corpus.byId });
  // Made once for the answerer and the planner's part answerer (each one read and checked the 25 MB of shipped vectors
  // before), and not awaited here: it loads while a new process waits for its first question's embedding.
  let made: Promise<Similarity> | undefined;
  const similarity: Similarity = (question, sentences) => {
    made ??= makeSimilarity();
    return made.then((similar) => similar(question, sentences));
  };
  if (generator.provider === 'extractive' && generator.semanticWeight > 0) {
    made = makeSimilarity();
    // A failed load surfaces at the first answer that needs it, not as an unhandled rejection meanwhile.
    made.catch(() => {});
  }
  const single = await createSingleShotAnswerer(generator, bm25, corpus, similarity, ranked);
  if (!config.planner.enabled) return single;
  // A part is about one thing: the extractive answerer quotes one source for it.
  const part = generator.provider === 'extractive' ? await createSingleShotAnswerer({ ...generator, secondSource: 0 }, bm25, corpus, similarity, ranked) : single;
  return withPlanner(single, { k: config.retriever.k, partMinConfidence: config.planner.partMinConfidence, part, idf: (t) => bm25.idf(t) });
}

async function createSingleShotAnswerer(
  generator: Exclude<Config['generator'], { provider: 'agent' }>,
  bm25: Bm25Index,
  corpus: Corpus,
  similarity: Similarity,
  ranked?: RankedRuns,
): Promise<Answerer> {
  if (generator.provider === 'openai') return createChatAnswerer(generator);
  return createExtractiveAnswerer(
    {
      ...generator,
      idf: (t) => bm25.idf(t),
      passages: corpus.byId,
      similarity: generator.semanticWeight > 0 ? similarity : undefined,
      relatedTerms: generator.relatedWeight > 0 ? await loadRelatedTerms() : undefined,
    },
    ranked,
  );
}

/** Sentence similarity for the extractive answerer, with its own cache file next to the passages' cache. */
export async function sentenceSimilarity(project: ProjectConfig, modelId: string, embeddings: EmbeddingsInterface): Promise<Similarity> {
  const shipped = shippedEmbeddingsEnabled() ? await loadShippedEmbeddings(datasetDir(project), modelId) : undefined;
  const cache = await EmbeddingCache.open(projectPaths(project).embeddingCache(`${modelId}-sentences`), modelId, { seed: shipped?.ok ? shipped.shipped : undefined });
  return cachedSimilarity(embeddings, cache);
}
