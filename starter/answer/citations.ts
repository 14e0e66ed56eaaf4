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
