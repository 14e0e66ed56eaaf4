import { eng } from 'stopword/dist/stopword.esm.mjs';
import porter2 from 'wink-porter2-stemmer';

/**
 * English stop words: the `stopword` package's list (Lucene/Snowball lineage) plus question words and
 * auxiliaries that every question carries ("when", "why", "does", "will") but no passage is about.
 */
export const STOPWORDS: ReadonlySet<string> = new Set([...eng, 'when', 'why', 'whom', 'whose', 'does', 'will', 'shall', 'its', 'us', 'yes', 'no', 'not']);

// Porter2 (Snowball English) on ~1k distinct words per passage is cheap, but BM25 builds tokenize every
// passage and every sentence the answerer scores: memoising keeps both in milliseconds.
const stems = new Map<string, string>();

/** The Snowball English (Porter2) stem, so "policies"/"policy" and "jobs"/"job" meet. */
export function stem(word: string): string {
  let out = stems.get(word);
  if (out === undefined) {
    out = porter2(word);
    stems.set(word, out);
  }
  return out;
}

// The answerer tokenizes each retrieved passage and each of its sentences on every question that retrieves it,
// and an experiment grid asks every question under many configurations: the same texts come back again and again.
const tokenized = new Map<string, readonly string[]>();
/** Texts remembered at most (about 50 MB for passage-sized texts); past it the memo starts over. */
const TOKENIZED_MAX = 50_000;

/**
 * Bump when `tokenize` changes what it returns for some text: BM25 postings saved under another revision are
 * rebuilt (index/bm25-file.ts also fingerprints the stop words and the stemmer, which change without a bump).
 */
export const TOKENIZER_REVISION = 1;

/** Lower-case word tokens (letters and digits, inner apostrophes dropped), stop words removed, stemmed. */
export function tokenize(text: string): readonly string[] {
  let out = tokenized.get(text);
  if (out === undefined) {
    if (tokenized.size >= TOKENIZED_MAX) tokenized.clear();
    out = Object.freeze(tokenizeText(text));
    tokenized.set(text, out);
  }
  return out;
}

function tokenizeText(text: string): string[] {
  const out: string[] = [];
  for (const match of text
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .matchAll(/[a-z0-9]+/g)) {
    const word = match[0];
    // Numbers are kept as written: the stemmer would turn "1993" into "199i".
    if (!STOPWORDS.has(word)) out.push(/\d/.test(word) ? word : stem(word));
  }
  return out;
}
