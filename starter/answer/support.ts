import type { RetrievedChunk } from '../retrieve.ts';
import { tokenize } from '../tokenize.ts';
import { SUPPORT_MODEL } from './support-model.ts';

/**
 * What says whether the corpus holds an answer to a question, beyond how well the best quote reads. Each is
 * oriented so that more means more support; the BM25 ones are absent when the retriever reported no BM25 scores
 * (a dense-only retriever, chunks made by hand).
 */
export interface SupportFeatures {
  /** The best run's score as scoring ranks it (coverage + similarity − cue penalty + related-form credit). */
  sentence: number;
  /** The best raw BM25 score among the retrieved chunks over the question's idf mass: how much of the question the best lexical match carries. */
  bm25?: number;
  /** The best raw BM25 score minus the lowest among the retrieved chunks, over the idf mass: one chunk stands out, or none does. */
  margin?: number;
  /** 0 when the question asks for a number, date, name, default, version, command or option and the quote holds none; else 1. */
  typeMet: number;
}

export const SUPPORT_FEATURES = ['sentence', 'bm25', 'margin', 'typeMet'] as const satisfies readonly (keyof SupportFeatures)[];
export type SupportFeature = (typeof SUPPORT_FEATURES)[number];

/**
 * A logistic model over standardised features: support = σ(intercept + Σ weight · (x − mean) / sd). Weights are
 * never negative, so the support never falls when a feature rises. Fitted by scripts/fit-support.ts.
 */
export interface SupportModel {
  intercept: number;
  features: Record<SupportFeature, { mean: number; sd: number; weight: number }>;
}

export interface SupportInput {
  question: string;
  retrieved: readonly RetrievedChunk[];
  /** The best run's score (ScoredSentence.confidence). */
  best: { confidence: number };
  idf: (term: string) => number;
  /** The question asks for a type of answer (cues.ts askedType) and the best run's short answer was not found. */
  typeMissed: boolean;
}

export function supportFeatures({ question, retrieved, best, idf, typeMissed }: SupportInput): SupportFeatures {
  const mass = [...new Set(tokenize(question))].reduce((sum, t) => sum + idf(t), 0);
  // A chunk outside the BM25 candidate list (hybrid retrieval) matched the question less than any in it: 0.
  const bm25 = retrieved.some((r) => r.signals?.bm25 !== undefined) && mass > 0 ? retrieved.map((r) => (r.signals?.bm25 ?? 0) / mass) : [];
  const lexical = bm25.length > 0 ? { bm25: Math.max(...bm25), margin: Math.max(...bm25) - Math.min(...bm25) } : {};
  return { sentence: best.confidence, ...lexical, typeMet: typeMissed ? 0 : 1 };
}

/** The linear part of the model: a missing feature counts at its fitted mean (contributes 0). */
export function supportLogit(features: SupportFeatures, model: SupportModel = SUPPORT_MODEL): number {
  return SUPPORT_FEATURES.reduce((z, name) => {
    const x = features[name];
    const { mean, sd, weight } = model.features[name];
    return x === undefined ? z : z + (weight * (x - mean)) / sd;
  }, model.intercept);
}

/** The answer's support in (0, 1): what the abstention threshold reads. */
export function supportScore(features: SupportFeatures, model: SupportModel = SUPPORT_MODEL): number {
  return 1 / (1 + Math.exp(-supportLogit(features, model)));
}
