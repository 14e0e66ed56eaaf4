import { tokenize } from '../tokenize.ts';

export interface Bm25Params {
  k1: number;
  b: number;
}

export interface ScoredIndex {
  /** Position of the document in the list the index was built from. */
  index: number;
  score: number;
}

/**
 * What BM25 keeps of its documents, and all it needs to score a query: per term, the documents holding it (in
 * ascending order) with the term's count in each, and each document's length in tokens. The parameters k1 and b
 * are applied at query time, so one set of postings serves every parameter setting.
 */
export interface Bm25Postings {
  /** Each distinct term once; `df[i]` postings of term i follow those of term i - 1 in `docs` and `tfs`. */
  terms: readonly string[];
  df: Uint32Array;
  docs: Uint32Array;
  tfs: Uint32Array;
  docLengths: Uint32Array;
}

interface Posting {
  docs: Uint32Array;
  tfs: Uint32Array;
}

/**
 * Okapi BM25 with Lucene's idf, log(1 + (N - df + 0.5) / (df + 0.5)), which is never negative.
 * Defaults k1=0.9, b=0.4 follow Anserini's BM25 baselines used for BEIR-style comparisons.
 * Ours rather than a search library's so the scoring is exactly the textbook formula.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Posting>();
  private readonly docLengths: Uint32Array;
  private readonly avgDocLength: number;

  /** Tokenize `docs` and index them (see bm25-file.ts for loading saved postings instead). */
  constructor(docs: readonly string[], params?: Bm25Params);
  constructor(docs: Bm25Postings, params?: Bm25Params);
  constructor(
    docs: readonly string[] | Bm25Postings,
    private readonly params: Bm25Params = { k1: 0.9, b: 0.4 },
  ) {
    const postings = isPostings(docs) ? docs : buildPostings(docs);
    let at = 0;
    for (const [i, term] of postings.terms.entries()) {
      const end = at + (postings.df[i] ?? 0);
      this.postings.set(term, { docs: postings.docs.subarray(at, end), tfs: postings.tfs.subarray(at, end) });
      at = end;
    }
    this.docLengths = postings.docLengths;
    const total = this.docLengths.reduce((a, b) => a + b, 0);
    this.avgDocLength = this.docLengths.length > 0 ? total / this.docLengths.length : 0;
  }

  get size(): number {
    return this.docLengths.length;
  }

  /** The postings this index scores from, to save beside the index and load without tokenizing again. */
  toPostings(): Bm25Postings {
    const terms = [...this.postings.keys()];
    const lists = [...this.postings.values()];
    return {
      terms,
      df: Uint32Array.from(lists, (l) => l.docs.length),
      docs: concat(lists.map((l) => l.docs)),
      tfs: concat(lists.map((l) => l.tfs)),
      docLengths: this.docLengths,
    };
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.docs.length ?? 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  search(query: string, k: number): ScoredIndex[] {
    const { k1, b } = this.params;
    const scores = new Map<number, number>();
    // Each distinct query term counts once, as in Lucene's default query parsing of a bag of words.
    for (const term of new Set(tokenize(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [i, doc] of list.docs.entries()) {
        const tf = list.tfs[i] ?? 0;
        const norm = 1 - b + (b * (this.docLengths[doc] ?? 0)) / this.avgDocLength;
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * (tf * (k1 + 1))) / (tf + k1 * norm));
      }
    }
    return [...scores]
      .map(([index, score]) => ({ index, score }))
      .sort((x, y) => y.score - x.score || x.index - y.index)
      .slice(0, k);
  }
}

function isPostings(docs: readonly string[] | Bm25Postings): docs is Bm25Postings {
  return !Array.isArray(docs);
}

/** Tokenize every document once and gather each term's (document, count) pairs in document order. */
function buildPostings(docs: readonly string[]): Bm25Postings {
  const lists = new Map<string, { docs: number[]; tfs: number[] }>();
  const docLengths = Uint32Array.from(docs, (text, doc) => {
    const counts = new Map<string, number>();
    const tokens = tokenize(text);
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const list = lists.get(term);
      if (list) {
        list.docs.push(doc);
        list.tfs.push(tf);
      } else lists.set(term, { docs: [doc], tfs: [tf] });
    }
    return tokens.length;
  });
  const all = [...lists.values()];
  return {
    terms: [...lists.keys()],
    df: Uint32Array.from(all, (l) => l.docs.length),
    docs: Uint32Array.from(all.flatMap((l) => l.docs)),
    tfs: Uint32Array.from(all.flatMap((l) => l.tfs)),
    docLengths,
  };
}

function concat(parts: readonly Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
