import { sha256 } from '../../starter/hash.ts';
import type { ReviewReason } from '../../starter/server/review.ts';
import type { RunRecord } from '../run-file.ts';
import { F1_PASS } from './graders.ts';

/** Confidence within this distance of the abstention threshold counts as "near the threshold". */
export const THRESHOLD_BAND = 0.05;
export const DEFAULT_SAMPLE_SIZE = 30;

export interface QueuedRecord {
  record: RunRecord;
  reason: ReviewReason;
  why: string;
}

const fmt = (x: number) => x.toFixed(2);

/**
 * A record's place in the random sample: the hash of its id, so the sample is the same on every run of the
 * same eval set and does not depend on anything a metric or a person said about the record.
 */
const sampleRank = (id: string) => sha256(`ragfolio-review-sample:${id}`);

/**
 * The order to label a run in, and why each record is where it is: first where two automatic graders
 * disagree (`contains` against F1 ≥ 0.5), then answers whose confidence sits within ±0.05 of the
 * abstention threshold, then the random sample (for an unbiased accuracy estimate), then the rest.
 * Random-sample membership is returned separately, since a sampled record may also be a disagreement.
 */
export function orderForReview(records: readonly RunRecord[], threshold: number | undefined, sampleSize = DEFAULT_SAMPLE_SIZE): { queue: QueuedRecord[]; sample: Set<string> } {
  const sample = new Set(
    [...records]
      .map((r) => ({ id: r.id, rank: sampleRank(r.id) }))
      .sort((a, b) => a.rank.localeCompare(b.rank))
      .slice(0, sampleSize)
      .map((r) => r.id),
  );
  const classify = (r: RunRecord): Omit<QueuedRecord, 'record'> => {
    const { contains, f1 } = r.metrics;
    if (contains !== undefined && f1 !== undefined && contains >= 0.5 !== f1 >= F1_PASS) {
      return { reason: 'disagreement', why: `contains ${contains} but F1 ${fmt(f1)}` };
    }
    if (threshold !== undefined && r.confidence !== undefined && Math.abs(r.confidence - threshold) <= THRESHOLD_BAND) {
      return { reason: 'threshold', why: `confidence ${fmt(r.confidence)}, threshold ${fmt(threshold)}` };
    }
    if (sample.has(r.id)) return { reason: 'random', why: 'in the random sample' };
    return { reason: 'rest', why: '' };
  };
  const order: Record<ReviewReason, number> = { disagreement: 0, threshold: 1, random: 2, rest: 3 };
  const queue = records.map((record) => ({ record, ...classify(record) })).sort((a, b) => order[a.reason] - order[b.reason]);
  return { queue, sample };
}
