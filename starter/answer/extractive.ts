import type { ConfidenceScore } from '../config.ts';
import type { Passage } from '../corpus.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { tokenize } from '../tokenize.ts';
import { type CandidateUnit, type ChunkReading, type QuotableRun, readChunk } from './chunk-reading.ts';
import { type AnswerType, askedType, asksHowTo, shortAnswer, shortAnswerAmong } from './cues.ts';
import { formatAnswer, MAX_PROSE_CHARS, type QuotedRun } from './format.ts';
import type { RelatedTerms } from './related-terms.ts';
import { supportFeatures, supportScore } from './support.ts';
import { type Answer, type Answerer, type Holds, NOT_FOUND } from './types.ts';
import { type AnswerUnit, type Attachment, unitInContext } from './units.ts';

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
  /**
   * Markdown: added to a run's score times its chunk's retrieval standing (retrievalStanding). A Markdown unit
   * counts its heading path's words as its own, so the units of a section tie on coverage and units of several
   * sections come close; the retriever ranked whole passages on all their words. Prose sentences stand alone and
   * get none (on the speeches' dev split any weight cost right answers). It picks the quote, never the confidence. 0 = off.
   */
  retrievalWeight: number;
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
  /**
   * Markdown: the best run is quoted with its neighbours in its section, up to this many units in all (1 = the
   * run alone; see widen). Documentation states a thing in one sentence and qualifies it in the next ("Default: …",
   * "It returns …"); the extra sentences are shown, never scored.
   */
  sectionWindow: number;
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
  /** How many units the run joins. */
  size: number;
  /** Markdown: the units before the run in its section, nearest first, and those after it, in order (what widening may add). */
  before?: readonly CandidateUnit[];
  after?: readonly CandidateUnit[];
  /** Markdown, how-to questions: the first code block of the run's section from the run on (else its last before the run). */
  sectionCode?: { attachment: Attachment; passageId: string };
}

// What each extra sentence of a quoted run costs: ties go to the shorter quote.
const RUN_COST = 0.02;

/**
 * Score every answer unit of the retrieved chunks (starter/answer/units.ts). Pure but for the optional
 * similarity call: an answer can always be traced to a sentence, its passage and the terms that chose it.
 */
export async function scoreSentences(question: string, retrieved: readonly RetrievedChunk[], options: SentenceScoring, window = 1): Promise<ScoredSentence[]> {
  const queryTerms = [...new Set(tokenize(question))];
  const idfs = queryTerms.map((t) => options.idf(t));
  const total = idfs.reduce((sum, idf) => sum + idf, 0);
  if (total === 0) return [];
  const type = askedType(question);
  const howTo = asksHowTo(question);
  const chunks = retrieved.map(({ chunk }) => {
    const reading = readChunk(chunk, options.passages);
    return { reading, ...reading.candidates(type, window) };
  });
  // One similarity per unit; a run of units is as similar as its closest one.
  const allTexts = chunks.flatMap((c) => c.contexts);
  const similarities = options.semanticWeight > 0 && options.similarity && allTexts.length > 0 ? await options.similarity(question, allTexts) : undefined;
  const coverage = questionCoverage(queryTerms, idfs, total, options);
  const candidates: ScoredSentence[] = [];
  // Whether each candidate lacks a span of the asked type.
  const misses: boolean[] = [];
  const standing = retrievalStanding(retrieved);
  let offset = 0;
  chunks.forEach(({ reading, units, runs }, rank) => {
    const prior = options.retrievalWeight * (standing[rank] ?? 0);
    const share = coverage(reading);
    for (const run of runs) {
      const { first, size, text } = run;
      const { lexical, withRelated } = share(run, options.relatedWeight > 0);
      const semantic = similarities ? Math.max(...similarities.slice(offset + first, offset + first + size)) : 0;
      const blended = (1 - options.semanticWeight) * lexical + options.semanticWeight * semantic;
      // A span the question already holds ("compared with two dozen") is not an answer to it.
      const missesType = type !== undefined && shortAnswerAmong(question, run.spans(type), type) === undefined;
      const confidence = options.relatedWeight > 0 ? blended + (1 - options.semanticWeight) * (withRelated - lexical) : blended;
      candidates.push({
        text,
        ...(run.heading ? { heading: run.heading } : {}),
        passageId: run.passageId,
        ...run.attachment,
        lexical,
        score: blended + (run.heading === undefined ? 0 : prior),
        confidence,
        rank,
        size,
        ...run.section(howTo),
      });
      misses.push(missesType);
    }
    offset += units.length;
  });
  // A documentation cue ("which option", "what is the name of") that no candidate can meet says nothing: prose without code spans is not wrong for it.
  const cueHeard = type !== undefined && (!DOCS_TYPES.has(type) || misses.some((missed) => !missed));
  return candidates
    .map((c, i) => (cueHeard && misses[i] ? { ...c, score: c.score - options.cuePenalty, confidence: c.confidence - options.cuePenalty } : c))
    .sort((a, b) => b.score - a.score || a.rank - b.rank);
}

/**
 * Each retrieved chunk's standing in its list, 1 for the first to 0 for the last: its score min–max normalised
 * (fused scores are comparable within one list only), or its rank when the scores are all equal.
 */
export function retrievalStanding(retrieved: readonly RetrievedChunk[]): number[] {
  const scores = retrieved.map((r) => r.score);
  const max = Math.max(...scores);
  const min = Math.min(...scores);
  if (max > min) return scores.map((s) => (s - min) / (max - min));
  return retrieved.map((_, i) => (retrieved.length > 1 ? 1 - i / (retrieved.length - 1) : 1));
}

const DOCS_TYPES: ReadonlySet<AnswerType> = new Set(['default', 'version', 'command', 'option']);

const quotable = (u: AnswerUnit) => u.kind === 'sentence' || u.kind === 'default';

/**
 * The best run as quoted: in Markdown, with its neighbours in its section up to `window` units in all and within
 * the prose budget: first the sentences after it (one that carries a block ends the quote, with its block), then
 * those before it (not past one whose block would sit between); for a how-to question without a code block yet,
 * the section's code block.
 */
export function widen(run: ScoredSentence, window: number): QuotedRun {
  let { text, attachment, attachmentPassageId } = run;
  let room = window - run.size;
  const fits = (longer: string) => unitInContext({ text: longer, ...(run.heading ? { heading: run.heading } : {}) }).length <= MAX_PROSE_CHARS;
  for (const unit of attachment ? [] : (run.after ?? [])) {
    if (room <= 0 || !quotable(unit) || !fits(`${text} ${unit.text}`)) break;
    text = `${text} ${unit.text}`;
    room--;
    if (unit.attachment) {
      attachment = unit.attachment;
      attachmentPassageId = unit.from;
      break;
    }
  }
  for (const unit of run.before ?? []) {
    if (room <= 0 || !quotable(unit) || unit.attachment || !fits(`${unit.text} ${text}`)) break;
    text = `${unit.text} ${text}`;
    room--;
  }
  if (!attachment && run.sectionCode) {
    attachment = run.sectionCode.attachment;
    attachmentPassageId = run.sectionCode.passageId;
  }
  return { text, passageId: run.passageId, ...(run.heading ? { heading: run.heading } : {}), ...(attachment ? { attachment } : {}), ...(attachmentPassageId ? { attachmentPassageId } : {}) };
}

/**
 * A run's idf-weighted share of the question's terms, less RUN_COST per unit past the first. A term counts 1 in
 * the run or the title, `contextWeight` elsewhere in the passage; with `related`, also a related form in the
 * run's own text (not the title: "State of the Union" would meet every "say") or, at `contextWeight`, in the
 * passage. Made per question, then per chunk, so that each run looks up only its own terms.
 */
function questionCoverage(queryTerms: readonly string[], idfs: readonly number[], total: number, options: SentenceScoring) {
  const { contextWeight, relatedWeight, relatedTerms } = options;
  const forms = queryTerms.map((t) => relatedTerms?.get(t) ?? []);
  // The question terms each word is a related form of: a run's few words are looked up, not every form of every term.
  const relatedTo = new Map<string, number[]>();
  for (const [j, list] of forms.entries()) {
    for (const form of list) {
      const terms = relatedTo.get(form);
      if (terms) terms.push(j);
      else relatedTo.set(form, [j]);
    }
  }
  const inRun = new Uint8Array(queryTerms.length);
  return (chunk: Pick<ChunkReading, 'terms' | 'titleTerms'>) => {
    const inTitle = queryTerms.map((t) => chunk.titleTerms.has(t));
    const base = queryTerms.map((t) => (chunk.terms.has(t) ? contextWeight : 0));
    const viaChunk = forms.map((list) => (list.some((form) => chunk.terms.has(form)) ? relatedWeight * contextWeight : 0));
    /** The run's share, and its share with related-form credit when `related` (both sums in one pass over the question's terms). */
    return (run: QuotableRun, related: boolean): { lexical: number; withRelated: number } => {
      if (related) {
        inRun.fill(0);
        for (const term of run.ownTerms) for (const j of relatedTo.get(term) ?? []) inRun[j] = 1;
      }
      let lexical = 0;
      let withRelated = 0;
      for (let j = 0; j < queryTerms.length; j++) {
        const idf = idfs[j] ?? 0;
        if (inTitle[j] || run.terms.has(queryTerms[j] as string)) {
          lexical += idf * 1;
          withRelated += idf * 1;
        } else {
          lexical += idf * (base[j] ?? 0);
          if (related) withRelated += idf * Math.max(base[j] ?? 0, inRun[j] ? relatedWeight : (viaChunk[j] ?? 0));
        }
      }
      const cost = (run.size - 1) * RUN_COST;
      return { lexical: lexical / total - cost, withRelated: related ? withRelated / total - cost : lexical / total - cost };
    };
  };
}

/**
 * What scoreSentences reads beyond the question and the chunks, but for the idf, passages, similarity and related
 * terms a caller shares: answerers equal in these and those rank every run alike (an experiment grid's points
 * that differ only in minScore, secondSource or sectionWindow).
 */
export function scoringSettings(o: Pick<ExtractiveOptions, 'contextWeight' | 'cuePenalty' | 'semanticWeight' | 'relatedWeight' | 'retrievalWeight' | 'unit' | 'maxSentences'>) {
  const { contextWeight, cuePenalty, semanticWeight, relatedWeight, retrievalWeight } = o;
  const own = { contextWeight, cuePenalty, semanticWeight, relatedWeight, retrievalWeight } satisfies Record<
    Exclude<keyof SentenceScoring, 'idf' | 'passages' | 'similarity' | 'relatedTerms'>,
    number
  >;
  return { ...own, window: o.unit === 'window' ? o.maxSentences : 1 };
}

const RANKED_KEPT = 256;

/** Ranked runs by question and retrieved chunks (ids and scores), shared by answerers with equal scoringSettings over one index. */
export type RankedRuns = Map<string, Promise<ScoredSentence[]>>;

/** `shared`: runs ranked by another answerer with the same scoringSettings, idf, passages and similarity (a grid's). */
export function createExtractiveAnswerer(options: ExtractiveOptions, shared?: RankedRuns): Answerer {
  const window = scoringSettings(options).window;
  const rank = (question: string, retrieved: readonly RetrievedChunk[]) => {
    if (!shared) return scoreSentences(question, retrieved, options, window);
    const key = JSON.stringify([question, retrieved.map((r) => [r.chunk.id, r.score])]);
    let ranked = shared.get(key);
    if (!ranked) {
      ranked = scoreSentences(question, retrieved, options, window);
      shared.set(key, ranked);
      // The oldest go first: a grid asks every point about one question before the next.
      for (const old of shared.keys()) {
        if (shared.size <= RANKED_KEPT) break;
        shared.delete(old);
      }
    }
    return ranked;
  };
  const respond = async (question: string, retrieved: readonly RetrievedChunk[], holds?: Holds): Promise<Answer> => {
    const windowed = options.unit === 'window';
    const ranked = await rank(question, retrieved);
    const best = ranked[0];
    const picked = windowed ? withSecondSource(ranked, options.secondSource) : ranked.slice(0, options.maxSentences).filter((s) => s.confidence >= options.minScore || s === best);
    const widened = picked.map((run, n) => (n === 0 ? widen(run, options.sectionWindow) : run));
    const continued = best && holds ? continuedTo(widened[0] as QuotedRun, unitsAfter(best, retrieved, options.passages), holds) : undefined;
    const quoted = continued ?? widened;
    const { text, citations } = formatAnswer(quoted);
    const type = askedType(question);
    // The short answer comes from the run that holds what was asked: the continuation's last, else the lead.
    const lead = continued ? continued.at(-1) : quoted[0];
    const short = lead && type ? shortAnswer(question, lead.attachment ? `${lead.text}\n${lead.attachment.markdown}` : lead.text, type) : undefined;
    if (!best) return { text: NOT_FOUND, citations: [], abstained: true, confidence: 0 };
    // The support score adds what retrieval says about the corpus holding an answer to the best run's score.
    const support = supportFeatures({ question, retrieved, best, idf: options.idf, typeMissed: type !== undefined && short === undefined });
    const confidence = options.confidence === 'support' ? supportScore(support) : best.confidence;
    // Below the threshold the answer is withheld, but kept so a risk–coverage curve can score every threshold.
    if (confidence < options.minScore) return { text: NOT_FOUND, citations: [], abstained: true, confidence, support, withheld: { text, ...(short ? { short } : {}) } };
    return { text, citations, abstained: false, confidence, support, ...(short ? { short } : {}) };
  };
  return {
    id: 'extractive',
    answer: (question, retrieved) => respond(question, retrieved),
    answerHolding: respond,
  };
}

/**
 * The quote a part needs: the best run when it holds what `holds` asks for, else the best run and, after it, the
 * nearest unit of `after` that does (speeches set a topic in one sentence and give its figure or its name a few
 * sentences on: "When I became President, there was just one … charter school." "Today … there are 1,700."), in
 * one quote when both are of one passage. Undefined when no unit does. Pure.
 */
export function continuedTo(run: QuotedRun, after: readonly QuotedRun[], holds: Holds): QuotedRun[] | undefined {
  if (holds(run.text)) return [run];
  const at = after.findIndex((unit) => holds(unit.text));
  const holder = after[at];
  if (!holder) return undefined;
  // One quote, one citation, when the holder is of the run's passage: right after it, or after an ellipsis.
  const joined = `${run.text}${at === 0 ? ' ' : ' … '}${holder.text}`;
  const merge = holder.passageId === run.passageId && !run.attachment && unitInContext({ ...run, text: joined }).length <= MAX_PROSE_CHARS;
  return merge ? [{ ...run, text: joined }] : [run, holder];
}

/**
 * The units after a run in its document, as quotable runs: the rest of its chunk, then the first unit of the
 * passage that follows the chunk (a run ending its passage is continued in the next).
 */
function unitsAfter(run: ScoredSentence, retrieved: readonly RetrievedChunk[], passages: ReadonlyMap<string, Passage>): QuotedRun[] {
  const chunk = retrieved[run.rank]?.chunk;
  if (!chunk) return [];
  const reading = readChunk(chunk, passages);
  const { units } = reading;
  const end =
    units.findIndex(
      (_, i) =>
        units
          .slice(Math.max(0, i + 1 - run.size), i + 1)
          .map((u) => u.text)
          .join(' ') === run.text,
    ) + 1;
  if (end === 0) return [];
  const rest = units
    .slice(end)
    .filter(quotable)
    .map((u) => ({ text: u.text, passageId: reading.passageOf(u) }));
  const next = reading.nextPassage();
  const first = next.units?.find(quotable);
  return next.passage && first ? [...rest, { text: first.text, passageId: next.passage.id }] : rest;
}

/** The best run, and the best run of another passage if it comes close enough. */
function withSecondSource(ranked: readonly ScoredSentence[], share: number): ScoredSentence[] {
  const best = ranked[0];
  if (!best) return [];
  const second = share > 0 ? ranked.find((s) => s.passageId !== best.passageId) : undefined;
  return second && second.score >= share * best.score ? [best, second] : [best];
}
