import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** A fake embedder that counts its query calls; its vectors are exact in float32 (they survive a cache file) and not USE-lite's. */
export function countingEmbedder(): EmbeddingsInterface & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    async embedQuery(text) {
      queries.push(text);
      return [text.length, 0.5, -1];
    },
    embedDocuments: async (texts) => texts.map((t) => [t.length, 0.5, -1]),
  };
}
