import type { Passage } from '../corpus.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { countWords, splitSentences } from '../sentences.ts';
import { tokenize } from '../tokenize.ts';
import { type Answer, type Answerer, NOT_FOUND } from './types.ts';

export interface ExtractiveOptions {
  maxSentences: number;
  /** Share of the question's idf mass a sentence must cover to be quoted; below it, abstain. */
  minScore: number;
  /** Corpus inverse document frequency of a term: rare words weigh more. */
  idf: (term: string) => number;
  passages: ReadonlyMap<string, Passage>;
}

export interface ScoredSentence {
  text: string;
  passageId: string;
  score: number;
  rank: number;
}

const MIN_WORDS = 4;

/**
 * Score every sentence of the retrieved chunks by how much of the question's idf-weighted terms it contains.
 * Pure and explainable: an answer can always be traced to a sentence and its passage.
 */
export function scoreSentences(question: string, retrieved: readonly RetrievedChunk[], options: Omit<ExtractiveOptions, 'maxSentences' | 'minScore'>): ScoredSentence[] {
  const queryTerms = [...new Set(tokenize(question))];
  const total = queryTerms.reduce((sum, t) => sum + options.idf(t), 0);
  if (total === 0) return [];
  const out: ScoredSentence[] = [];
  retrieved.forEach(({ chunk }, rank) => {
    // The title ("1991 State of the Union — George Bush") is context every sentence of the chunk shares.
    const titleTerms = tokenize(chunk.title);
    for (const span of splitSentences(chunk.text)) {
      const text = chunk.text.slice(span.start, span.end);
      if (countWords(text) < MIN_WORDS) continue;
      const terms = new Set([...titleTerms, ...tokenize(text)]);
      const covered = queryTerms.reduce((sum, t) => sum + (terms.has(t) ? options.idf(t) : 0), 0);
      out.push({ text, passageId: passageAt(chunk.passageIds, chunk.start + span.start, options.passages), score: covered / total, rank });
    }
  });
  return out.sort((a, b) => b.score - a.score || a.rank - b.rank);
}

/** The passage holding a document offset: in passage mode a chunk has one; split chunks may straddle two. */
function passageAt(ids: readonly string[], offset: number, passages: ReadonlyMap<string, Passage>): string {
  const hit = ids.find((id) => {
    const p = passages.get(id);
    return p !== undefined && p.start <= offset && offset < p.end;
  });
  return hit ?? ids[0] ?? '';
}

export function createExtractiveAnswerer(options: ExtractiveOptions): Answerer {
  return {
    id: 'extractive',
    async answer(question, retrieved): Promise<Answer> {
      const picked = scoreSentences(question, retrieved, options)
        .filter((s) => s.score >= options.minScore)
        .slice(0, options.maxSentences);
      if (picked.length === 0) return { text: NOT_FOUND, citations: [], abstained: true };
      const citations = [...new Set(picked.map((s) => s.passageId))];
      return { text: picked.map((s) => `${s.text} [${s.passageId}]`).join(' '), citations, abstained: false };
    },
  };
}
