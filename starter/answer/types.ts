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
}

export interface Answerer {
  /** Names the generator in run files and reports. */
  readonly id: string;
  answer(question: string, retrieved: readonly RetrievedChunk[]): Promise<Answer>;
}
