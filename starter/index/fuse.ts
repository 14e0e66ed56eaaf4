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
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
