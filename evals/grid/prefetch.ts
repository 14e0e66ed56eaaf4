import type { ProjectConfig } from '../../starter/config.ts';
import { embeddingModelId } from '../../starter/embeddings/index.ts';
import type { GridStages } from './stages.ts';

/** Where a prefetch is: question vectors embedded, or questions whose every configuration is computed. */
export type PrefetchProgress = (stage: 'queries' | 'prefetch', done: number, total: number) => void;

/** A configuration needs question vectors: its retriever is dense or hybrid, or its answerer weighs sentence similarity. */
export function embedsQuestions(p: ProjectConfig): boolean {
  return p.config.retriever.kind !== 'bm25' || (p.config.generator.provider === 'extractive' && p.config.generator.semanticWeight > 0);
}

/**
 * Every stage the grid's configurations need for these questions, computed into `stages` ahead of the
 * evaluation: the question vectors of each model a configuration embeds with (on the embedder's threads), then,
 * question-major, every configuration's retrieval and answer for a question as soon as its vector is in, so the
 * calling thread works while the embedder's threads embed the rest (evaluating one configuration at a time, the
 * first would wait on each question). The evaluation then reads every stage from the caches. `overlap: false`
 * embeds every question first (a grid worker, whose embedder runs on the worker itself).
 */
export async function prefetchStages(
  stages: GridStages,
  projects: readonly ProjectConfig[],
  questions: readonly string[],
  onProgress?: PrefetchProgress,
  options: { overlap?: boolean } = {},
): Promise<void> {
  const embedded = new Set<string>();
  const fills: Promise<void>[] = [];
  for (const p of projects) {
    const model = embeddingModelId(p.config.embeddings);
    if (!embedsQuestions(p) || embedded.has(model)) continue;
    embedded.add(model);
    fills.push(stages.embedQuestions(p, questions, (done, total) => onProgress?.('queries', done, total)));
  }
  // A failed embedding surfaces in the asks below too; the fills' own rejection is awaited at the end.
  const filled = Promise.all(fills);
  filled.catch(() => {});
  // A thread that embeds on itself (a grid worker) gains nothing by interleaving, and each stage's time then is its own.
  if (options.overlap === false) await filled;
  const pipelines = await Promise.all(projects.map((p) => stages.pipeline(p, 'prefetch')));
  for (const [q, question] of questions.entries()) {
    for (const [i, pipeline] of pipelines.entries()) await pipeline.ask(question, { depth: Math.max(...(projects[i] as ProjectConfig).config.eval.ks) });
    onProgress?.('prefetch', q + 1, questions.length);
  }
  await filled;
}
