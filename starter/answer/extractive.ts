import type { Chunk } from '../chunk.ts';
import type { ConfidenceScore } from '../config.ts';
import type { Passage } from '../corpus.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { tokenize } from '../tokenize.ts';
import { type AnswerType, askedType, shortAnswer } from './cues.ts';
import { formatAnswer } from './format.ts';
import type { RelatedTerms } from './related-terms.ts';
import { supportFeatures, supportScore } from './support.ts';
import { type Answer, type Answerer, NOT_FOUND } from './types.ts';
import { type AnswerUnit, type Attachment, answerUnits, danglingIntro, leadingBlock, unitInContext } from './units.ts';

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
  /** What minScore is compared with: the support score, or the best run's own score (starter/config.ts CONFIDENCE_SCORES). */
  confidence: ConfidenceScore;
}

export interface ScoredSentence {
  /** The run's prose as quoted: its units' texts joined. */
  text: string;
  /** Markdown: the heading path the run sits under, shown before it. */
  heading?: string;
  passageId: string;
  /** The block the run's last sentence introduces (code, list or table), shown after it. */
  attachment?: Attachment;
  /** The passage the attachment comes from when it is not the run's own (an intro at the end of a passage). */
  attachmentPassageId?: string;
  /** idf-weighted share of the question's terms in the sentence (+ title, + context at contextWeight). */
  lexical: number;
  /** What picks the run. */
  score: number;
  /** The score with related-form credit: what the abstention threshold reads. */
  confidence: number;
  rank: number;
}

// What each extra sentence of a quoted run costs: ties go to the shorter quote.
const RUN_COST = 0.02;

/**
 * Score every answer unit of the retrieved chunks (starter/answer/units.ts). Pure but for the optional
 * similarity call: an answer can always be traced to a sentence, its passage and the terms that chose it.
 */
export async function scoreSentences(question: string, retrieved: readonly RetrievedChunk[], options: SentenceScoring, window = 1): Promise<ScoredSentence[]> {
  const queryTerms = [...new Set(tokenize(question))];
  const total = queryTerms.reduce((sum, t) => sum + options.idf(t), 0);
  if (total === 0) return [];
  const type = askedType(question);
  const chunks = retrieved.map(({ chunk }) => ({ chunk, units: candidateUnits(chunk, type, options.passages) }));
  // One similarity per unit; a run of units is as similar as its closest one.
  const allTexts = chunks.flatMap((c) => c.units.map(unitInContext));
  const similarities = options.semanticWeight > 0 && options.similarity && allTexts.length > 0 ? await options.similarity(question, allTexts) : undefined;
  const candidates: (ScoredSentence & { missesType: boolean })[] = [];
  let offset = 0;
  chunks.forEach(({ chunk, units }, rank) => {
    // The title ("1991 State of the Union — George Bush", or a docs page's heading path) is shared by every unit.
    const titleTerms = tokenize(chunk.title);
    const chunkTerms = new Set(tokenize(chunk.text));
    const credit = coverageCredit(options, chunkTerms);
    for (const [i, first] of units.entries()) {
      // Runs of 1..window consecutive units; a longer run must add something to beat a shorter one. A block a
      // unit carries (code, list, table) ends the run: it is shown right after its sentence.
      for (let size = 1; size <= window && i + size <= units.length; size++) {
        const run = units.slice(i, i + size);
        if (run.slice(0, -1).some((u) => u.attachment || u.kind === 'code')) break;
        const last = run.at(-1) as CandidateUnit;
        const text = run.map((u) => u.text).join(' ');
        const runTerms = new Set(tokenize(text));
        // Heading and title words count as the unit's own ("`bodyLimit`" above "Default: `1048576`"), as do a code unit's code and a row's table header.
        const terms = new Set([...titleTerms, ...runTerms, ...run.flatMap((u) => tokenize(`${u.heading ?? ''} ${u.extra ?? ''}`))]);
        const share = (related: boolean) => queryTerms.reduce((sum, t) => sum + options.idf(t) * credit(t, terms, runTerms, related), 0) / total - (size - 1) * RUN_COST;
        const lexical = share(false);
        const semantic = similarities ? Math.max(...similarities.slice(offset + i, offset + i + size)) : 0;
        const blended = (1 - options.semanticWeight) * lexical + options.semanticWeight * semantic;
        // A span the question already holds ("compared with two dozen") is not an answer to it.
        const missesType = type !== undefined && shortAnswer(question, withAttachment(text, last), type) === undefined;
        const confidence = options.relatedWeight > 0 ? blended + (1 - options.semanticWeight) * (share(true) - lexical) : blended;
        const passageId = passageAt(chunk.passageIds, chunk.start + first.start, options.passages);
        const attachment = last.attachment ? { attachment: last.attachment, ...(last.from ? { attachmentPassageId: last.from } : {}) } : {};
        candidates.push({ text, ...(first.heading ? { heading: first.heading } : {}), passageId, ...attachment, lexical, score: blended, confidence, rank, missesType });
      }
    }
    offset += units.length;
  });
  // A documentation cue ("which option", "what is the name of") that no candidate can meet says nothing: prose without code spans is not wrong for it.
  const cueHeard = type !== undefined && (!DOCS_TYPES.has(type) || candidates.some((c) => !c.missesType));
  return candidates
    .map(({ missesType, ...c }) => (cueHeard && missesType ? { ...c, score: c.score - options.cuePenalty, confidence: c.confidence - options.cuePenalty } : c))
    .sort((a, b) => b.score - a.score || a.rank - b.rank);
}

type CandidateUnit = AnswerUnit & { from?: string };

const DOCS_TYPES: ReadonlySet<AnswerType> = new Set(['default', 'version', 'command', 'option']);

/**
 * The units of a chunk the question may be answered by: a code block (alone, or after the sentence before it)
 * only for command and option questions, a `Default:` line only for questions about defaults or numbers; a
 * sentence introducing a block only with that block (taken from the next passage of the document when the
 * chunk ends on the sentence).
 */
function candidateUnits(chunk: Chunk, type: AnswerType | undefined, passages: ReadonlyMap<string, Passage>): CandidateUnit[] {
  const units: CandidateUnit[] = answerUnits(chunk.text, chunk.title);
  const last = units.at(-1);
  if (last && danglingIntro(last)) {
    const next = nextPassage(chunk, passages);
    const block = next ? leadingBlock(next.text) : undefined;
    if (next && block) units[units.length - 1] = { ...last, attachment: { ...block, introduced: true }, from: next.id };
  }
  const howTo = type === 'command' || type === 'option';
  return units
    .filter((u) => !danglingIntro(u) && (u.kind !== 'code' || howTo) && (u.kind !== 'default' || type === 'default' || type === 'number'))
    .map(({ attachment, ...u }) => (attachment && (attachment.introduced || howTo) ? { ...u, attachment } : u));
}

/** The passage of the same document that starts right after a chunk ends. */
function nextPassage(chunk: Chunk, passages: ReadonlyMap<string, Passage>): Passage | undefined {
  let next: Passage | undefined;
  for (const p of passages.values()) if (p.docId === chunk.docId && p.start >= chunk.end && (!next || p.start < next.start)) next = p;
  return next;
}

/** A run's text with the block it introduces: what a short answer may be taken from. */
function withAttachment(text: string, unit: AnswerUnit): string {
  return unit.attachment ? `${text}\n${unit.attachment.markdown}` : text;
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
      const picked = windowed ? withSecondSource(ranked, options.secondSource) : ranked.slice(0, options.maxSentences).filter((s) => s.confidence >= options.minScore || s === best);
      const { text, citations } = formatAnswer(picked);
      const type = askedType(question);
      const short = best && type ? shortAnswer(question, best.attachment ? `${best.text}\n${best.attachment.markdown}` : best.text, type) : undefined;
      if (!best) return { text: NOT_FOUND, citations: [], abstained: true, confidence: 0 };
      // The support score adds what retrieval says about the corpus holding an answer to the best run's score.
      const support = supportFeatures({ question, retrieved, best, idf: options.idf, typeMissed: type !== undefined && short === undefined });
      const confidence = options.confidence === 'support' ? supportScore(support) : best.confidence;
      // Below the threshold the answer is withheld, but kept so a risk–coverage curve can score every threshold.
      if (confidence < options.minScore) return { text: NOT_FOUND, citations: [], abstained: true, confidence, support, withheld: { text, ...(short ? { short } : {}) } };
      return { text, citations, abstained: false, confidence, support, ...(short ? { short } : {}) };
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
