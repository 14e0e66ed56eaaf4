import { abstentionCorrect, DEFAULT_ABSTAIN_MARKER, falseAbstention } from './abstention.ts';
import { citationPrecision, citationRecall, stripCitationMarkers } from './citations.ts';
import { answerContains } from './contains.ts';
import { DEFAULT_GROUNDEDNESS_THRESHOLD, groundedness } from './groundedness.ts';
import { exactMatch, tokenF1 } from './squad.ts';

/** The question type whose gold is "the corpus does not answer this". Every other type is answerable. */
export const UNANSWERABLE_TYPE = 'unanswerable';

export interface AnswerMetricsInput {
  /** The generated answer, possibly with inline citation markers such as "[1990-bush-003]". */
  answer: string;
  /** The short answer span the system gave for a who/when/how-many question; EM and F1 score it when present. */
  short?: string;
  /** Passage ids the system cited. */
  citations: readonly string[];
  /** Gold answer strings (any one is a correct answer). */
  answers: readonly string[];
  /** Gold passage ids. */
  goldPassageIds: readonly string[];
  /** Question type; only `UNANSWERABLE_TYPE` changes which metrics apply. */
  type: string;
  /** Texts of the retrieved passages the answer was generated from. */
  retrievedTexts: readonly string[];
  abstainMarker?: string;
  groundednessThreshold?: number;
}

/**
 * One question's answer-side metrics. A key is present only when the metric applies, so aggregation
 * averages each key over the questions that have it:
 * - `em`, `f1`, `contains`: when there are gold answers (citation markers are stripped from the answer first).
 * - `citation_precision`: when the question has gold passages and the answer cites something.
 * - `citation_recall`: when the question has gold passages (0 if nothing is cited).
 * - `groundedness`: when the answer is not an abstention and has at least one content sentence.
 * - `abstain_correct`: unanswerable questions only. `false_abstention`: answerable questions only.
 */
export function answerMetrics(input: AnswerMetricsInput): Record<string, number> {
  const isUnanswerable = input.type === UNANSWERABLE_TYPE;
  const marker = input.abstainMarker ?? DEFAULT_ABSTAIN_MARKER;
  const metrics: Record<string, number> = {};

  if (input.answers.length > 0) {
    const prediction = stripCitationMarkers(input.answer);
    // EM and F1 compare spans (SQuAD): on a quoted sentence they are near zero whatever its quality.
    const span = input.short ?? prediction;
    metrics.em = exactMatch(span, input.answers);
    metrics.f1 = tokenF1(span, input.answers);
    metrics.contains = answerContains(prediction, input.answers);
  }

  // Citation metrics are judged against gold passages; an unanswerable question has none to judge by.
  if (input.goldPassageIds.length > 0) {
    setIfDefined(metrics, 'citation_precision', citationPrecision(input.citations, input.goldPassageIds));
    setIfDefined(metrics, 'citation_recall', citationRecall(input.citations, input.goldPassageIds));
  }

  setIfDefined(
    metrics,
    'groundedness',
    groundedness(input.answer, input.retrievedTexts, {
      threshold: input.groundednessThreshold ?? DEFAULT_GROUNDEDNESS_THRESHOLD,
      abstainMarker: marker,
    }),
  );
  setIfDefined(metrics, 'abstain_correct', abstentionCorrect(input.answer, isUnanswerable, marker));
  setIfDefined(metrics, 'false_abstention', falseAbstention(input.answer, isUnanswerable, marker));
  return metrics;
}

function setIfDefined(metrics: Record<string, number>, key: string, value: number | null): void {
  if (value !== null) metrics[key] = value;
}
