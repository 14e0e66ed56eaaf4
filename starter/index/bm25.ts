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
 * Okapi BM25 with Lucene's idf, log(1 + (N - df + 0.5) / (df + 0.5)), which is never negative.
 * Defaults k1=0.9, b=0.4 follow Anserini's BM25 baselines used for BEIR-style comparisons.
 * Ours rather than a search library's so the scoring is exactly the textbook formula.
 */
export class Bm25Index {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly docLengths: number[];
  private readonly avgDocLength: number;

  constructor(
    docs: readonly string[],
    private readonly params: Bm25Params = { k1: 0.9, b: 0.4 },
  ) {
    this.docLengths = docs.map((text, doc) => {
      const counts = new Map<string, number>();
      const tokens = tokenize(text);
      for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const list = this.postings.get(term);
        if (list) list.push({ doc, tf });
        else this.postings.set(term, [{ doc, tf }]);
      }
      return tokens.length;
    });
    const total = this.docLengths.reduce((a, b) => a + b, 0);
    this.avgDocLength = this.docLengths.length > 0 ? total / this.docLengths.length : 0;
  }

  get size(): number {
    return this.docLengths.length;
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
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
      for (const { doc, tf } of list) {
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
