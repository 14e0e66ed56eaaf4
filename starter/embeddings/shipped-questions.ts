import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { planQuestion } from '../answer/planner.ts';
import { datasetDir, type ProjectConfig } from '../config.ts';
import { sha256 } from '../hash.ts';
import { loadShippedEmbeddings, type ShippedEmbeddings, shippedEmbeddingsEnabled } from './shipped.ts';

/**
 * The texts a pipeline embeds with embedQuery for one eval question: the question as `ask` trims it, and the
 * parts the planner splits it into (planQuestion is pure, so they are known ahead). Shipping these vectors
 * lets an eval or a grid over the bundled eval set run without loading the embedding model.
 */
export function questionQueries(question: string): string[] {
  const q = question.trim();
  if (q.length === 0) return [];
  const plan = planQuestion(q);
  return [...new Set([q, ...(plan.kind === 'parts' ? plan.parts.map((p) => p.query) : plan.kind === 'second-source' ? [plan.query] : [])])];
}

/**
 * The dataset's shipped question vectors for the model, when they check out (see loadShippedEmbeddings):
 * undefined when none ship, they are stale or damaged, or shipped vectors are turned off. A question not in
 * them (added or edited since they were built) is simply embedded.
 */
export async function shippedQuestionVectors(project: ProjectConfig, modelId: string): Promise<ShippedEmbeddings | undefined> {
  if (!shippedEmbeddingsEnabled()) return undefined;
  const loaded = await loadShippedEmbeddings(datasetDir(project), modelId, 'questions');
  return loaded?.ok ? loaded.shipped : undefined;
}

/**
 * `embeddings` with embedQuery read from the shipped question vectors when they hold the text (the same
 * floats embedQuery gives: the build embeds each text alone), and computed otherwise; documents pass through.
 */
export function withShippedQuestions(embeddings: EmbeddingsInterface, shipped: ShippedEmbeddings | undefined): EmbeddingsInterface {
  if (!shipped) return embeddings;
  return {
    embedQuery: async (text) => {
      const vector = shipped.vectors.get(sha256(text));
      return vector ? Array.from(vector) : embeddings.embedQuery(text);
    },
    embedDocuments: (texts) => embeddings.embedDocuments(texts),
  };
}

/** Whether every text a question may embed (questionQueries) ships: its latency then includes no embedding. */
export function questionShipped(question: string, shipped: ShippedEmbeddings | undefined): boolean {
  return shipped !== undefined && questionQueries(question).every((text) => shipped.vectors.has(sha256(text)));
}
