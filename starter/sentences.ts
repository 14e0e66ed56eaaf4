export interface Span {
  start: number;
  end: number;
}

// A sentence ends at . ! or ? (optionally followed by a closing quote or bracket) before
// white space and an upper-case letter, digit, quote or bracket. Common abbreviations are not ends.
const END = /[.!?]["'\u2019\u201d)\]]*\s+(?=["'\u2018\u201c([]?[A-Z0-9])/g;
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'gen', 'sen', 'rep', 'u.s', 'u.n', 'no', 'vs', 'etc', 'j', 'w', 'h', 'e', 'r']);

/** Split text into sentence spans (character offsets into `text`, trimmed of surrounding white space). */
export function splitSentences(text: string): Span[] {
  const spans: Span[] = [];
  let start = skipSpace(text, 0);
  for (const match of text.matchAll(END)) {
    const endOfPunct = match.index + match[0].trimEnd().length;
    const wordBefore = /([A-Za-z.]+)\.$/.exec(text.slice(Math.max(0, match.index - 6), match.index + 1));
    if (text[match.index] === '.' && wordBefore && ABBREVIATIONS.has(wordBefore[1]?.toLowerCase() ?? '')) continue;
    if (endOfPunct > start) spans.push({ start, end: endOfPunct });
    start = skipSpace(text, match.index + match[0].length);
  }
  const end = text.trimEnd().length;
  if (end > start) spans.push({ start, end });
  return spans;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? '')) i++;
  return i;
}

export function countWords(text: string): number {
  const m = text.match(/\S+/g);
  return m ? m.length : 0;
}
