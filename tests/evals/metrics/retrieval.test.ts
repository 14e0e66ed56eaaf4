import { describe, expect, it } from 'vitest';
import { averagePrecisionAtK, hitAtK, ndcgAtK, precisionAtK, recallAtK, reciprocalRankAtK, retrievalMetrics } from '../../../evals/metrics/retrieval.ts';

// Worked example used throughout: 6 distinct retrieved ids, 4 gold ids, p4 never retrieved.
//   rank:     1    2    3    4    5    6
//   ranked:   p1   x1   p2   x2   x3   p3
//   relevant: 1    0    1    0    0    1
const ranked = ['p1', 'x1', 'p2', 'x2', 'x3', 'p3'];
const gold = ['p1', 'p2', 'p3', 'p4'];

describe('hand-computed worked example', () => {
  it('hit@k', () => {
    expect(hitAtK(ranked, gold, 1)).toBe(1);
    expect(hitAtK(['x1', 'p1'], gold, 1)).toBe(0);
    expect(hitAtK(['x1', 'p1'], gold, 2)).toBe(1);
  });

  it('recall@k = |gold ∩ top-k| / |gold|', () => {
    expect(recallAtK(ranked, gold, 1)).toBe(1 / 4);
    expect(recallAtK(ranked, gold, 5)).toBe(2 / 4);
    expect(recallAtK(ranked, gold, 10)).toBe(3 / 4); // p4 never retrieved
  });

  it('precision@k divides by k even past the end of the list', () => {
    expect(precisionAtK(ranked, gold, 1)).toBe(1);
    expect(precisionAtK(ranked, gold, 5)).toBe(2 / 5);
    expect(precisionAtK(ranked, gold, 10)).toBe(3 / 10); // not 3/6
  });

  it('reciprocal rank@k', () => {
    expect(reciprocalRankAtK(ranked, gold, 10)).toBe(1);
    expect(reciprocalRankAtK(['x1', 'x2', 'p2'], gold, 10)).toBeCloseTo(1 / 3, 12);
    expect(reciprocalRankAtK(['x1', 'x2', 'p2'], gold, 2)).toBe(0); // first hit is past the cutoff
  });

  it('nDCG@10', () => {
    // DCG@10  = 1/log2(2) + 1/log2(4) + 1/log2(7)            = 1 + 0.5 + 0.356207187108 = 1.856207187108
    // IDCG@10 = over min(|gold|=4, 10) = 4 ideal positions:
    //           1/log2(2) + 1/log2(3) + 1/log2(4) + 1/log2(5) = 1 + 0.630929753571 + 0.5 + 0.430676558073
    //                                                         = 2.561606311645
    // nDCG@10 = 1.856207187108 / 2.561606311645 = 0.724626254499
    expect(ndcgAtK(ranked, gold, 10)).toBeCloseTo(0.7246262544989281, 12);
  });

  it('nDCG@3: the ideal list is truncated at k too', () => {
    // DCG@3 = 1 + 1/log2(4) = 1.5; IDCG@3 = 1 + 1/log2(3) + 1/log2(4) = 2.130929753571 (3 of the 4 gold fit)
    expect(ndcgAtK(ranked, gold, 3)).toBeCloseTo(0.7039180890341347, 12);
  });

  it('AP@k divides by |gold|, not min(|gold|, k)', () => {
    // Hits at ranks 1, 3, 6 with precision 1/1, 2/3, 3/6.
    expect(averagePrecisionAtK(ranked, gold, 10)).toBeCloseTo((1 + 2 / 3 + 3 / 6) / 4, 12); // 0.541666…
    expect(averagePrecisionAtK(ranked, gold, 3)).toBeCloseTo((1 + 2 / 3) / 4, 12); // 0.416666…, not /3
  });
});

// Cases taken from ranx's own unit tests (tests/unit/ranx/metrics_test.py), binary relevance,
// with ids written as strings. ranx's metrics are validated against trec_eval.
describe('agrees with ranx / trec_eval conventions', () => {
  const rankedR = ['2', '4', '3', '1', '5', '6', '7'];

  it('recall@2 (ranx test_recall_single)', () => {
    expect(recallAtK(rankedR, ['1', '2', '3'], 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(rankedR, ['1', '2'], 2)).toBeCloseTo(1 / 2, 12);
  });

  it('R-precision = precision@|gold| (ranx test_r_precision)', () => {
    expect(precisionAtK(rankedR, ['1', '2', '3'], 3)).toBeCloseTo(2 / 3, 12);
    expect(precisionAtK(rankedR, ['1', '2'], 2)).toBeCloseTo(1 / 2, 12);
  });

  it('reciprocal rank@5 (ranx test_reciprocal_rank_single[_no_match])', () => {
    expect(reciprocalRankAtK(['2', '3', '1', '4', '5'], ['3'], 5)).toBe(0.5);
    expect(reciprocalRankAtK(['2', '1', '4', '5'], ['3'], 5)).toBe(0);
  });

  it('hit@5 = trec_eval success@5 (ranx test_hit_rate)', () => {
    const rankedH = ['1', '2', '3', '4', '5', '7'];
    expect(hitAtK(rankedH, ['9', '6', '8'], 5)).toBe(0);
    expect(hitAtK(['1', '2', '4', '3', '5', '7'], ['1', '2', '4'], 5)).toBe(1);
  });

  it('nDCG@10 (ranx test_ndcg_jarvelin, gains binarised)', () => {
    const goldN = ['2', '4', '5', '10'];
    // relevant at ranks 2, 4, 5 → DCG = 1/log2(3) + 1/log2(5) + 1/log2(6) = 1.448467
    // IDCG@10 over 4 gold = 1/log2(2) + 1/log2(3) + 1/log2(4) + 1/log2(5) = 2.561606
    expect(ndcgAtK(['1', '2', '3', '4', '5'], goldN, 10)).toBeCloseTo(0.5654495432396527, 12);
    // all four gold in the top four → ideal
    expect(ndcgAtK(['10', '5', '2', '4', '3'], goldN, 10)).toBeCloseTo(1, 12);
    expect(ndcgAtK(['1', '3', '6', '7', '8'], goldN, 10)).toBe(0);
  });

  it('discount is log2(rank + 1) (current trec_eval), not the old log2(rank) for rank ≥ 2', () => {
    // One gold at rank 2: 1/log2(3) = 0.6309; old trec_eval releases would give 1/log2(2) = 1.
    expect(ndcgAtK(['x', 'p1'], ['p1'], 10)).toBeCloseTo(0.6309297535714575, 12);
  });

  it('IDCG uses min(|gold|, k) ideal positions', () => {
    // |gold| = 4 > k = 2: IDCG@2 = 1 + 1/log2(3); DCG@2 = 1/log2(3) → 0.386853
    expect(ndcgAtK(['x', 'p1'], gold, 2)).toBeCloseTo(0.38685280723454163, 12);
    // |gold| = 1 < k = 10: IDCG@10 = 1, not Σ of 10 ideal positions
    expect(ndcgAtK(['p1'], ['p1'], 10)).toBe(1);
  });
});

describe('edge cases', () => {
  it('k larger than the list: missing positions are non-relevant', () => {
    expect(hitAtK(['p1'], ['p1'], 10)).toBe(1);
    expect(recallAtK(['p1'], ['p1'], 10)).toBe(1);
    expect(precisionAtK(['p1'], ['p1'], 10)).toBe(0.1);
    expect(reciprocalRankAtK(['p1'], ['p1'], 10)).toBe(1);
    expect(ndcgAtK(['p1'], ['p1'], 10)).toBe(1);
    expect(averagePrecisionAtK(['p1'], ['p1'], 10)).toBe(1);
  });

  it('gold not retrieved → every metric is 0', () => {
    expect(retrievalMetrics(['x1', 'x2', 'x3'], ['p1', 'p2'], [1, 5, 10])).toEqual(
      Object.fromEntries(['hit', 'recall', 'precision', 'mrr', 'ndcg', 'map'].flatMap((m) => [1, 5, 10].map((k) => [`${m}@${k}`, 0]))),
    );
  });

  it('nothing retrieved → every metric is 0', () => {
    for (const fn of [hitAtK, recallAtK, precisionAtK, reciprocalRankAtK, ndcgAtK, averagePrecisionAtK]) {
      expect(fn([], ['p1'], 5)).toBe(0);
    }
  });

  it('a perfect ranking scores 1 on nDCG, recall, MRR and AP at any k ≥ |gold|', () => {
    const perfect = ['p1', 'p2', 'p3', 'p4', 'x1'];
    for (const k of [4, 5, 10]) {
      expect(ndcgAtK(perfect, gold, k)).toBeCloseTo(1, 12);
      expect(recallAtK(perfect, gold, k)).toBe(1);
      expect(reciprocalRankAtK(perfect, gold, k)).toBe(1);
      expect(averagePrecisionAtK(perfect, gold, k)).toBe(1);
    }
  });

  it('gold has set semantics', () => {
    expect(recallAtK(['p1'], ['p1', 'p1'], 5)).toBe(1);
    expect(ndcgAtK(['p1'], ['p1', 'p1'], 5)).toBe(1);
    expect(averagePrecisionAtK(['p1'], ['p1', 'p1'], 5)).toBe(1);
  });

  it('rejects duplicates in ranked, a bad k, and empty gold', () => {
    expect(() => hitAtK(['p1', 'p1'], ['p1'], 5)).toThrow(/duplicate/);
    expect(() => recallAtK(['p1'], ['p1'], 0)).toThrow(RangeError);
    expect(() => recallAtK(['p1'], ['p1'], 1.5)).toThrow(RangeError);
    expect(() => ndcgAtK(['p1'], [], 5)).toThrow(/gold is empty/);
  });
});

describe('retrievalMetrics', () => {
  it('produces every metric at every k, keyed metric@k', () => {
    const record = retrievalMetrics(ranked, gold, [10, 1, 5, 10]);
    expect(Object.keys(record).sort()).toEqual(['hit', 'recall', 'precision', 'mrr', 'ndcg', 'map'].flatMap((m) => [1, 5, 10].map((k) => `${m}@${k}`)).sort());
    expect(record['hit@1']).toBe(1);
    expect(record['recall@5']).toBe(0.5);
    expect(record['precision@5']).toBe(0.4);
    expect(record['mrr@10']).toBe(1);
    expect(record['ndcg@10']).toBeCloseTo(0.7246262544989281, 12);
    expect(record['map@10']).toBeCloseTo(0.5416666666666666, 12);
  });

  it('returns {} for an unanswerable question (empty gold), so aggregation skips it', () => {
    expect(retrievalMetrics(['p1', 'p2'], [], [1, 5])).toEqual({});
  });

  it('still validates its inputs', () => {
    expect(() => retrievalMetrics(['p1', 'p1'], ['p1'], [5])).toThrow(/duplicate/);
    expect(() => retrievalMetrics(['p1'], ['p1'], [0])).toThrow(RangeError);
  });
});
