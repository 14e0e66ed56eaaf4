import type { Passage } from '../corpus.ts';
import { proseSpans } from '../markdown.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { countWords, type Span, splitSentences } from '../sentences.ts';
import { tokenize } from '../tokenize.ts';
import { askedType, shortAnswer } from './cues.ts';
import type { RelatedTerms } from './related-terms.ts';
import { type Answer, type Answerer, NOT_FOUND } from './types.ts';

export interface SentenceScoring {
  /**
   * Credit for a question term found in the sentence's passage but not in the sentence itself (0..1). The
   * passage sets the topic ("Social Security") that the answering sentence need not repeat.
   */
  contextWeight: number;
  /** Subtracted when the question asks for a number, date or name and the run holds none beyond those the question holds (0 = cues off). */
  cuePenalty: number;
  /** Share of the score that is USE-lite question–sentence cosine similarity (0 = lexical only). */
  semanticWeight: number;
  /**
   * Credit (0..1) in the confidence for a question term the run does not hold but holds a WordNet-related form
   * of ("hooked" → "addicted"); a related form elsewhere in the passage earns it times `contextWeight`. It raises
   * the confidence that abstention reads, never the choice of run: as a choice it swapped right quotes for wrong
   * ones on dev ("president" is related to "control"). 0 = off.
   */
  relatedWeight: number;
  /** Stem → WordNet-related stems (starter/answer/related-terms.ts); needed only when relatedWeight > 0. */
  relatedTerms?: RelatedTerms;
  /** Corpus inverse document frequency of a term: rare words weigh more. */
  idf: (term: string) => number;
  passages: ReadonlyMap<string, Passage>;
  /** Cosine similarity of the question to each sentence; needed only when semanticWeight > 0. */
  similarity?: (question: string, sentences: readonly string[]) => Promise<number[]>;
}

export interface ExtractiveOptions extends SentenceScoring {
  /**
   * `sentences`: quote the best `maxSentences` sentences wherever they are. `window`: quote the best run of up
   * to `maxSentences` consecutive sentences, scored as one unit, since speeches often set up a topic in one
   * sentence and give the figure or the name in the next ("In 1945 there were two dozen democracies. Today there are 122.").
   */
  unit: 'sentences' | 'window';
  /**
   * Window mode: also quote the best run from another passage when it scores at least this share of the
   * best (0 = never). A comparison ("how did the figure change between the two addresses?") needs two sources.
   */
  secondSource: number;
  maxSentences: number;
  /** Below this confidence for the best sentence, abstain; in `sentences` mode, other sentences below it are not quoted. */
  minScore: number;
}

export interface ScoredSentence {
  text: string;
  passageId: string;
  /** idf-weighted share of the question's terms in the sentence (+ title, + context at contextWeight). */
  lexical: number;
  /** What picks the run. */
  score: number;
  /** The score with related-form credit: what the abstention threshold reads. */
  confidence: number;
  rank: number;
}

const MIN_WORDS = 4;
// What each extra sentence of a quoted run costs: ties go to the shorter quote.
const RUN_COST = 0.02;

/**
 * Score every prose sentence of the retrieved chunks. Pure but for the optional similarity call: an
 * answer can always be traced to a sentence, its passage and the terms that chose it.
 */
export async function scoreSentences(question: string, retrieved: readonly RetrievedChunk[], options: SentenceScoring, window = 1): Promise<ScoredSentence[]> {
  const queryTerms = [...new Set(tokenize(question))];
  const total = queryTerms.reduce((sum, t) => sum + options.idf(t), 0);
  if (total === 0) return [];
  const chunks = retrieved.map(({ chunk }) => ({ chunk, sentences: quotableSentences(chunk.text) }));
  // One similarity per sentence; a run of sentences is as similar as its closest sentence.
  const allSentences = chunks.flatMap((c) => c.sentences.map((s) => s.text));
  const similarities = options.semanticWeight > 0 && options.similarity && allSentences.length > 0 ? await options.similarity(question, allSentences) : undefined;
  const type = askedType(question);
  const candidates: ScoredSentence[] = [];
  let offset = 0;
  chunks.forEach(({ chunk, sentences }, rank) => {
    // The title ("1991 State of the Union — George Bush", or a docs page's heading path) is shared by every sentence.
    const titleTerms = tokenize(chunk.title);
    const chunkTerms = new Set(tokenize(chunk.text));
    const credit = coverageCredit(options, chunkTerms);
    for (const [i, first] of sentences.entries()) {
      // Runs of 1..window consecutive sentences; a longer run must add something to beat a shorter one.
      for (let size = 1; size <= window && i + size <= sentences.length; size++) {
        const run = sentences.slice(i, i + size);
        const text = run.map((s) => s.text).join(' ');
        const runTerms = new Set(tokenize(text));
        const terms = new Set([...titleTerms, ...runTerms]);
        const share = (related: boolean) => queryTerms.reduce((sum, t) => sum + options.idf(t) * credit(t, terms, runTerms, related), 0) / total - (size - 1) * RUN_COST;
        const lexical = share(false);
        const semantic = similarities ? Math.max(...similarities.slice(offset + i, offset + i + size)) : 0;
        const blended = (1 - options.semanticWeight) * lexical + options.semanticWeight * semantic;
        // A span the question already holds ("compared with two dozen") is not an answer to it.
        const missesType = type !== undefined && shortAnswer(question, text, type) === undefined;
        const score = blended - (missesType ? options.cuePenalty : 0);
        const confidence = options.relatedWeight > 0 ? score + (1 - options.semanticWeight) * (share(true) - lexical) : score;
        candidates.push({ text, passageId: passageAt(chunk.passageIds, chunk.start + first.span.start, options.passages), lexical, score, confidence, rank });
      }
    }
    offset += sentences.length;
  });
  return candidates.sort((a, b) => b.score - a.score || a.rank - b.rank);
}

/**
 * How much a question term counts as covered by a run: 1 in the run or the title, `contextWeight` elsewhere in
 * the passage; with `related`, also a related form in the run's own text (not the title: "State of the Union"
 * would meet every "say") or, at `contextWeight`, in the passage.
 */
function coverageCredit(options: SentenceScoring, chunkTerms: ReadonlySet<string>) {
  const relatedIn = (term: string, terms: ReadonlySet<string>) => options.relatedTerms?.get(term)?.some((r) => terms.has(r)) ?? false;
  return (term: string, terms: ReadonlySet<string>, runTerms: ReadonlySet<string>, related: boolean): number => {
    if (terms.has(term)) return 1;
    const base = chunkTerms.has(term) ? options.contextWeight : 0;
    if (!related) return base;
    const viaRelated = relatedIn(term, runTerms) ? options.relatedWeight : relatedIn(term, chunkTerms) ? options.relatedWeight * options.contextWeight : 0;
    return Math.max(base, viaRelated);
  };
}

/**
 * The sentences an answer may quote: inside the prose of a text (code blocks, tables and list or quote
 * markers never become answers) and at least MIN_WORDS long. Also the texts whose embeddings a dataset ships.
 */
export function quotableSentences(text: string): { span: Span; text: string }[] {
  return proseSpans(text)
    .flatMap((prose) => splitSentences(text.slice(prose.start, prose.end)).map((s) => ({ start: prose.start + s.start, end: prose.start + s.end })))
    .map((span) => ({ span, text: text.slice(span.start, span.end) }))
    .filter((s) => countWords(s.text) >= MIN_WORDS);
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
      const windowed = options.unit === 'window';
      const ranked = await scoreSentences(question, retrieved, options, windowed ? options.maxSentences : 1);
      const best = ranked[0];
      const confidence = best?.confidence ?? 0;
      const picked = windowed ? withSecondSource(ranked, options.secondSource) : ranked.slice(0, options.maxSentences).filter((s) => s.confidence >= options.minScore || s === best);
      const citations = [...new Set(picked.map((s) => s.passageId))];
      const text = picked.map((s) => `${s.text} [${s.passageId}]`).join(' ');
      const type = askedType(question);
      const short = best && type ? shortAnswer(question, best.text, type) : undefined;
      if (!best) return { text: NOT_FOUND, citations: [], abstained: true, confidence };
      // Below the threshold the answer is withheld, but kept so a risk–coverage curve can score every threshold.
      if (confidence < options.minScore) return { text: NOT_FOUND, citations: [], abstained: true, confidence, withheld: { text, ...(short ? { short } : {}) } };
      return { text, citations, abstained: false, confidence, ...(short ? { short } : {}) };
    },
  };
}

/** The best run, and the best run of another passage if it comes close enough. */
function withSecondSource(ranked: readonly ScoredSentence[], share: number): ScoredSentence[] {
  const best = ranked[0];
  if (!best) return [];
  const second = share > 0 ? ranked.find((s) => s.passageId !== best.passageId) : undefined;
  return second && second.score >= share * best.score ? [best, second] : [best];
}
