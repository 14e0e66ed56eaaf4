import { z } from 'zod';

/**
 * The review page's contract with whatever serves it its records. The harness (evals/review/) builds the
 * records from a run and keeps the labels file; the command injects it, so the app never imports the harness.
 */
export const REVIEW_LABELS = ['right', 'wrong', 'should_abstain', 'gold_wrong'] as const;
export type ReviewLabelValue = (typeof REVIEW_LABELS)[number];

/** The body of POST /api/review/labels: one person's judgement of one answer. */
export const reviewLabelInputSchema = z
  .object({
    id: z.string().min(1).max(200),
    answerHash: z.string().regex(/^[0-9a-f]{64}$/, 'answerHash must be the sha256 of the answer text (64 hex digits)'),
    label: z.enum(REVIEW_LABELS),
    category: z.string().trim().max(80).default(''),
    note: z.string().max(2000).default(''),
  })
  .strict();
export type ReviewLabelInput = z.infer<typeof reviewLabelInputSchema>;

/** Why a record is offered for labelling first. */
export const REVIEW_REASONS = ['disagreement', 'threshold', 'random', 'rest'] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

export interface ReviewPassage {
  id: string;
  title: string;
  text: string;
  gold: boolean;
}

export interface ReviewRecord {
  id: string;
  type: string;
  question: string;
  goldAnswers: string[];
  goldPassages: ReviewPassage[];
  answer: string;
  answerHash: string;
  short?: string;
  abstained: boolean;
  confidence?: number;
  citations: string[];
  retrieved: ReviewPassage[];
  metrics: Record<string, number>;
  reason: ReviewReason;
  /** Why this record was picked, in words (e.g. "contains 0 but F1 0.67"). */
  why: string;
  label?: ReviewLabelInput & { labeledAt: string };
}

export interface ReviewPage {
  run: string;
  labelsFile: string;
  categories: string[];
  records: ReviewRecord[];
}

export interface ReviewSource {
  /** The run's records in labelling order, each with its label when one matches (same id and answer hash). */
  load(): Promise<ReviewPage>;
  /** Store a label (replacing an earlier one for the same id and answer); resolves to the stored line. */
  save(label: ReviewLabelInput): Promise<ReviewLabelInput & { labeledAt: string }>;
}
