import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { createChatAnswerer } from './answer/chat.ts';
import { createExtractiveAnswerer } from './answer/extractive.ts';
import { cachedSimilarity, rememberLastQuery, type Similarity } from './answer/similarity.ts';
import type { Answer, Answerer, Usage } from './answer/types.ts';
import { searchText } from './chunk.ts';
import { datasetDir, type ProjectConfig } from './config.ts';
import { type Corpus, loadCorpus } from './corpus.ts';
import { EmbeddingCache } from './embeddings/cache.ts';
import { createEmbeddings } from './embeddings/index.ts';
import { loadShippedEmbeddings, shippedEmbeddingsEnabled } from './embeddings/shipped.ts';
import { UserError } from './errors.ts';
import { stableHash } from './hash.ts';
import { Bm25Index } from './index/bm25.ts';
import { openVectorStore } from './index/vector-store.ts';
import { projectPaths } from './paths.ts';
import { createRetriever, type RetrievedChunk, type Retriever } from './retrieve.ts';

export interface RetrievedRecord {
  chunkId: string;
  passageIds: string[];
  score: number;
}

/** Everything an answer is judged by: what was retrieved, what was said, what it cost. */
export interface AnswerRecord {
  question: string;
  answer: string;
  citations: string[];
  abstained: boolean;
  retrieved: RetrievedRecord[];
  latencyMs: number;
  retrievalMs: number;
  usage?: Usage;
  /** The answerer's support score for its best answer (see Answer). */
  confidence?: number;
  short?: string;
  withheld?: Answer['withheld'];
}

export interface Pipeline {
  corpus: Corpus;
  retriever: Retriever;
  answerer: Answerer;
  /**
   * Answer from the top `k` chunks. `depth` retrieves more for the record (evals score nDCG@10 even when
   * the answer reads 5); `contexts` are the chunks the answer was generated from.
   */
  ask(question: string, options?: { k?: number; depth?: number }): Promise<AnswerRecord & { contexts: RetrievedChunk[] }>;
}

export const MAX_QUESTION_CHARS = 2000;

export async function loadPipeline(project: ProjectConfig): Promise<Pipeline> {
  const { config } = project;
  const paths = projectPaths(project);
  const corpus = await loadCorpus(paths.corpus);
  const model = await createEmbeddings(config.embeddings);
  const index = await (await openVectorStore(project)).open({ embeddingModel: model.id, corpusHash: corpus.hash, chunkConfigHash: stableHash(config.chunk) });
  model.expectDimensions?.(index.manifest.dims);
  const bm25 = new Bm25Index(index.chunks.map(searchText), config.retriever.bm25);
  const embeddings = rememberLastQuery(model.embeddings);
  const retriever = createRetriever({ chunks: index.chunks, vectors: index, bm25, embeddings }, config.retriever);
  const { generator } = config;
  const answerer =
    generator.provider === 'openai'
      ? await createChatAnswerer(generator)
      : createExtractiveAnswerer({
          ...generator,
          idf: (t) => bm25.idf(t),
          passages: corpus.byId,
          similarity: generator.semanticWeight > 0 ? await sentenceSimilarity(project, model.id, embeddings) : undefined,
        });

  return {
    corpus,
    retriever,
    answerer,
    async ask(question, options = {}) {
      const q = question.trim();
      if (q.length === 0) throw new UserError('the question is empty. Ask something, e.g. ragfolio ask "What did the 1991 address say about Kuwait?"');
      if (q.length > MAX_QUESTION_CHARS) throw new UserError(`the question is ${q.length} characters long; the limit is ${MAX_QUESTION_CHARS}. Shorten it.`);
      const started = performance.now();
      const k = options.k ?? config.retriever.k;
      const retrieved = await retriever.retrieve(q, Math.max(k, options.depth ?? k));
      const retrievalMs = performance.now() - started;
      const contexts = retrieved.slice(0, k);
      const answer = await answerer.answer(q, contexts);
      return {
        question: q,
        answer: answer.text,
        citations: answer.citations,
        abstained: answer.abstained,
        retrieved: retrieved.map(({ chunk, score }) => ({ chunkId: chunk.id, passageIds: chunk.passageIds, score })),
        latencyMs: performance.now() - started,
        retrievalMs,
        usage: answer.usage,
        ...(answer.confidence !== undefined ? { confidence: answer.confidence } : {}),
        ...(answer.short ? { short: answer.short } : {}),
        ...(answer.withheld ? { withheld: answer.withheld } : {}),
        contexts,
      };
    },
  };
}

/** Sentence similarity for the extractive answerer, with its own cache file next to the passages' cache. */
async function sentenceSimilarity(project: ProjectConfig, modelId: string, embeddings: EmbeddingsInterface): Promise<Similarity> {
  const shipped = shippedEmbeddingsEnabled() ? await loadShippedEmbeddings(datasetDir(project), modelId) : undefined;
  const cache = await EmbeddingCache.open(projectPaths(project).embeddingCache(`${modelId}-sentences`), modelId, { seed: shipped?.ok ? shipped.shipped : undefined });
  return cachedSimilarity(embeddings, cache);
}
