/**
 * Answer-overlap metrics with the semantics of the official SQuAD v1.1 evaluation script
 * (evaluate-v1.1.py): same normalisation, EM and bag-of-tokens F1, max over the gold answers.
 *
 * Faithful quirks, kept on purpose so numbers are comparable with published SQuAD-style scores:
 * - Only ASCII punctuation (Python's `string.punctuation`) is removed, so a curly apostrophe in
 *   "Bush’s" stays part of the token while "Bush's" becomes "bushs".
 * - Punctuation is deleted, not replaced by a space: "U.S." → "us", "1,000" → "1000", "well-known" → "wellknown".
 * - Two answers that both normalise to "" (e.g. "The" vs "a") have EM 1 but F1 0 (v1.1, not v2.0).
 * An empty gold list makes max() undefined, so these functions throw on it; `answerMetrics` omits
 * the keys instead.
 */

// Python's string.punctuation: the 32 ASCII punctuation characters.
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
// Python's re `\b` on str is Unicode-aware (\w = letters, digits, underscore), unlike JS `\b`.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
// The characters Python's str.split() splits on (str.isspace()); JS \s differs (adds U+FEFF, lacks U+001C–U+001F, U+0085).
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C–U+001F are whitespace to Python, which this mirrors.
const PYTHON_WHITESPACE = /[\t\n\v\f\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** lower → remove_punc → remove_articles → white_space_fix, in the script's order. */
export function normalizeAnswer(text: string): string {
  const lowered = text.toLowerCase();
  const noPunct = lowered.replace(ASCII_PUNCTUATION, '');
  const noArticles = noPunct.replace(ARTICLES, ' ');
  return answerTokens(noArticles).join(' ');
}

/** 1 if the normalised prediction equals some normalised gold answer, else 0. */
export function exactMatch(prediction: string, golds: readonly string[]): number {
  const normalized = normalizeAnswer(prediction);
  return maxOverGolds(golds, (gold) => (normalizeAnswer(gold) === normalized ? 1 : 0));
}

/**
 * Max over golds of token F1, where overlap is the multiset (Counter) intersection of normalised tokens:
 * a repeated token only matches as many times as it occurs on both sides.
 */
export function tokenF1(prediction: string, golds: readonly string[]): number {
  const predTokens = answerTokens(normalizeAnswer(prediction));
  return maxOverGolds(golds, (gold) => {
    const goldTokens = answerTokens(normalizeAnswer(gold));
    const numSame = multisetOverlap(predTokens, goldTokens);
    if (numSame === 0) return 0;
    // Same operation order as the script, so results match it bit for bit.
    const precision = (1.0 * numSame) / predTokens.length;
    const recall = (1.0 * numSame) / goldTokens.length;
    return (2 * precision * recall) / (precision + recall);
  });
}

function answerTokens(text: string): string[] {
  return text.split(PYTHON_WHITESPACE).filter((token) => token !== '');
}

function multisetOverlap(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const token of a) counts.set(token, (counts.get(token) ?? 0) + 1);
  let overlap = 0;
  for (const token of b) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      overlap += 1;
      counts.set(token, left - 1);
    }
  }
  return overlap;
}

function maxOverGolds(golds: readonly string[], score: (gold: string) => number): number {
  if (golds.length === 0) throw new RangeError('no gold answers: the metric is undefined for this question');
  return Math.max(...golds.map(score));
}
