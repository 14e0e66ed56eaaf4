// Small English stop list: words that carry no topic and would only add noise to term matching.
const STOPWORDS = new Set(
  'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its may me more most my no not of on or our said say says she should so than that the their them then there these they this those to us was we were what when where which who whom why will with would you your'.split(
    ' ',
  ),
);

/**
 * Light suffix stripping, so "invaded", "invades" and "invading" meet at "invad".
 * Deliberately simpler than Porter: predictable, and good enough for term overlap.
 */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'edly', 'ies', 'ied', 'es', 'ed', 'ly', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      if (suffix === 's' && (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is'))) return word;
      return word.slice(0, -suffix.length);
    }
  }
  return word;
}

/** Lower-case word tokens (letters and digits, inner apostrophes dropped), stop words removed, stemmed. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .matchAll(/[a-z0-9]+/g)) {
    const word = match[0];
    if (!STOPWORDS.has(word)) out.push(stem(word));
  }
  return out;
}
