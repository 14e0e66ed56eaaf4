const CITATION = /\[([A-Za-z0-9_.:#-]+)\]/g;

/** Where the first [id] citation starts in `text`, or -1 when it cites nothing. */
export function firstCitationAt(text: string): number {
  return text.search(CITATION);
}

/** Passage ids cited as [id] in `text`, first mention first, kept only if they were among the allowed ids. */
export function parseCitations(text: string, allowed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(CITATION)) {
    const id = match[1];
    if (id && allowed.has(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

/** An answer's quotes, each with the passage ids cited right after it: "A [x] B [y] [z]" → A cites x, B cites y and z. */
export function citedQuotes(text: string): { text: string; ids: string[] }[] {
  const quotes: { text: string; ids: string[] }[] = [];
  let from = 0;
  for (const match of text.matchAll(CITATION)) {
    const quote = text.slice(from, match.index).trim();
    const id = match[1] ?? '';
    const last = quotes.at(-1);
    if (quote === '' && last) last.ids.push(id);
    else quotes.push({ text: quote, ids: [id] });
    from = match.index + match[0].length;
  }
  return quotes;
}
