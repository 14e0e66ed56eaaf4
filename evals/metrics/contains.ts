import { foldTypography } from './groundedness.ts';
import { normalizeAnswer } from './squad.ts';

// A possessive 's (after folding curly quotes) at the end of a word: "Lock's" → "Lock", "1990's" → "1990".
const POSSESSIVE = /'s(?![\p{L}\p{N}_])/gu;
// Word separators that SQuAD's normalisation would glue together: hyphens and slashes ("70-percent", "and/or").
const SEPARATORS = /[-/]/g;
// Punctuation outside ASCII (after folding), such as "…" or "«", which SQuAD leaves inside a token.
const OTHER_PUNCTUATION = /(?![\p{ASCII}])\p{P}/gu;

/**
 * The normalisation `contains` matches under: SQuAD's (lower case, ASCII punctuation deleted so "U.S." = "US"
 * and "1,000" = "1000", articles and extra spaces dropped) after folding typography (curly quotes; en and em
 * dashes separate words), dropping possessive 's, and splitting at hyphens and slashes. Without it a quoted
 * "Master Lock's" missed the gold "Master Lock" and "Paris Accord—because" missed "Paris Accord".
 */
export function normalizeForContains(text: string): string {
  const folded = foldTypography(text).replace(POSSESSIVE, '').replace(SEPARATORS, ' ').replace(OTHER_PUNCTUATION, ' ');
  return normalizeAnswer(folded);
}

/**
 * 1 if some normalised gold answer occurs in the normalised prediction as a whole-token run
 * ("bush" is in "george bush said" but not in "bushes"), else 0. Lets a long generated answer get
 * credit for containing a short gold span. A gold that normalises to "" never matches.
 */
export function answerContains(prediction: string, golds: readonly string[]): number {
  if (golds.length === 0) throw new RangeError('no gold answers: the metric is undefined for this question');
  const haystack = ` ${normalizeForContains(prediction)} `;
  return golds.some((gold) => {
    const needle = normalizeForContains(gold);
    return needle !== '' && haystack.includes(` ${needle} `);
  })
    ? 1
    : 0;
}
