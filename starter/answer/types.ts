import type { RetrievedChunk } from '../retrieve.ts';

export const NOT_FOUND = 'Not found in the corpus.';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface Answer {
  text: string;
  /** Passage ids the answer cites, in order of first mention. */
  citations: string[];
  abstained: boolean;
  usage?: Usage;
  /** The answerer's own support score for its best answer (extractive: the best sentence's score). */
  confidence?: number;
  /** The short span that answers a who/when/how-many question ("$1.9 trillion"), when one was found. */
  short?: string;
  /** What an abstaining answerer would have said: lets a risk–coverage curve score every threshold. */
  withheld?: { text: string; short?: string };
}

export interface Answerer {
  /** Names the generator in run files and reports. */
  readonly id: string;
  answer(question: string, retrieved: readonly RetrievedChunk[]): Promise<Answer>;
}
