// Pure per-question metrics for the RAG eval harness. Aggregation (means, CIs) lives elsewhere and
// averages each key over the questions whose record has it.
export {
  averagePrecisionAtK,
  hitAtK,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
  retrievalMetrics,
  type RetrievalMetricFn,
} from './retrieval.ts';
export { answerContains, exactMatch, normalizeAnswer, tokenF1 } from './squad.ts';
export { abstained, abstentionCorrect, DEFAULT_ABSTAIN_MARKER, falseAbstention } from './abstention.ts';
export { citationPrecision, citationRecall, stripCitationMarkers } from './citations.ts';
export {
  contentTokens,
  DEFAULT_GROUNDEDNESS_THRESHOLD,
  foldTypography,
  groundedness,
  type GroundednessOptions,
  STOPWORDS,
} from './groundedness.ts';
export { answerMetrics, type AnswerMetricsInput, UNANSWERABLE_TYPE } from './answer.ts';
