import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { type RankedRuns, scoringSettings } from '../../starter/answer/extractive.ts';
import type { Similarity } from '../../starter/answer/similarity.ts';
import type { Answer, Answerer, AnswerTools } from '../../starter/answer/types.ts';
import { createAsk } from '../../starter/ask.ts';
import { searchText } from '../../starter/chunk.ts';
import type { Config, ProjectConfig } from '../../starter/config.ts';
import type { Corpus } from '../../starter/corpus.ts';
import { type EmbeddingModel, embeddingModelId } from '../../starter/embeddings/index.ts';
import { QueryCache } from '../../starter/embeddings/query-cache.ts';
import { shippedQuestionVectors } from '../../starter/embeddings/shipped-questions.ts';
import { stableHash } from '../../starter/hash.ts';
import { Bm25Index, type Bm25Postings } from '../../starter/index/bm25.ts';
import { openBm25 } from '../../starter/index/bm25-file.ts';
import type { OpenedIndex } from '../../starter/index/vector-store.ts';
import { projectPaths } from '../../starter/paths.ts';
import { createAnswerer, openIndexed, type Pipeline, sentenceSimilarity } from '../../starter/pipeline.ts';
import { createRetriever, type RetrievedChunk, type Retriever } from '../../starter/retrieve.ts';
import type { Scorer } from '../run.ts';
import { scoreQuestion } from '../score.ts';

/** Cache hits and misses of one stage over a whole grid. */
export interface StageCount {
  hits: number;
  misses: number;
}

export interface StageStats {
  queries: StageCount;
  retrieval: StageCount;
  answers: StageCount;
  /** Offline metrics, once per distinct (question, retrieved list, answer, contexts). */
  scores: StageCount;
  /**
   * Time spent computing each distinct stage input once (the misses), summed over the threads that computed
   * them: what one thread would pay for these stages in any grid.
   */
  floorMs: { queries: number; retrieval: number; answers: number; scores: number };
}

/** Stage results one GridStages computed, handed to another (a grid worker's to the main thread's). */
export interface ComputedStages {
  /** Question vectors embedded, by question text. */
  queries: [string, number[]][];
  retrieved: [string, RetrievedChunk[]][];
  answers: [string, Answer][];
  /** Answerer ids by answerer key. */
  answererIds: [string, string][];
  stats: Pick<StageStats, 'queries' | 'floorMs'>;
}

interface IndexParts {
  corpus: Corpus;
  model: EmbeddingModel;
  index: OpenedIndex;
  /** The model's embeddings with questions served from the query cache. */
  embeddings: EmbeddingsInterface;
  queries: QueryCache;
  similarity?: Promise<Similarity>;
  /** The chunks' BM25 postings, whatever the parameters: read once from the file ingest saved. */
  postings?: Promise<Bm25Postings>;
  bm25: Map<string, Promise<Bm25Index>>;
  scores: Map<string, Record<string, number>>;
  /** Ranked answer runs by scoring settings (starter/answer/extractive.ts scoringSettings). */
  ranked: Map<string, RankedRuns>;
}

/**
 * The pipeline stages of an experiment grid, each computed once per distinct input and shared by every grid
 * point: question vectors per (model, question) through the on-disk query cache; retrieval per (index,
 * retriever settings but k, depth, question); answers per (generator, question, context chunks). The
 * pipelines it hands out run the exact code `loadPipeline` assembles, so a grid point's run file equals
 * running that config alone (same createAsk), except for latency, which then times cache lookups and is labelled so.
 */
export class GridStages {
  private readonly indexes = new Map<string, Promise<IndexParts>>();
  private readonly retrievers = new Map<string, Promise<Retriever>>();
  private readonly answerers = new Map<string, Promise<Answerer>>();
  /** Each answerer's id by its key, known without making it once another thread made it. */
  private readonly answererIds = new Map<string, string>();
  private readonly retrieved = new Map<string, Promise<RetrievedChunk[]>>();
  private readonly answers = new Map<string, Promise<Answer>>();
  /** Stage inputs a prefetch pipeline computed that no evaluation has asked for yet. */
  private readonly prefetched = new Set<string>();
  /** Retrieval and answer keys computed here since the last takeComputed(). */
  private readonly computed = { retrieval: [] as string[], answers: [] as string[] };
  readonly stats: StageStats = {
    queries: { hits: 0, misses: 0 },
    retrieval: { hits: 0, misses: 0 },
    answers: { hits: 0, misses: 0 },
    scores: { hits: 0, misses: 0 },
    floorMs: { queries: 0, retrieval: 0, answers: 0, scores: 0 },
  };

  /** Questions whose stages another thread is computing (expect()): a pipeline asks for them once adopt() has them. */
  private readonly awaited = new Map<string, { arrived: Promise<void>; resolve(): void; reject(error: unknown): void }>();

  /** `persist: false` leaves the query cache file alone (a grid worker: the main thread saves what it embedded). */
  constructor(private readonly options: { persist?: boolean } = {}) {}

  /**
   * Embed every question the grid will ask that the query cache lacks, on the embedder's threads. Pipelines
   * handed out meanwhile wait for each question's vector as it comes, so evaluation overlaps the embedding.
   */
  async embedQuestions(project: ProjectConfig, questions: readonly string[], onDone?: (done: number, total: number) => void): Promise<void> {
    const parts = await this.parts(project);
    const started = performance.now();
    const { hits, misses } = await parts.queries.fill(
      questions.map((q) => q.trim()),
      parts.model.embeddings,
      onDone,
    );
    this.stats.floorMs.queries += performance.now() - started;
    this.stats.queries.hits += hits;
    this.stats.queries.misses += misses;
  }

  /** The corpus a grid point answers from (loaded once per index). */
  async corpus(project: ProjectConfig): Promise<Corpus> {
    return (await this.parts(project)).corpus;
  }

  /**
   * A pipeline for one grid point, sharing every stage with the others. A `prefetch` pipeline computes stages
   * ahead of the evaluation and counts nothing but its misses: the evaluation's first ask of a prefetched input
   * is not a hit either, so the counts are those of a grid without prefetch.
   */
  async pipeline(project: ProjectConfig, mode: 'eval' | 'prefetch' = 'eval'): Promise<Pipeline> {
    const { config } = project;
    const parts = await this.parts(project);
    const indexKey = indexKeyOf(project, parts);
    const retrieverKey = stableHash({ indexKey, retriever: retrievalSettings(config.retriever) });
    // Made on first use: a thread whose stages other threads compute (evals/grid/threads.ts) never builds its BM25 index or retriever.
    const retrieverOf = () => {
      let retriever = this.retrievers.get(retrieverKey);
      if (!retriever) {
        retriever = this.bm25(project, parts, config.retriever.bm25).then((bm25) =>
          createRetriever({ chunks: parts.index.chunks, vectors: parts.index, bm25, embeddings: parts.embeddings }, config.retriever),
        );
        this.retrievers.set(retrieverKey, retriever);
      }
      return retriever;
    };
    const answererKey = stableHash({ indexKey, bm25: config.retriever.bm25, generator: config.generator, planner: config.planner, k: config.retriever.k });
    // Made on the first answer to compute: a thread that adopted every answer (evals/grid/threads.ts) never loads its sentence vectors.
    const answering = () => {
      let answerer = this.answerers.get(answererKey);
      if (!answerer) {
        answerer = this.bm25(project, parts, config.retriever.bm25).then((bm25) => this.answererFor(project, parts, bm25));
        this.answerers.set(answererKey, answerer);
      }
      return answerer;
    };
    // A thread whose stages other threads compute (expect()) learns the answerer's id with the answers they send.
    if (this.awaited.size === 0 && !this.answererIds.has(answererKey)) this.answererIds.set(answererKey, (await answering()).id);
    const ids = this.answererIds;

    // A stage's time starts once its question's vector is ready: waiting for the embedder is the query stage's time.
    const ready = (question: string) => parts.queries.settled(question);
    const retrieve = async (question: string, n: number) => {
      await this.arrival(question);
      return this.once(mode, this.retrieved, `${retrieverKey}\u0000${n}\u0000${question}`, 'retrieval', ready(question), async () => (await retrieverOf()).retrieve(question, n));
    };
    // The answerers read the context chunks (their text and order), not the retrieval scores; a planner or
    // agent also retrieves for itself, so its answers are shared only among points with the same retriever.
    const retrievesItself = config.planner?.enabled === true || config.generator.provider === 'agent';
    const answer = async (question: string, contexts: readonly RetrievedChunk[], tools?: AnswerTools) => {
      await this.arrival(question);
      return this.once(
        mode,
        this.answers,
        `${answererKey}\u0000${retrievesItself ? retrieverKey : ''}\u0000${question}\u0000${contexts.map((c) => c.chunk.id).join('\u0001')}`,
        'answers',
        ready(question),
        async () => (await answering()).answer(question, contexts, tools),
      );
    };

    const sharedRetriever: Retriever = { retrieve: (question, k = config.retriever.k) => retrieve(question, k) };
    const sharedAnswerer: Answerer = {
      get id() {
        const id = ids.get(answererKey);
        if (id === undefined) throw new Error('grid stages: the answerer id is read before any answer came in');
        return id;
      },
      answer,
    };
    return { corpus: parts.corpus, retriever: sharedRetriever, answerer: sharedAnswerer, ask: createAsk(sharedRetriever, sharedAnswerer, config.retriever.k) };
  }

  /**
   * scoreQuestion, once per distinct input within one index (chunk ids name the same text there): grid points
   * that retrieve and answer alike share their scores.
   */
  async scorer(project: ProjectConfig): Promise<Scorer> {
    const parts = await this.parts(project);
    return (item, record, contextTexts, ks) => {
      const key = JSON.stringify([item.id, ks, record.retrieved.map((r) => r.passageIds), record.answer, record.short ?? null, record.citations, record.contexts.map((c) => c.chunk.id)]);
      const hit = parts.scores.get(key);
      if (hit) {
        this.stats.scores.hits++;
        return hit;
      }
      this.stats.scores.misses++;
      const started = performance.now();
      const metrics = scoreQuestion(item, record, contextTexts, ks);
      this.stats.floorMs.scores += performance.now() - started;
      parts.scores.set(key, metrics);
      return metrics;
    };
  }

  /** Save the question vectors embedded on a cache miss after the up-front fill (none when every question was filled). */
  async save(): Promise<void> {
    for (const parts of this.indexes.values()) await (await parts).queries.save();
  }

  /**
   * Another thread computes these questions' stages: pipelines wait for each question until arrived() says its
   * stages are adopted, so evaluations run while the threads compute (and never compute a stage themselves).
   */
  expect(questions: readonly string[]): void {
    for (const question of questions) {
      if (this.awaited.has(question)) continue;
      let settle: { resolve(): void; reject(error: unknown): void } = { resolve() {}, reject() {} };
      const arrived = new Promise<void>((resolve, reject) => {
        settle = { resolve, reject };
      });
      // Rejected only when the thread computing it failed, which its caller reports.
      arrived.catch(() => {});
      this.awaited.set(question, { arrived, ...settle });
    }
  }

  /** These questions' stages are adopted. */
  arrived(questions: readonly string[]): void {
    for (const question of questions) this.awaited.get(question)?.resolve();
  }

  /** Every question still expected fails with `error` (the threads computing them failed). */
  abandon(error: unknown): void {
    for (const { reject } of this.awaited.values()) reject(error);
  }

  private arrival(question: string): Promise<void> {
    return this.awaited.get(question)?.arrived ?? Promise.resolve();
  }

  /**
   * What this instance computed since the last call (question vectors, retrievals, answers), with the time
   * it took and the question-vector counts; the counters are reset, so each result is handed over once.
   */
  async takeComputed(): Promise<ComputedStages> {
    const settle = <T>(memo: Map<string, Promise<T>>, keys: string[]) => Promise.all(keys.splice(0).map(async (key) => [key, await (memo.get(key) as Promise<T>)] as [string, T]));
    const retrieved = await settle(this.retrieved, this.computed.retrieval);
    const answers = await settle(this.answers, this.computed.answers);
    const queries: [string, number[]][] = [];
    for (const parts of this.indexes.values()) queries.push(...(await parts).queries.take());
    const stats = { queries: { ...this.stats.queries }, floorMs: { ...this.stats.floorMs } };
    this.stats.queries = { hits: 0, misses: 0 };
    this.stats.floorMs = { queries: 0, retrieval: 0, answers: 0, scores: 0 };
    return { queries, retrieved, answers, answererIds: [...this.answererIds], stats };
  }

  /**
   * Keep stages another GridStages computed (a grid worker's) for the project's index, as if a prefetch
   * pipeline had computed them here: each new retrieval or answer counts one miss, and the evaluation's first
   * ask of it is no hit; an input already here (computed twice by two workers) is not counted again.
   */
  async adopt(project: ProjectConfig, computed: ComputedStages): Promise<void> {
    const parts = await this.parts(project);
    for (const [text, vector] of computed.queries) parts.queries.put(text, vector);
    for (const [key, id] of computed.answererIds) this.answererIds.set(key, id);
    const keep = <T>(memo: Map<string, Promise<T>>, stage: 'retrieval' | 'answers', entries: [string, T][]) => {
      for (const [key, value] of entries) {
        if (memo.has(key)) continue;
        memo.set(key, Promise.resolve(value));
        this.stats[stage].misses++;
        this.prefetched.add(`${stage}\u0000${key}`);
      }
    };
    const byId = new Map(parts.index.chunks.map((c) => [c.id, c]));
    // The same chunk objects as the main thread's retrievals (a worker's arrive as copies).
    const own = (list: readonly RetrievedChunk[]) => list.map((r) => ({ ...r, chunk: byId.get(r.chunk.id) ?? r.chunk }));
    keep(
      this.retrieved,
      'retrieval',
      computed.retrieved.map(([key, list]) => [key, own(list)]),
    );
    keep(
      this.answers,
      'answers',
      computed.answers.map(([key, answer]) => [key, answer.contexts ? { ...answer, contexts: own(answer.contexts) } : answer]),
    );
    this.stats.queries.hits += computed.stats.queries.hits;
    this.stats.queries.misses += computed.stats.queries.misses;
    for (const stage of ['queries', 'retrieval', 'answers', 'scores'] as const) this.stats.floorMs[stage] += computed.stats.floorMs[stage];
  }

  private once<T>(mode: 'eval' | 'prefetch', memo: Map<string, Promise<T>>, key: string, stage: 'retrieval' | 'answers', ready: Promise<void>, compute: () => Promise<T>): Promise<T> {
    const count = this.stats[stage];
    const hit = memo.get(key);
    if (hit) {
      if (mode === 'eval' && !this.prefetched.delete(`${stage}\u0000${key}`)) count.hits++;
      return hit;
    }
    count.misses++;
    this.computed[stage].push(key);
    if (mode === 'prefetch') this.prefetched.add(`${stage}\u0000${key}`);
    const value = ready.then(async () => {
      const started = performance.now();
      // A planner's answer retrieves for itself: that time is the retrieval stage's, not the answer's as well.
      const nested = this.stats.floorMs.retrieval;
      const v = await compute();
      this.stats.floorMs[stage] += performance.now() - started - (stage === 'answers' ? this.stats.floorMs.retrieval - nested : 0);
      return v;
    });
    memo.set(key, value);
    return value;
  }

  /**
   * BM25 with these parameters, from the postings ingest saved (starter/index/bm25-file.ts, rebuilt when stale),
   * read once per index: grid points and threads that differ in k1 or b do not tokenize the chunks again.
   */
  private bm25(project: ProjectConfig, parts: IndexParts, params: Config['retriever']['bm25']): Promise<Bm25Index> {
    const key = stableHash(params);
    let index = parts.bm25.get(key);
    if (!index) {
      parts.postings ??= openBm25(projectPaths(project).bm25, parts.index.chunks.map(searchText)).then(({ index }) => index.toPostings());
      index = parts.postings.then((postings) => new Bm25Index(postings, params));
      parts.bm25.set(key, index);
    }
    return index;
  }

  private answererFor(project: ProjectConfig, parts: IndexParts, bm25: Bm25Index): Promise<Answerer> {
    const { generator, retriever } = project.config;
    return createAnswerer(
      project.config,
      bm25,
      parts.corpus,
      () => {
        parts.similarity ??= gridSimilarity(project, parts.model.id, parts.embeddings);
        return parts.similarity;
      },
      // Points that differ only in what picks from the ranked runs (minScore, secondSource, ...) rank once.
      generator.provider === 'extractive' ? this.rankedRuns(stableHash({ bm25: retriever.bm25, scoring: scoringSettings(generator) }), parts) : undefined,
    );
  }

  private rankedRuns(key: string, parts: IndexParts): RankedRuns {
    let runs = parts.ranked.get(key);
    if (!runs) {
      runs = new Map();
      parts.ranked.set(key, runs);
    }
    return runs;
  }

  /** Corpus, embedding model and opened index, loaded once per (store, corpus, model, chunking). */
  private parts(project: ProjectConfig): Promise<IndexParts> {
    const { config } = project;
    const key = stableHash({ root: project.root, dataset: config.dataset, store: config.store, embeddings: config.embeddings, chunk: config.chunk });
    let parts = this.indexes.get(key);
    if (!parts) {
      parts = this.loadParts(project);
      this.indexes.set(key, parts);
    }
    return parts;
  }

  private async loadParts(project: ProjectConfig): Promise<IndexParts> {
    const { corpus, model, index } = await openIndexed(project);
    const modelId = embeddingModelId(project.config.embeddings);
    // The dataset's shipped question vectors seed the cache: a grid over the bundled eval set embeds no question.
    const seed = await shippedQuestionVectors(project, modelId);
    const queries = await QueryCache.open(projectPaths(project).embeddingCache(`${modelId}-queries`), modelId, { persist: this.options.persist, seed });
    return { corpus, model, index, embeddings: queries.serve(model.embeddings), queries, bm25: new Map(), scores: new Map(), ranked: new Map() };
  }
}

/** The settings a retrieval depends on: k is not one (the pipeline asks for its depth), nor the fusion of a single retriever. */
function retrievalSettings(r: Config['retriever']): unknown {
  if (r.kind === 'dense') return { kind: r.kind };
  if (r.kind === 'bm25') return { kind: r.kind, bm25: r.bm25 };
  const { k: _k, ...settings } = r;
  return settings;
}

function indexKeyOf(project: ProjectConfig, parts: IndexParts): string {
  return stableHash({ root: project.root, store: project.config.store, manifest: parts.index.manifest });
}

/** As loadPipeline's: the sentence-vector cache next to the passages' one, seeded by the dataset's shipped vectors. */
/** The app's sentence similarity (its cache seeded with the shipped vectors), shared across the grid. */
async function gridSimilarity(project: ProjectConfig, modelId: string, embeddings: EmbeddingsInterface): Promise<Similarity> {
  return sharedSimilarity(await sentenceSimilarity(project, modelId, embeddings));
}

/**
 * Each (question, sentence) cosine computed once for the whole grid: k=10 contexts contain k=5's sentences, and
 * thresholds and fusion weights that keep the contexts ask again. A value does not depend on the other
 * sentences of the call (each sentence's vector comes from the sentence cache), so sharing changes nothing.
 */
function sharedSimilarity(similarity: Similarity): Similarity {
  const known = new Map<string, Map<string, number>>();
  return async (question, sentences) => {
    let byQuestion = known.get(question);
    if (!byQuestion) {
      byQuestion = new Map();
      known.set(question, byQuestion);
    }
    const seen = byQuestion;
    const missing = [...new Set(sentences.filter((s) => !seen.has(s)))];
    if (missing.length > 0) {
      const values = await similarity(question, missing);
      for (const [i, s] of missing.entries()) seen.set(s, values[i] ?? 0);
    }
    return sentences.map((s) => seen.get(s) ?? 0);
  };
}
