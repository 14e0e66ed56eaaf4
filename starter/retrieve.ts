import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Chunk } from './chunk.ts';
import type { RetrieverConfig } from './config.ts';
import type { Bm25Index } from './index/bm25.ts';
import { convexFusion, type FusedItem, reciprocalRankFusion } from './index/fuse.ts';
import type { OpenedIndex } from './index/vector-store.ts';

export interface RetrievedChunk {
  chunk: Chunk;
  /** Cosine similarity (dense), BM25 score (bm25) or the fused score (hybrid): comparable within one list only. */
  score: number;
  /**
   * The raw scores behind `score`, when the chunk was in that list: unlike a fused score they mean the same on
   * every question, so the answerer's support score (answer/support.ts) can read how well the corpus matched.
   */
  signals?: RetrievalSignals;
}

export interface RetrievalSignals {
  /** Okapi BM25 score of the chunk for the question. */
  bm25?: number;
}

export interface Retriever {
  retrieve(question: string, k?: number): Promise<RetrievedChunk[]>;
}

export interface RetrieverParts {
  chunks: readonly Chunk[];
  /** Dense search over the vector store (hnswlib files or pgvector); hit positions index `chunks`. */
  vectors: Pick<OpenedIndex, 'search'>;
  bm25: Bm25Index;
  embeddings: EmbeddingsInterface;
}

export function createRetriever(parts: RetrieverParts, config: RetrieverConfig): Retriever {
  const { chunks, vectors, bm25, embeddings } = parts;
  const at = (i: number): Chunk => {
    const chunk = chunks[i];
    if (!chunk) throw new Error(`index position ${i} has no chunk: the index and chunk list disagree`);
    return chunk;
  };
  const dense = async (q: string, n: number) => (await vectors.search(await embeddings.embedQuery(q), n)).map((h) => ({ chunk: at(h.index), score: h.score }));
  const lexical = (q: string, n: number): RetrievedChunk[] => bm25.search(q, n).map((h) => ({ chunk: at(h.index), score: h.score, signals: { bm25: h.score } }));

  return {
    async retrieve(question, k = config.k) {
      if (config.kind === 'dense') return dense(question, k);
      if (config.kind === 'bm25') return lexical(question, k);
      const n = Math.max(k, config.candidates);
      const [d, l] = await Promise.all([dense(question, n), lexical(question, n)]);
      const byId = new Map([...d, ...l].map((r) => [r.chunk.id, r.chunk]));
      const bm25Of = new Map(l.map((r) => [r.chunk.id, r.score]));
      return fuse(d, l, config.fusion)
        .slice(0, k)
        .flatMap(({ id, score }) => {
          const chunk = byId.get(id);
          const bm25Score = bm25Of.get(id);
          return chunk ? [{ chunk, score, ...(bm25Score === undefined ? {} : { signals: { bm25: bm25Score } }) }] : [];
        });
    },
  };
}

/** Merge the dense and BM25 lists by the configured fusion method (see config.ts for each). */
function fuse(dense: readonly RetrievedChunk[], lexical: readonly RetrievedChunk[], fusion: RetrieverConfig['fusion']): FusedItem[] {
  const asItems = (list: readonly RetrievedChunk[]) => list.map((r) => ({ id: r.chunk.id, score: r.score }));
  if (fusion.method === 'rrf') {
    return reciprocalRankFusion(
      [
        { ids: dense.map((r) => r.chunk.id), weight: fusion.denseWeight },
        { ids: lexical.map((r) => r.chunk.id), weight: fusion.bm25Weight },
      ],
      fusion.rrfK,
    );
  }
  const lists = [
    { items: asItems(dense), weight: fusion.alpha },
    { items: asItems(lexical), weight: 1 - fusion.alpha },
  ];
  const only = fusion.method === 'rerank' ? new Set(lexical.map((r) => r.chunk.id)) : undefined;
  return convexFusion(lists, fusion.normalization, only);
}
