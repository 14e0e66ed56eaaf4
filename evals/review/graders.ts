import type { ReviewLabelValue } from '../../starter/server/review.ts';
import type { RunRecord } from '../run-file.ts';

/** F1 at or above this counts as a pass when F1 is read as a pass/fail grader. */
export const F1_PASS = 0.5;

/**
 * An automatic pass/fail grader, read against one human question: "is the answer right?" or "should it
 * have abstained?". `pass` is undefined where the grader does not apply (an unanswerable question has no
 * `contains`; the judge only runs when configured). Every fact about a grader lives here.
 */
export interface Grader {
  name: string;
  /** How the grader passes an answer, in words, for the report. */
  rule: string;
  target: 'right' | 'should_abstain';
  pass(record: RunRecord): boolean | undefined;
}

const binary = (metric: string) => (r: RunRecord) => (r.metrics[metric] === undefined ? undefined : r.metrics[metric] >= 0.5);

export const GRADERS: readonly Grader[] = [
  { name: 'contains', rule: 'a gold answer appears in the answer', target: 'right', pass: binary('contains') },
  { name: 'em', rule: 'the short answer equals a gold answer (SQuAD-normalised)', target: 'right', pass: binary('em') },
  {
    name: `f1>=${F1_PASS}`,
    rule: `token F1 against the best gold answer is at least ${F1_PASS}`,
    target: 'right',
    pass: (r) => (r.metrics.f1 === undefined ? undefined : r.metrics.f1 >= F1_PASS),
  },
  {
    name: 'groundedness',
    rule: 'every answer sentence is supported by the retrieved text (groundedness = 1)',
    target: 'right',
    pass: (r) => (r.metrics.groundedness === undefined ? undefined : r.metrics.groundedness >= 1),
  },
  { name: 'judge_correct', rule: 'the LLM judge says correct', target: 'right', pass: binary('judge_correct') },
  { name: 'abstained', rule: 'the answerer abstained', target: 'should_abstain', pass: (r) => r.abstained },
];

/**
 * The person's answer to a grader's question, or undefined when the label does not answer it: "gold is
 * wrong" says nothing about the answer. An abstention labelled right means abstaining was right.
 */
export function humanVerdict(target: Grader['target'], label: ReviewLabelValue, record: RunRecord): boolean | undefined {
  if (label === 'gold_wrong') return undefined;
  if (target === 'right') return label === 'right';
  return label === 'should_abstain' || (record.abstained && label === 'right');
}
