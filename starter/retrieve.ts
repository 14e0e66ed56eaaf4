import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Chunk } from './chunk.ts';
import type { RetrieverConfig } from './config.ts';
import type { Bm25Index } from './index/bm25.ts';
import { reciprocalRankFusion } from './index/fuse.ts';
import { type Hnsw, searchHnsw } from './index/hnsw.ts';

export interface RetrievedChunk {
  chunk: Chunk;
  /** Cosine similarity (dense), BM25 score (bm25) or RRF score (hybrid): comparable within one list only. */
  score: number;
}

export interface Retriever {
  retrieve(question: string, k?: number): Promise<RetrievedChunk[]>;
}

export interface RetrieverParts {
  chunks: readonly Chunk[];
  hnsw: Hnsw;
  bm25: Bm25Index;
  embeddings: EmbeddingsInterface;
}

export function createRetriever(parts: RetrieverParts, config: RetrieverConfig): Retriever {
  const { chunks, hnsw, bm25, embeddings } = parts;
  const at = (i: number): Chunk => {
    const chunk = chunks[i];
    if (!chunk) throw new Error(`index position ${i} has no chunk: the index and chunk list disagree`);
    return chunk;
  };
  const dense = async (q: string, n: number) => searchHnsw(hnsw, await embeddings.embedQuery(q), n).map((h) => ({ chunk: at(h.index), score: h.score }));
  const lexical = (q: string, n: number) => bm25.search(q, n).map((h) => ({ chunk: at(h.index), score: h.score }));

  return {
    async retrieve(question, k = config.k) {
      if (config.kind === 'dense') return dense(question, k);
      if (config.kind === 'bm25') return lexical(question, k);
      const n = Math.max(k, config.candidates);
      const [d, l] = await Promise.all([dense(question, n), lexical(question, n)]);
      const byId = new Map([...d, ...l].map((r) => [r.chunk.id, r.chunk]));
      const fused = reciprocalRankFusion(
        [
          { ids: d.map((r) => r.chunk.id), weight: config.fusion.denseWeight },
          { ids: l.map((r) => r.chunk.id), weight: config.fusion.bm25Weight },
        ],
        config.fusion.rrfK,
      );
      return fused.slice(0, k).flatMap(({ id, score }) => {
        const chunk = byId.get(id);
        return chunk ? [{ chunk, score }] : [];
      });
    },
  };
}
