import { isAbstention } from '../../starter/answer/abstention.ts';

/**
 * Abstention metrics. The system is told to answer with a fixed marker when the corpus does not hold
 * the answer; we detect the marker rather than judge free text.
 */

export const DEFAULT_ABSTAIN_MARKER = 'not found in the corpus';

/**
 * Whether the answer abstains, by the app's own rule (starter/answer/abstention.ts), so a run file's metrics
 * agree with what `ask` and `serve` say: the marker opens the answer (first sentence, before any citation),
 * whatever the case, punctuation, articles and words around it ("Sorry, this is not found in the corpus.").
 */
export function abstained(answer: string, abstainMarker: string = DEFAULT_ABSTAIN_MARKER): boolean {
  return isAbstention(answer, abstainMarker);
}

/**
 * For an unanswerable question: 1 if the system abstained, else 0 (its mean is abstention recall on
 * unanswerable questions). For an answerable question: null (not applicable; see `falseAbstention`).
 */
export function abstentionCorrect(answer: string, isUnanswerable: boolean, abstainMarker: string = DEFAULT_ABSTAIN_MARKER): number | null {
  if (!isUnanswerable) return null;
  return abstained(answer, abstainMarker) ? 1 : 0;
}

/**
 * For an answerable question: 1 if the system abstained anyway, else 0 (its mean is the false-abstention
 * rate). For an unanswerable question: null (not applicable; see `abstentionCorrect`).
 */
export function falseAbstention(answer: string, isUnanswerable: boolean, abstainMarker: string = DEFAULT_ABSTAIN_MARKER): number | null {
  if (isUnanswerable) return null;
  return abstained(answer, abstainMarker) ? 1 : 0;
}
