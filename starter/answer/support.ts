import type { RetrievedChunk } from '../retrieve.ts';
import { tokenize } from '../tokenize.ts';
import { SUPPORT_MODEL } from './support-model.ts';

/**
 * What says whether the corpus holds an answer to a question, beyond how well the best quote reads. Each is
 * oriented so that more means more support; the retrieval signals are absent when the retriever did not report
 * them (a chunk outside that list, a dense-only or BM25-only retriever).
 */
export interface SupportFeatures {
  /** The best run's score as scoring ranks it (coverage + similarity − cue penalty + related-form credit). */
  sentence: number;
  /** The best raw BM25 score among the retrieved chunks over the question's idf mass: how much of the question the best lexical match carries. */
  bm25?: number;
  /** The best question–chunk cosine among the retrieved chunks. */
  dense?: number;
  /** Share of the question's rare terms (idf at or above the question's median) found in the quoted chunk's text or heading path. */
  rare: number;
  /** 0 when the question asks for a number, date, name, default, version, command or option and the quote holds none; else 1. */
  typeMet: number;
}

export const SUPPORT_FEATURES = ['sentence', 'bm25', 'dense', 'rare', 'typeMet'] as const satisfies readonly (keyof SupportFeatures)[];
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
  /** The best run: its score and the index of its chunk in `retrieved`. */
  best: { confidence: number; rank: number };
  idf: (term: string) => number;
  /** The question asks for a type of answer (cues.ts askedType) and the best run's short answer was not found. */
  typeMissed: boolean;
}

export function supportFeatures({ question, retrieved, best, idf, typeMissed }: SupportInput): SupportFeatures {
  const terms = [...new Set(tokenize(question))];
  const mass = terms.reduce((sum, t) => sum + idf(t), 0);
  const top = (signal: 'bm25' | 'dense') => {
    const values = retrieved.flatMap((r) => (r.signals?.[signal] === undefined ? [] : [r.signals[signal]]));
    return values.length > 0 ? Math.max(...values) : undefined;
  };
  const bm25 = top('bm25');
  const dense = top('dense');
  const chunk = retrieved[best.rank]?.chunk;
  const present = new Set(chunk ? tokenize(`${chunk.title}\n${chunk.text}`) : []);
  const rare = rareTerms(terms, idf);
  return {
    sentence: best.confidence,
    ...(bm25 !== undefined && mass > 0 ? { bm25: bm25 / mass } : {}),
    ...(dense !== undefined ? { dense } : {}),
    rare: rare.length > 0 ? rare.filter((t) => present.has(t)).length / rare.length : 0,
    typeMet: typeMissed ? 0 : 1,
  };
}

/** The question's terms whose idf is at or above its median term's: the words that name what is asked. */
function rareTerms(terms: readonly string[], idf: (term: string) => number): string[] {
  const sorted = terms.map(idf).sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return median === undefined ? [] : terms.filter((t) => idf(t) >= median);
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
