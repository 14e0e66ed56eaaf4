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
  /** The term's idf, once: a query reads it for every document of the list. */
  idf: number;
}

/**
 * Okapi BM25 with Lucene's idf, log(1 + (N - df + 0.5) / (df + 0.5)), which is never negative.
 * Defaults k1=0.9, b=0.4 follow Anserini's BM25 baselines used for BEIR-style comparisons.
 * Ours rather than a search library's so the scoring is exactly the textbook formula.
 */
export class Bm25Index {
  private readonly postings = new Map<string, Posting>();
  private readonly docLengths: Uint32Array;
  /** k1 times each document's length normalisation, what a term's count is damped by: per document, not per query. */
  private readonly damping: Float64Array;
  /** A query's scores by document, whether it reached each, and those it reached: cleared after each query (search is synchronous). */
  private readonly scores: Float64Array;
  private readonly isReached: Uint8Array;
  private readonly reached: Uint32Array;

  /** Tokenize `docs` and index them (see bm25-file.ts for loading saved postings instead). */
  constructor(docs: readonly string[], params?: Bm25Params);
  constructor(docs: Bm25Postings, params?: Bm25Params);
  constructor(
    docs: readonly string[] | Bm25Postings,
    private readonly params: Bm25Params = { k1: 0.9, b: 0.4 },
  ) {
    const postings = isPostings(docs) ? docs : buildPostings(docs);
    this.docLengths = postings.docLengths;
    let at = 0;
    for (const [i, term] of postings.terms.entries()) {
      const end = at + (postings.df[i] ?? 0);
      this.postings.set(term, { docs: postings.docs.subarray(at, end), tfs: postings.tfs.subarray(at, end), idf: this.idfOf(end - at) });
      at = end;
    }
    const total = this.docLengths.reduce((a, b) => a + b, 0);
    const avgDocLength = this.docLengths.length > 0 ? total / this.docLengths.length : 0;
    const { k1, b } = this.params;
    this.damping = Float64Array.from(this.docLengths, (length) => k1 * (1 - b + (b * length) / avgDocLength));
    this.scores = new Float64Array(this.docLengths.length);
    this.isReached = new Uint8Array(this.docLengths.length);
    this.reached = new Uint32Array(this.docLengths.length);
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
    return this.postings.get(term)?.idf ?? this.idfOf(0);
  }

  search(query: string, k: number): ScoredIndex[] {
    const { scores, isReached, reached, damping } = this;
    const boost = this.params.k1 + 1;
    let count = 0;
    // Each distinct query term counts once, as in Lucene's default query parsing of a bag of words.
    for (const term of new Set(tokenize(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const { docs, tfs, idf } = list;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i] as number;
        const tf = tfs[i] as number;
        if (!isReached[doc]) {
          isReached[doc] = 1;
          reached[count++] = doc;
        }
        scores[doc] = (scores[doc] as number) + (idf * (tf * boost)) / (tf + (damping[doc] as number));
      }
    }
    const hits = best(reached.subarray(0, count), scores, k);
    for (const doc of reached.subarray(0, count)) {
      scores[doc] = 0;
      isReached[doc] = 0;
    }
    return hits;
  }

  private idfOf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }
}

/**
 * The k best of the documents a query reached, best first, ties by position. A query reaches hundreds of
 * documents for a k of 5 to 100: the k-th best score is found with a native numeric sort, and only the
 * documents reaching it become hits to sort.
 */
function best(reached: Uint32Array, scores: Float64Array, k: number): ScoredIndex[] {
  const some = Number.isInteger(k) && k > 0 && reached.length > k;
  let kth = 0;
  if (some) {
    const reachedScores = new Float64Array(reached.length);
    for (let i = 0; i < reached.length; i++) reachedScores[i] = scores[reached[i] as number] as number;
    kth = reachedScores.sort()[reached.length - k] as number;
  }
  const hits: ScoredIndex[] = [];
  for (const index of reached) {
    const score = scores[index] as number;
    if (!some || score >= kth) hits.push({ index, score });
  }
  return hits.sort((x, y) => y.score - x.score || x.index - y.index).slice(0, k);
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
