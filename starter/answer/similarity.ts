import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { EmbeddingCache } from '../embeddings/cache.ts';

export type Similarity = (question: string, sentences: readonly string[]) => Promise<number[]>;

/**
 * Question–sentence cosine similarity with the pipeline's embedding model. Sentence vectors go through a
 * content-addressed cache (seeded by the dataset's shipped vectors), so a sentence is embedded once per
 * machine, not once per question that retrieves it.
 */
export function cachedSimilarity(embeddings: EmbeddingsInterface, cache: EmbeddingCache): Similarity {
  return async (question, sentences) => {
    const [q, { vectors, stats }] = await Promise.all([embeddings.embedQuery(question), cache.read(sentences, embeddings)]);
    if (stats.misses > 0) await cache.saveIfDue();
    return vectors.map((v) => cosine(q, v));
  };
}

/** The retriever and the answerer both embed the question: embed it once. */
export function rememberLastQuery(embeddings: EmbeddingsInterface): EmbeddingsInterface {
  let last: { text: string; vector: Promise<number[]> } | undefined;
  return {
    embedQuery(text) {
      if (last?.text !== text) last = { text, vector: embeddings.embedQuery(text) };
      return last.vector;
    },
    embedDocuments: (texts) => embeddings.embedDocuments(texts),
  };
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
