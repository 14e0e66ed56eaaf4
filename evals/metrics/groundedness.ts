import { splitSentences } from '../../starter/sentences.ts';
import { abstained, DEFAULT_ABSTAIN_MARKER } from './abstention.ts';
import { stripCitationMarkers } from './citations.ts';
import { normalizeAnswer } from './squad.ts';

/**
 * Lexical groundedness: the share of answer sentences supported by the retrieved text.
 *
 * A sentence's content tokens are its SQuAD-normalised tokens (after folding typographic quotes and
 * dashes to ASCII) minus a small English stopword list, deduplicated. The sentence is supported if,
 * for at least one retrieved passage, the share of its content tokens that occur in that passage is
 * ≥ `threshold` (default 0.8). Exact token match: no stemming or synonyms, so a paraphrase can fail
 * and a sentence that rearranges passage words can pass. It measures support by the retrieved text,
 * not correctness. Pass the title along with a passage's text if names in the title should count.
 *
 * Returns null (not applicable, aggregation skips it) for an abstention, an answer that is empty once
 * citation markers are removed, or one with no sentence holding a content token. Sentences without
 * content tokens ("Yes.") are left out of both numerator and denominator.
 */

export interface GroundednessOptions {
  /** Minimum share of a sentence's content tokens found in one passage, in (0, 1]. Default 0.8. */
  threshold?: number;
  abstainMarker?: string;
}

export const DEFAULT_GROUNDEDNESS_THRESHOLD = 0.8;

// Function words that carry no claim. Negations (no, not, nor, never) are deliberately absent:
// "did not raise taxes" must not be supported by a passage saying "raise taxes".
// Contractions appear without apostrophes because normalisation deletes them ("it's" → "its").
export const CONTENT_STOPWORDS: ReadonlySet<string> = new Set([
  'a',
  'about',
  'above',
  'after',
  'again',
  'against',
  'all',
  'also',
  'am',
  'an',
  'and',
  'any',
  'are',
  'as',
  'at',
  'be',
  'because',
  'been',
  'before',
  'being',
  'below',
  'between',
  'both',
  'but',
  'by',
  'can',
  'could',
  'did',
  'do',
  'does',
  'doing',
  'down',
  'during',
  'each',
  'few',
  'for',
  'from',
  'further',
  'had',
  'has',
  'have',
  'having',
  'he',
  'her',
  'here',
  'hers',
  'herself',
  'him',
  'himself',
  'his',
  'how',
  'i',
  'if',
  'in',
  'into',
  'is',
  'it',
  'its',
  'itself',
  'just',
  'me',
  'more',
  'most',
  'my',
  'myself',
  'of',
  'off',
  'on',
  'once',
  'only',
  'or',
  'other',
  'our',
  'ours',
  'ourselves',
  'out',
  'over',
  'own',
  'same',
  'she',
  'should',
  'so',
  'some',
  'such',
  'than',
  'that',
  'thats',
  'the',
  'their',
  'theirs',
  'them',
  'themselves',
  'then',
  'there',
  'theres',
  'these',
  'they',
  'theyre',
  'this',
  'those',
  'through',
  'to',
  'too',
  'under',
  'until',
  'up',
  'very',
  'was',
  'we',
  'were',
  'weve',
  'what',
  'whats',
  'when',
  'where',
  'which',
  'while',
  'who',
  'whom',
  'why',
  'will',
  'with',
  'would',
  'you',
  'your',
  'youre',
  'yours',
  'yourself',
  'yourselves',
]);

export function groundedness(answer: string, retrievedTexts: readonly string[], options: GroundednessOptions = {}): number | null {
  const threshold = options.threshold ?? DEFAULT_GROUNDEDNESS_THRESHOLD;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  if (abstained(answer, options.abstainMarker ?? DEFAULT_ABSTAIN_MARKER)) return null;

  // A blank line ends a sentence too: an answer quoting Markdown puts each quote and code block in a paragraph of its own.
  const sentences = stripCitationMarkers(answer)
    .split(/\n\s*\n/)
    .flatMap((block) => splitSentences(block).map(({ start, end }) => contentTokens(block.slice(start, end))))
    .filter((tokens) => tokens.size > 0);
  if (sentences.length === 0) return null;

  const passages = retrievedTexts.map(contentTokens);
  const supported = sentences.filter((tokens) => passages.some((passage) => coverage(tokens, passage) >= threshold));
  return supported.length / sentences.length;
}

/** Texts whose content tokens are kept: more than a grid's distinct retrieved passages and answer sentences. */
const KEPT_TEXTS = 8192;
const keptTokens = new Map<string, ReadonlySet<string>>();

/**
 * Distinct content tokens of a text: typography folded, SQuAD-normalised, stopwords removed. Kept per text
 * (oldest dropped first): an eval, and a grid's scoring above all, scores the same retrieved passages again
 * and again, and normalising them was most of its scoring time.
 */
export function contentTokens(text: string): ReadonlySet<string> {
  const kept = keptTokens.get(text);
  if (kept) return kept;
  const tokens = new Set(
    normalizeAnswer(foldTypography(text))
      .split(' ')
      .filter((token) => token !== '' && !CONTENT_STOPWORDS.has(token)),
  );
  if (keptTokens.size >= KEPT_TEXTS) keptTokens.delete(keptTokens.keys().next().value as string);
  keptTokens.set(text, tokens);
  return tokens;
}

/**
 * Map typographic punctuation to ASCII so "nation’s" (answer) and "nation's" (corpus) both normalise
 * to "nations": curly quotes → straight, non-breaking hyphen → "-", en/em dashes → space (they separate words).
 */
export function foldTypography(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"')
    .replace(/[\u2010\u2011]/g, '-')
    .replace(/[\u2012-\u2015]/g, ' ');
}

function coverage(sentence: ReadonlySet<string>, passage: ReadonlySet<string>): number {
  let found = 0;
  for (const token of sentence) if (passage.has(token)) found += 1;
  return found / sentence.size;
}
