import type { AnswerRecord } from '../starter/pipeline.ts';
import type { EvalItem } from './evalset.ts';
import { answerMetrics, UNANSWERABLE_TYPE } from './metrics/answer.ts';
import { stripCitationMarkers } from './metrics/citations.ts';
import { answerContains } from './metrics/contains.ts';
import { retrievalMetrics } from './metrics/retrieval.ts';

/**
 * The ranked list of distinct passages a question retrieved: a chunk retrieves every passage its span
 * overlaps, so metrics stay at passage level whatever the chunking.
 */
export function rankedPassages(retrieved: AnswerRecord['retrieved']): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const r of retrieved) {
    for (const id of r.passageIds) {
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
  }
  return out;
}

/** All offline metrics of one answered question. Keys absent from the result do not apply to it. */
export function scoreQuestion(item: EvalItem, record: AnswerRecord, contextTexts: readonly string[], ks: readonly number[]): Record<string, number> {
  return {
    ...(item.gold.length > 0 ? reportedRetrievalMetrics(retrievalMetrics(rankedPassages(record.retrieved), item.gold, ks), ks) : {}),
    ...answerMetrics({
      answer: record.answer,
      ...(record.short ? { short: record.short } : {}),
      citations: record.citations,
      answers: item.answers,
      goldPassageIds: item.gold,
      type: item.type,
      retrievedTexts: contextTexts,
    }),
  };
}

/** Keep the metrics a report reads: hit and recall at every depth, MRR and nDCG at 10 (BEIR's cut) and the deepest. */
function reportedRetrievalMetrics(all: Record<string, number>, ks: readonly number[]): Record<string, number> {
  const cuts = new Set([10, Math.max(...ks)].map(String));
  const keep = (name: string) => /^(hit|recall)@/.test(name) || (/^(mrr|ndcg)@/.test(name) && cuts.has(name.split('@')[1] ?? ''));
  return Object.fromEntries(Object.entries(all).filter(([name]) => keep(name)));
}

/**
 * Whether the answer the system gave, or would have given above its threshold, is right: the y of a
 * risk–coverage curve. Unanswerable questions have no right answer; items without answer strings have no label.
 */
export function correctIfAnswered(item: EvalItem, record: AnswerRecord): boolean | undefined {
  if (item.type === UNANSWERABLE_TYPE) return false;
  if (item.answers.length === 0) return undefined;
  return answerContains(stripCitationMarkers(record.withheld?.text ?? record.answer), item.answers) === 1;
}
