import { normalizeAnswer } from './squad.ts';

/**
 * Abstention metrics. The system is told to answer with a fixed marker when the corpus does not hold
 * the answer; we detect the marker rather than judge free text.
 */

export const DEFAULT_ABSTAIN_MARKER = 'not found in the corpus';

/**
 * True if the SQuAD-normalised marker occurs as a whole-token run in the normalised answer, so case,
 * punctuation, articles and surrounding words ("Sorry, this is not found in the corpus.") do not matter.
 * A partial answer that also contains the marker counts as an abstention.
 */
export function abstained(answer: string, abstainMarker: string = DEFAULT_ABSTAIN_MARKER): boolean {
  const marker = normalizeAnswer(abstainMarker);
  if (marker === '') throw new RangeError('abstainMarker normalises to an empty string');
  return ` ${normalizeAnswer(answer)} `.includes(` ${marker} `);
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
