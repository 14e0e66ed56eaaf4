// AUROC of a score for telling two groups apart (the Mann–Whitney U over n₊·n₋, ties counted half) and a
// stratified percentile bootstrap of it: positives and negatives are resampled separately, so each resample keeps
// both groups' sizes, and two scores of the same questions share their resamples (a paired interval for the gain).
import { quantileSorted } from './quantile.ts';
import { createRng } from './rng.ts';
import { assertFiniteArray, assertInteger, assertNonEmpty, assertOpenUnit, assertSameLength } from './validate.ts';

/** P(score of a random positive > score of a random negative) + ½ P(tie). */
export function auroc(positives: readonly number[], negatives: readonly number[]): number {
  assertNonEmpty('positives', positives);
  assertNonEmpty('negatives', negatives);
  assertFiniteArray('positives', positives);
  assertFiniteArray('negatives', negatives);
  // Rank-sum form: sort once, average ranks over ties.
  const all = [...positives.map((s) => ({ s, pos: true })), ...negatives.map((s) => ({ s, pos: false }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]?.s === all[i]?.s) j++;
    const rank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (all[t]?.pos) rankSum += rank;
    i = j;
  }
  const p = positives.length;
  return (rankSum - (p * (p + 1)) / 2) / (p * negatives.length);
}

export interface AurocCi {
  auroc: number;
  lo: number;
  hi: number;
}

export interface PairedAuroc {
  a: AurocCi;
  b: AurocCi;
  /** b − a with its paired interval. */
  diff: AurocCi;
}

/**
 * AUROC of scores `a` and `b` of the same questions (`positive[i]` says which group question i is in), each with
 * its stratified bootstrap interval, and of b − a on the same resamples.
 */
export function pairedAurocBootstrap(a: readonly number[], b: readonly number[], positive: readonly boolean[], opts: { resamples?: number; seed?: number; level?: number } = {}): PairedAuroc {
  const resamples = opts.resamples ?? 2000;
  const level = opts.level ?? 0.95;
  assertSameLength(a, b);
  assertSameLength(a, positive);
  assertInteger('resamples', resamples, 1);
  assertOpenUnit('level', level);
  const pos = [...positive.keys()].filter((i) => positive[i]);
  const neg = [...positive.keys()].filter((i) => !positive[i]);
  const pick = (scores: readonly number[], idx: readonly number[]) => idx.map((i) => scores[i] as number);
  const rng = createRng(opts.seed ?? 42);
  const draw = (idx: readonly number[]) => idx.map(() => idx[rng.int(idx.length)] as number);
  const as = new Float64Array(resamples);
  const bs = new Float64Array(resamples);
  const ds = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const p = draw(pos);
    const n = draw(neg);
    as[r] = auroc(pick(a, p), pick(a, n));
    bs[r] = auroc(pick(b, p), pick(b, n));
    ds[r] = (bs[r] as number) - (as[r] as number);
  }
  const tail = (1 - level) / 2;
  const ci = (point: number, draws: Float64Array): AurocCi => {
    draws.sort();
    return { auroc: point, lo: quantileSorted(draws, tail), hi: quantileSorted(draws, 1 - tail) };
  };
  const pointA = auroc(pick(a, pos), pick(a, neg));
  const pointB = auroc(pick(b, pos), pick(b, neg));
  return { a: ci(pointA, as), b: ci(pointB, bs), diff: ci(pointB - pointA, ds) };
}
