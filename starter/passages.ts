import { countWords, type Span, splitSentences } from './sentences.ts';

export interface PassageSplitOptions {
  minWords: number;
  maxWords: number;
}

/**
 * Group whole sentences into passages of about minWords..maxWords words.
 * A passage closes once it reaches minWords, or before a sentence that would push it past maxWords;
 * a single sentence longer than maxWords stays whole (we never cut inside a sentence).
 */
export function splitIntoPassages(text: string, { minWords, maxWords }: PassageSplitOptions): Span[] {
  const passages: Span[] = [];
  let current: Span | undefined;
  let words = 0;
  for (const sentence of splitSentences(text)) {
    const n = countWords(text.slice(sentence.start, sentence.end));
    if (current && words + n > maxWords) {
      passages.push(current);
      current = undefined;
      words = 0;
    }
    current = current ? { start: current.start, end: sentence.end } : { ...sentence };
    words += n;
    if (words >= minWords) {
      passages.push(current);
      current = undefined;
      words = 0;
    }
  }
  // A short tail joins the previous passage rather than standing alone as a fragment.
  if (current) {
    const last = passages.at(-1);
    if (last && words < minWords / 2) last.end = current.end;
    else passages.push(current);
  }
  return passages;
}
