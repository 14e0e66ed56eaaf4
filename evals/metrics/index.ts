// Pure per-question metrics for the RAG eval harness. Aggregation (means, CIs) lives elsewhere and
// averages each key over the questions whose record has it.

export { abstained, abstentionCorrect, DEFAULT_ABSTAIN_MARKER, falseAbstention } from './abstention.ts';
export { type AnswerMetricsInput, answerMetrics, UNANSWERABLE_TYPE } from './answer.ts';
export { citationPrecision, citationRecall, stripCitationMarkers } from './citations.ts';
export { answerContains, normalizeForContains } from './contains.ts';
export {
  contentTokens,
  DEFAULT_GROUNDEDNESS_THRESHOLD,
  foldTypography,
  type GroundednessOptions,
  groundedness,
  STOPWORDS,
} from './groundedness.ts';
export {
  averagePrecisionAtK,
  hitAtK,
  ndcgAtK,
  precisionAtK,
  type RetrievalMetricFn,
  recallAtK,
  reciprocalRankAtK,
  retrievalMetrics,
} from './retrieval.ts';
export { exactMatch, normalizeAnswer, tokenF1 } from './squad.ts';
export { METRICS_VERSION } from './version.ts';
