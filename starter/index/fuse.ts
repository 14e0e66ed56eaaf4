export interface RankedList {
  /** Item ids, best first. */
  ids: readonly string[];
  weight: number;
}

export interface FusedItem {
  id: string;
  score: number;
}

/**
 * Weighted reciprocal-rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): score(d) = Σ w / (k + rank(d)),
 * rank starting at 1. It needs no score calibration between BM25 and cosine similarity, which is why hybrid uses it.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], rrfK = 60): FusedItem[] {
  const scores = new Map<string, number>();
  for (const { ids, weight } of lists) {
    for (const [i, id] of ids.entries()) scores.set(id, (scores.get(id) ?? 0) + weight / (rrfK + i + 1));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort(byScoreThenId);
}

export interface ScoredList {
  items: readonly FusedItem[];
  /** Share of the fused score this list carries; the weights of all lists should sum to 1. */
  weight: number;
}

export type Normalization = 'minmax' | 'zscore';

/**
 * Convex combination of normalised scores, Σ w · norm(score), after Bruch, Gai & Ingber, "An Analysis of
 * Fusion Functions for Hybrid Retrieval" (ACM TOIS 2023), who find it beats RRF once its one weight is
 * tuned. Scores are normalised within each list (min–max or z-score); an item missing from a list gets
 * that list's lowest normalised score, as if it ranked just below the list's last item.
 * `only`, when given, restricts the result to those ids (dense re-ranking of BM25's candidates).
 */
export function convexFusion(lists: readonly ScoredList[], normalization: Normalization, only?: ReadonlySet<string>): FusedItem[] {
  const normalized = lists.map(({ items, weight }) => ({ weight, scores: normalize(items, normalization) }));
  const ids = new Set(only ?? lists.flatMap(({ items }) => items.map((i) => i.id)));
  const fused: FusedItem[] = [];
  for (const id of ids) {
    let score = 0;
    for (const { weight, scores } of normalized) score += weight * (scores.byId.get(id) ?? scores.floor);
    fused.push({ id, score });
  }
  return fused.sort(byScoreThenId);
}

function normalize(items: readonly FusedItem[], how: Normalization): { byId: Map<string, number>; floor: number } {
  const values = items.map((i) => i.score);
  if (values.length === 0) return { byId: new Map(), floor: 0 };
  const min = Math.min(...values);
  const max = Math.max(...values);
  let f: (x: number) => number;
  if (how === 'minmax') {
    f = max > min ? (x) => (x - min) / (max - min) : () => 1;
  } else {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    f = sd > 0 ? (x) => (x - mean) / sd : () => 0;
  }
  return { byId: new Map(items.map((i) => [i.id, f(i.score)])), floor: f(min) };
}

function byScoreThenId(a: FusedItem, b: FusedItem): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
