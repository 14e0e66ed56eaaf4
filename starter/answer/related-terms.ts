/**
 * WordNet-related forms of a question term ("hooked" → "addicted", "glitch" → "bug", "television" → "tv"), as
 * stems of the project's tokenizer: the extractive answerer counts a related form in a sentence as partial
 * coverage of the term when it judges its confidence. Pure and browser-safe: the table ships as text
 * (related-terms.txt, built from WordNet 3.1 by scripts/build-related-terms.ts), so nothing reads WordNet at run time.
 */

/** Stem → related stems (sorted, never the stem itself). */
export type RelatedTerms = ReadonlyMap<string, readonly string[]>;

/** The shipped format: one line per stem, `stem<TAB>rel1 rel2 …`; lines sorted, trailing newline. */
export function parseRelatedTerms(text: string): RelatedTerms {
  const rows = new Map<string, string>();
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line === '') continue;
    const tab = line.indexOf('\t');
    if (tab < 1 || tab === line.length - 1 || line.includes('\t', tab + 1)) throw new Error(`related terms, line ${lineNumber}: expected "stem<TAB>related stems", got "${line.slice(0, 80)}"`);
    rows.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return new LazyRelatedTerms(rows);
}

/**
 * Splits a stem's list on first use: a question looks up a handful of the ~48k stems, and splitting every list
 * up front doubled the table's load time. Iterating splits them all, once.
 */
class LazyRelatedTerms implements ReadonlyMap<string, readonly string[]> {
  readonly #rows: ReadonlyMap<string, string>;
  readonly #split = new Map<string, readonly string[]>();
  #whole: ReadonlyMap<string, readonly string[]> | undefined;

  constructor(rows: ReadonlyMap<string, string>) {
    this.#rows = rows;
  }

  get size(): number {
    return this.#rows.size;
  }

  has(stem: string): boolean {
    return this.#rows.has(stem);
  }

  get(stem: string): readonly string[] | undefined {
    let related = this.#split.get(stem);
    if (related === undefined) {
      related = this.#rows.get(stem)?.split(' ');
      if (related !== undefined) this.#split.set(stem, related);
    }
    return related;
  }

  #all(): ReadonlyMap<string, readonly string[]> {
    this.#whole ??= new Map([...this.#rows.keys()].map((stem) => [stem, this.get(stem) ?? []]));
    return this.#whole;
  }

  keys() {
    return this.#rows.keys();
  }

  values() {
    return this.#all().values();
  }

  entries() {
    return this.#all().entries();
  }

  [Symbol.iterator]() {
    return this.entries();
  }

  forEach(callback: (related: readonly string[], stem: string, table: ReadonlyMap<string, readonly string[]>) => void, thisArg?: unknown): void {
    for (const [stem, related] of this.#all()) callback.call(thisArg, related, stem, this);
  }
}

export function serializeRelatedTerms(table: RelatedTerms): string {
  const lines = [...table]
    .filter(([, related]) => related.length > 0)
    .map(([stem, related]) => `${stem}\t${[...related].sort().join(' ')}`)
    .sort();
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * Only the related stems a corpus holds (a page whose corpus is fixed ships less). Keys are kept whatever the
 * vocabulary: a question may use a word the corpus lacks, and its related forms are what can still meet.
 */
export function pruneRelatedTerms(table: RelatedTerms, vocabulary: ReadonlySet<string>): RelatedTerms {
  const out = new Map<string, readonly string[]>();
  for (const [stem, related] of table) {
    const kept = related.filter((r) => vocabulary.has(r));
    if (kept.length > 0) out.set(stem, kept);
  }
  return out;
}
