import type { RetrievedChunk } from '../retrieve.ts';
import type { SupportFeatures } from './support.ts';
import type { Trace } from './trace.ts';

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
  /** The answerer's own support score for its best answer (extractive: answer/support.ts, from `support`). */
  confidence?: number;
  /** What the extractive answerer's confidence was computed from: why it answered or declined. */
  support?: SupportFeatures;
  /** The short span that answers a who/when/how-many question ("$1.9 trillion"), when one was found. */
  short?: string;
  /** What an abstaining answerer would have said: lets a risk–coverage curve score every threshold. */
  withheld?: { text: string; short?: string };
  /** The steps of a multi-step answerer (agent, planner). */
  trace?: Trace;
  /** The chunks the answer was made from, when the answerer retrieved its own (agent, planner). */
  contexts?: RetrievedChunk[];
}

/** What an answerer may call besides the chunks it is given: the project's retriever (agent, planner). */
export interface AnswerTools {
  retrieve(query: string, k: number): Promise<RetrievedChunk[]>;
}

/** What a quote must hold to answer a part (a figure written with digits, a span of the asked type). */
export type Holds = (text: string) => boolean;

export interface Answerer {
  /** Names the generator in run files and reports. */
  readonly id: string;
  answer(question: string, retrieved: readonly RetrievedChunk[], tools?: AnswerTools): Promise<Answer>;
  /**
   * The answer quoting a run that holds what `holds` asks for, when the answerer can look for one (the extractive
   * answerer: starter/answer/extractive.ts continuedTo); otherwise its plain answer. What the planner's parts use.
   */
  answerHolding?(question: string, retrieved: readonly RetrievedChunk[], holds: Holds): Promise<Answer>;
}
