/**
 * Per-question ranking metrics with binary relevance.
 *
 * Conventions (identical to trec_eval's `success`/`recall_k`/`P_k`/`recip_rank`/`ndcg_cut`/`map_cut`
 * measures in current usnistgov/trec_eval, and to ranx's hit_rate/recall/precision/mrr/ndcg/map @k):
 * - `ranked` holds DISTINCT passage ids, best first. The caller maps chunks to passages and keeps the
 *   first occurrence; a duplicate here would count the same gain twice, so it throws.
 * - `gold` is a set: duplicates are ignored.
 * - Empty `gold` (unanswerable question) makes every metric 0/0 or meaningless; the single-metric
 *   functions throw, and `retrievalMetrics` returns `{}` so that aggregation skips the question
 *   (trec_eval likewise drops queries that have no relevant documents).
 * - `k` is a positive integer. When k > ranked.length the missing positions count as non-relevant.
 */

/** 1 if any of the top k is relevant, else 0. trec_eval `success_k`, ranx `hit_rate@k`. */
export function hitAtK(ranked: readonly string[], gold: readonly string[], k: number): number {
  return relevantFlags(ranked, gold, k).some(Boolean) ? 1 : 0;
}

/** |gold ∩ top-k| / |gold|. trec_eval `recall_k`, ranx `recall@k`. */
export function recallAtK(ranked: readonly string[], gold: readonly string[], k: number): number {
  return countTrue(relevantFlags(ranked, gold, k)) / new Set(gold).size;
}

/**
 * |gold ∩ top-k| / k. The denominator is k even when fewer than k ids were retrieved
 * (trec_eval `P_k`, ranx `precision@k`): a short list is not rewarded for being short.
 */
export function precisionAtK(ranked: readonly string[], gold: readonly string[], k: number): number {
  return countTrue(relevantFlags(ranked, gold, k)) / k;
}

/** 1/rank of the first relevant id within the top k, else 0. Its mean over questions is MRR@k. */
export function reciprocalRankAtK(ranked: readonly string[], gold: readonly string[], k: number): number {
  const firstHit = relevantFlags(ranked, gold, k).indexOf(true);
  return firstHit === -1 ? 0 : 1 / (firstHit + 1);
}

/**
 * nDCG@k with binary gains: DCG@k = Σ_{rank ≤ k, relevant} 1 / log2(rank + 1), and
 * IDCG@k = Σ_{rank=1}^{min(|gold|, k)} 1 / log2(rank + 1), i.e. the ideal list puts every gold id first
 * but is truncated at k. This is trec_eval `ndcg_cut.k` (current releases; some old releases discounted
 * by log2(rank) with rank 1 undiscounted) and ranx `ndcg@k`. With 0/1 gains the Järvelin–Kekäläinen
 * (rel) and Burges (2^rel − 1) gain variants coincide.
 */
export function ndcgAtK(ranked: readonly string[], gold: readonly string[], k: number): number {
  const flags = relevantFlags(ranked, gold, k);
  let dcg = 0;
  flags.forEach((relevant, i) => {
    if (relevant) dcg += discount(i + 1);
  });
  let idcg = 0;
  const idealHits = Math.min(new Set(gold).size, k);
  for (let rank = 1; rank <= idealHits; rank++) idcg += discount(rank);
  return dcg / idcg;
}

/**
 * AP@k = Σ_{rank ≤ k, relevant} precision@rank / |gold|. The denominator is |gold| (trec_eval
 * `map_cut.k`, ranx `map@k`), NOT min(|gold|, k) as in some recommender-system "AP@k" code, so a
 * question with more gold passages than k cannot reach 1.
 */
export function averagePrecisionAtK(ranked: readonly string[], gold: readonly string[], k: number): number {
  let hits = 0;
  let sum = 0;
  relevantFlags(ranked, gold, k).forEach((relevant, i) => {
    if (!relevant) return;
    hits += 1;
    sum += hits / (i + 1);
  });
  return sum / new Set(gold).size;
}

/**
 * All metrics above at every k, keyed `hit@k`, `recall@k`, `precision@k`, `mrr@k`, `ndcg@k`, `map@k`
 * (`mrr`/`map` name the per-question reciprocal rank / average precision by the mean they feed).
 * Empty gold → `{}`: retrieval quality is undefined for unanswerable questions, and aggregation skips them.
 */
export function retrievalMetrics(ranked: readonly string[], gold: readonly string[], ks: readonly number[]): Record<string, number> {
  if (gold.length === 0) return {};
  const cutoffs = [...new Set(ks)].sort((a, b) => a - b);
  const metrics: Record<string, number> = {};
  const perMetric: ReadonlyArray<readonly [string, RetrievalMetricFn]> = [
    ['hit', hitAtK],
    ['recall', recallAtK],
    ['precision', precisionAtK],
    ['mrr', reciprocalRankAtK],
    ['ndcg', ndcgAtK],
    ['map', averagePrecisionAtK],
  ];
  for (const [name, fn] of perMetric) {
    for (const k of cutoffs) metrics[`${name}@${k}`] = fn(ranked, gold, k);
  }
  return metrics;
}

export type RetrievalMetricFn = (ranked: readonly string[], gold: readonly string[], k: number) => number;

// Position i (0-based) has rank i + 1; the discount is log2(rank + 1), so rank 1 is undiscounted.
function discount(rank: number): number {
  return 1 / Math.log2(rank + 1);
}

// Relevance of each of the top min(k, |ranked|) positions, after validating the inputs.
function relevantFlags(ranked: readonly string[], gold: readonly string[], k: number): boolean[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (gold.length === 0) throw new RangeError('gold is empty: retrieval metrics are undefined for this question');
  if (new Set(ranked).size !== ranked.length) {
    throw new RangeError('ranked contains duplicate ids: deduplicate (keep the first occurrence) before scoring');
  }
  const goldSet = new Set(gold);
  return ranked.slice(0, k).map((id) => goldSet.has(id));
}

function countTrue(flags: readonly boolean[]): number {
  return flags.filter(Boolean).length;
}
