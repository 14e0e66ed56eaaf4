import { readFile } from 'node:fs/promises';
import { parseRelatedTerms, type RelatedTerms } from './related-terms.ts';

/** The table shipped next to this module (built by scripts/build-related-terms.ts from WordNet 3.1; see WORDNET-LICENSE). */
export const RELATED_TERMS_FILE = new URL('./related-terms.txt', import.meta.url);
/** WordNet's licence, whose notice must go with every copy of the table (a published page's too). */
export const RELATED_TERMS_LICENSE = new URL('./WORDNET-LICENSE', import.meta.url);

let loaded: Promise<RelatedTerms> | undefined;

/** The shipped table, read and parsed once per process (about 3 MB of text). */
export function loadRelatedTerms(): Promise<RelatedTerms> {
  loaded ??= readFile(RELATED_TERMS_FILE, 'utf8')
    .then(parseRelatedTerms)
    .catch((error: unknown) => {
      // A failed read is not remembered: the next call tries again.
      loaded = undefined;
      throw error;
    });
  return loaded;
}
