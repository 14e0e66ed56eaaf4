import type { Answer, Answerer, Usage } from './answer/types.ts';
import { UserError } from './errors.ts';
import type { RetrievedChunk, Retriever } from './retrieve.ts';

export interface RetrievedRecord {
  chunkId: string;
  passageIds: string[];
  score: number;
}

/** Everything an answer is judged by: what was retrieved, what was said, what it cost. */
export interface AnswerRecord {
  question: string;
  answer: string;
  citations: string[];
  abstained: boolean;
  retrieved: RetrievedRecord[];
  latencyMs: number;
  retrievalMs: number;
  usage?: Usage;
  /** The answerer's support score for its best answer (see Answer). */
  confidence?: number;
  short?: string;
  withheld?: Answer['withheld'];
  trace?: Answer['trace'];
}

export interface AskOptions {
  k?: number;
  depth?: number;
}

export type Ask = (question: string, options?: AskOptions) => Promise<AnswerRecord & { contexts: RetrievedChunk[] }>;

export const MAX_QUESTION_CHARS = 2000;

/**
 * Question → retrieved chunks → answer record, with no I/O of its own: the app (pipeline.ts) and the
 * in-browser demo (browser/pipeline.ts) both answer through it, so they cannot drift apart.
 */
export function createAsk(retriever: Retriever, answerer: Answerer, defaultK: number): Ask {
  return async (question, options = {}) => {
    const q = question.trim();
    if (q.length === 0) throw new UserError('the question is empty. Ask something, e.g. ragfolio ask "What did the 1991 address say about Kuwait?"');
    if (q.length > MAX_QUESTION_CHARS) throw new UserError(`the question is ${q.length} characters long; the limit is ${MAX_QUESTION_CHARS}. Shorten it.`);
    const started = performance.now();
    const k = options.k ?? defaultK;
    const retrieved = await retriever.retrieve(q, Math.max(k, options.depth ?? k));
    const retrievalMs = performance.now() - started;
    const contexts = retrieved.slice(0, k);
    const answer = await answerer.answer(q, contexts, { retrieve: (query, n) => retriever.retrieve(query, n) });
    return {
      question: q,
      answer: answer.text,
      citations: answer.citations,
      abstained: answer.abstained,
      retrieved: retrieved.map(({ chunk, score }) => ({ chunkId: chunk.id, passageIds: chunk.passageIds, score })),
      latencyMs: performance.now() - started,
      retrievalMs,
      usage: answer.usage,
      ...(answer.confidence !== undefined ? { confidence: answer.confidence } : {}),
      ...(answer.short ? { short: answer.short } : {}),
      ...(answer.withheld ? { withheld: answer.withheld } : {}),
      ...(answer.trace ? { trace: answer.trace } : {}),
      // Groundedness is scored against what the answer was made from: an agent's or planner's own retrievals.
      contexts: answer.contexts ?? contexts,
    };
  };
}
