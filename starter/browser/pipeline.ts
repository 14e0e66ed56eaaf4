import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { createExtractiveAnswerer } from '../answer/extractive.ts';
import { withPlanner } from '../answer/planner.ts';
import { cosine, rememberLastQuery, type Similarity } from '../answer/similarity.ts';
import { type Ask, createAsk } from '../ask.ts';
import { searchText } from '../chunk.ts';
import type { Passage } from '../corpus.ts';
import { Bm25Index } from '../index/bm25.ts';
import { createRetriever } from '../retrieve.ts';
import { type DemoData, sentenceTexts } from './data.ts';
import { BruteForceIndex } from './vector-store.ts';

export interface DemoPipeline {
  ask: Ask;
  passages: ReadonlyMap<string, Passage>;
}

/**
 * The app's pipeline (BM25, fusion, the extractive answerer, the planner) over the site's files: only the vector search
 * (brute force instead of hnswlib) and where sentence vectors come from (the shipped rows instead of the
 * embedding cache) differ from starter/pipeline.ts. No DOM, so Node can run it too.
 */
export function createDemoPipeline(data: DemoData, model: EmbeddingsInterface): DemoPipeline {
  const { manifest, chunks } = data;
  const passages = new Map(data.passages.map((p) => [p.id, p]));
  const bm25 = new Bm25Index(chunks.map(searchText), manifest.retriever.bm25);
  const embeddings = rememberLastQuery(model);
  const vectors = new BruteForceIndex(data.passageVectors, manifest.dims);
  if (vectors.count !== chunks.length) throw new Error(`${vectors.count} passage vectors for ${chunks.length} chunks`);
  const retriever = createRetriever({ chunks, vectors, bm25, embeddings }, manifest.retriever);
  const { generator } = manifest;
  const similarity = generator.semanticWeight > 0 ? shippedSimilarity(sentenceTexts(chunks), data.sentenceVectors, manifest.dims, embeddings) : undefined;
  const extractive = (secondSource: number) => createExtractiveAnswerer({ ...generator, secondSource, idf: (t) => bm25.idf(t), passages, similarity, relatedTerms: data.relatedTerms });
  const single = extractive(generator.secondSource);
  const { planner } = manifest;
  // As in the app: a part is about one thing, so it quotes one source.
  const answerer = planner?.enabled ? withPlanner(single, { k: manifest.retriever.k, partMinConfidence: planner.partMinConfidence, part: extractive(0), idf: (t) => bm25.idf(t) }) : single;
  return { ask: createAsk(retriever, answerer, manifest.retriever.k), passages };
}

/** Question–sentence cosine with the sentence vectors read from the site; a sentence without one is embedded. */
function shippedSimilarity(texts: readonly string[], vectors: Float32Array, dims: number, embeddings: EmbeddingsInterface): Similarity {
  if (vectors.length !== texts.length * dims) throw new Error(`${vectors.length / dims} sentence vectors for ${texts.length} sentences`);
  const row = new Map(texts.map((t, i) => [t, i]));
  const extra = new Map<string, number[]>();
  return async (question, sentences) => {
    const missing = [...new Set(sentences.filter((s) => !row.has(s) && !extra.has(s)))];
    const [q, embedded] = await Promise.all([embeddings.embedQuery(question), missing.length > 0 ? embeddings.embedDocuments(missing) : []]);
    for (const [i, s] of missing.entries()) extra.set(s, embedded[i] ?? []);
    return sentences.map((s) => {
      const i = row.get(s);
      return cosine(q, i === undefined ? (extra.get(s) ?? []) : Array.from(vectors.subarray(i * dims, (i + 1) * dims)));
    });
  };
}
