import { describe, expect, test } from 'vitest';
import { Bm25Index } from '../../../starter/index/bm25.ts';

// Three documents; stop words ("the", "and", "a") are dropped, so the lengths are 2, 3 and 4 tokens (avgdl = 3).
const docs = ['The cat and the dog', 'cat cat fish', 'a bird, a fish, a lake and a pond'];
const N = 3;
const avgdl = 3;
const lengths = [2, 3, 4];

/** The textbook BM25 term weight, written out independently of the implementation. */
function termScore(idf: number, tf: number, dl: number, k1: number, b: number): number {
  return (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * dl) / avgdl));
}
const luceneIdf = (df: number) => Math.log(1 + (N - df + 0.5) / (df + 0.5));

describe('Bm25Index', () => {
  const index = new Bm25Index(docs);

  test('Lucene idf: log(1 + (N - df + 0.5) / (df + 0.5))', () => {
    expect(index.size).toBe(3);
    expect(index.idf('cat')).toBeCloseTo(Math.log(1.6), 12); // df = 2
    expect(index.idf('fish')).toBeCloseTo(Math.log(1.6), 12); // df = 2
    expect(index.idf('dog')).toBeCloseTo(Math.log(8 / 3), 12); // df = 1
    expect(index.idf('zebra')).toBeCloseTo(Math.log(8), 12); // df = 0
    expect(luceneIdf(2)).toBeCloseTo(Math.log(1.6), 12);
    // Never negative, even for a term in every document.
    expect(new Bm25Index(['x y', 'x z']).idf('x')).toBeGreaterThan(0);
  });

  test('a hand-computed score with the defaults k1 = 0.9, b = 0.4', () => {
    const hits = index.search('cat', 10);
    // d0: tf 1, dl 2 → ln(1.6)·1·1.9 / (1 + 0.9·(0.6 + 0.4·2/3)) = 0.470004 · 1.9 / 1.78
    const d0 = (Math.log(1.6) * 1.9) / (1 + 0.9 * (0.6 + (0.4 * 2) / 3));
    // d1: tf 2, dl 3 → ln(1.6)·2·1.9 / (2 + 0.9·1)
    const d1 = (Math.log(1.6) * 2 * 1.9) / (2 + 0.9);
    expect(d0).toBeCloseTo(0.50169, 5);
    expect(d1).toBeCloseTo(0.615868, 5);
    expect(hits).toHaveLength(2);
    expect(hits[0]).toEqual({ index: 1, score: expect.closeTo(d1, 10) });
    expect(hits[1]).toEqual({ index: 0, score: expect.closeTo(d0, 10) });
  });

  test('a multi-term query sums the term scores; a repeated query term counts once', () => {
    const dog = termScore(Math.log(8 / 3), 1, lengths[0]!, 0.9, 0.4);
    const cat0 = termScore(Math.log(1.6), 1, lengths[0]!, 0.9, 0.4);
    const cat1 = termScore(Math.log(1.6), 2, lengths[1]!, 0.9, 0.4);
    const fish1 = termScore(Math.log(1.6), 1, lengths[1]!, 0.9, 0.4);
    const fish2 = termScore(Math.log(1.6), 1, lengths[2]!, 0.9, 0.4);
    const hits = index.search('the dog and the cat', 10);
    expect(hits.map((h) => h.index)).toEqual([0, 1]);
    expect(hits[0]?.score).toBeCloseTo(cat0 + dog, 10);
    expect(hits[1]?.score).toBeCloseTo(cat1, 10);
    expect(index.search('cat cat cat', 10)).toEqual(index.search('cat', 10));
    const all = index.search('cat fish', 10);
    expect(all.map((h) => h.index)).toEqual([1, 0, 2]);
    expect(all[0]?.score).toBeCloseTo(cat1 + fish1, 10);
    expect(all[2]?.score).toBeCloseTo(fish2, 10);
  });

  test('the query is tokenized like the documents: case, punctuation and stop words do not matter', () => {
    expect(index.search('CAT?!', 10)).toEqual(index.search('cat', 10));
    expect(index.search('the and a', 10)).toEqual([]);
    expect(index.search('zebra', 10)).toEqual([]);
  });

  test('k cuts the ranked list', () => {
    expect(index.search('cat fish', 1).map((h) => h.index)).toEqual([1]);
    expect(index.search('cat fish', 2).map((h) => h.index)).toEqual([1, 0]);
  });

  test('the top k are the first k of the whole ranking, ties by position, and one query leaves nothing to the next', () => {
    // Repeated documents tie: the cut at k must fall among them by position.
    const many = new Bm25Index(Array.from({ length: 60 }, (_, i) => ['cat dog', 'cat fish fish', 'dog bird', 'cat'][i % 4] as string));
    const whole = many.search('cat fish dog', Number.POSITIVE_INFINITY);
    expect(whole).toHaveLength(60);
    for (const k of [1, 7, 15, 16, 30, 59, 60, 61]) expect(many.search('cat fish dog', k)).toEqual(whole.slice(0, k));
    expect(many.search('bird', 5)).toEqual(many.search('bird', 100).slice(0, 5));
    expect(many.search('cat fish dog', 10)).toEqual(whole.slice(0, 10));
  });

  test('k1 sets how fast term frequency saturates', () => {
    // k1 = 0: any tf scores like tf = 1, so d0 and d1 tie on "cat"; ties go to the earlier document.
    const flat = new Bm25Index(docs, { k1: 0, b: 0.4 }).search('cat', 10);
    expect(flat.map((h) => h.index)).toEqual([0, 1]);
    expect(flat[0]?.score).toBeCloseTo(Math.log(1.6), 12);
    expect(flat[1]?.score).toBeCloseTo(Math.log(1.6), 12);
    // A larger k1 rewards repetition more: d1 (tf 2) pulls further ahead of d0 (tf 1).
    const ratio = (k1: number) => {
      const [first, second] = new Bm25Index(docs, { k1, b: 0.4 }).search('cat', 10);
      return (first?.score ?? 0) / (second?.score ?? 1);
    };
    expect(ratio(0.5)).toBeLessThan(ratio(0.9));
    expect(ratio(0.9)).toBeLessThan(ratio(3));
    expect(ratio(3)).toBeCloseTo(termScore(1, 2, 3, 3, 0.4) / termScore(1, 1, 2, 3, 0.4), 10);
  });

  test('b sets how much document length counts', () => {
    // "fish" appears once in d1 (3 tokens) and once in d2 (4 tokens).
    const scoreOf = (b: number) => new Bm25Index(docs, { k1: 0.9, b }).search('fish', 10);
    const none = scoreOf(0);
    expect(none.map((h) => h.index)).toEqual([1, 2]);
    expect(none[0]?.score).toBeCloseTo(none[1]?.score ?? 0, 12);
    expect(none[0]?.score).toBeCloseTo(Math.log(1.6), 12); // tf(k1+1)/(tf+k1) = 1 at tf 1
    const full = scoreOf(1);
    expect(full.map((h) => h.index)).toEqual([1, 2]);
    expect(full[0]?.score).toBeCloseTo(termScore(Math.log(1.6), 1, 3, 0.9, 1), 12);
    expect(full[1]?.score).toBeCloseTo(termScore(Math.log(1.6), 1, 4, 0.9, 1), 12);
    const gap = (hits: { score: number }[]) => (hits[0]?.score ?? 0) - (hits[1]?.score ?? 0);
    expect(gap(scoreOf(0.4))).toBeGreaterThan(0);
    expect(gap(full)).toBeGreaterThan(gap(scoreOf(0.4)));
  });

  test('stemming matches word forms: "invaded" finds "invading"', () => {
    const stems = new Bm25Index(['troops invading the country', 'a quiet harbor']);
    expect(stems.search('invaded', 5).map((h) => h.index)).toEqual([0]);
  });

  test('an empty index returns nothing', () => {
    const empty = new Bm25Index([]);
    expect(empty.size).toBe(0);
    expect(empty.search('cat', 5)).toEqual([]);
  });
});
