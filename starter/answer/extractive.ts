import type { Chunk } from '../chunk.ts';
import type { ConfidenceScore } from '../config.ts';
import type { Passage } from '../corpus.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { tokenize } from '../tokenize.ts';
import { type AnswerType, askedType, asksHowTo, shortAnswer } from './cues.ts';
import { formatAnswer, MAX_PROSE_CHARS, type QuotedRun } from './format.ts';
import type { RelatedTerms } from './related-terms.ts';
import { supportFeatures, supportScore } from './support.ts';
import { type Answer, type Answerer, type Holds, NOT_FOUND } from './types.ts';
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
  const total = queryTerms.reduce((sum, t) => sum + options.idf(t), 0);
  if (total === 0) return [];
  const type = askedType(question);
  const howTo = asksHowTo(question);
  const chunks = retrieved.map(({ chunk }) => {
    const all = answerUnits(chunk.text, chunk.title);
    return { chunk, all, units: candidateUnits(chunk, all, type, options.passages) };
  });
  // One similarity per unit; a run of units is as similar as its closest one.
  const allTexts = chunks.flatMap((c) => c.units.map(unitInContext));
  const similarities = options.semanticWeight > 0 && options.similarity && allTexts.length > 0 ? await options.similarity(question, allTexts) : undefined;
  const candidates: (ScoredSentence & { missesType: boolean })[] = [];
  const standing = retrievalStanding(retrieved);
  let offset = 0;
  chunks.forEach(({ chunk, all, units }, rank) => {
    const prior = options.retrievalWeight * (standing[rank] ?? 0);
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
        const section = first.heading === undefined ? {} : sectionOf(units, i, size, all, howTo, (u) => passageAt(chunk.passageIds, chunk.start + u.start, options.passages));
        candidates.push({
          text,
          ...(first.heading ? { heading: first.heading } : {}),
          passageId,
          ...attachment,
          lexical,
          score: blended + (first.heading === undefined ? 0 : prior),
          confidence,
          rank,
          size,
          missesType,
          ...section,
        });
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

type CandidateUnit = AnswerUnit & { from?: string };

const DOCS_TYPES: ReadonlySet<AnswerType> = new Set(['default', 'version', 'command', 'option']);

/**
 * The units of a chunk the question may be answered by: a code block (alone, or after the sentence before it)
 * only for command and option questions, a `Default:` line only for questions about defaults or numbers; a
 * sentence introducing a block only with that block (taken from the next passage of the document when the
 * chunk ends on the sentence).
 */
function candidateUnits(chunk: Chunk, all: readonly AnswerUnit[], type: AnswerType | undefined, passages: ReadonlyMap<string, Passage>): CandidateUnit[] {
  const units: CandidateUnit[] = [...all];
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

/**
 * What widening reads about a Markdown run: the quotable units before and after it under the same heading, and
 * for a how-to question the section's first code block from the run on (else its last before the run), with its passage.
 */
function sectionOf(
  units: readonly CandidateUnit[],
  i: number,
  size: number,
  all: readonly AnswerUnit[],
  howTo: boolean,
  passageOf: (u: AnswerUnit) => string,
): Pick<ScoredSentence, 'before' | 'after' | 'sectionCode'> {
  const first = units[i] as CandidateUnit;
  const sameSection = (u: AnswerUnit) => u.heading === first.heading;
  const stop = (list: readonly CandidateUnit[]) => {
    const end = list.findIndex((u) => !sameSection(u));
    return end < 0 ? list : list.slice(0, end);
  };
  const around = { before: stop(units.slice(0, i).reverse()), after: stop(units.slice(i + size)) };
  if (!howTo) return around;
  const section = all.filter(sameSection);
  const code = (u: AnswerUnit) => u.attachment?.kind === 'code';
  // The run's own sentence may carry it: a code block no sentence introduces goes with the sentence before it.
  const from = Math.max(
    0,
    section.findIndex((u) => u.start === first.start),
  );
  const holder = section.slice(from).find(code) ?? section.slice(0, from).filter(code).at(-1);
  return holder?.attachment ? { ...around, sectionCode: { attachment: holder.attachment, passageId: passageOf(holder) } } : around;
}

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
  const units = answerUnits(chunk.text, chunk.title);
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
    .map((u) => ({ text: u.text, passageId: passageAt(chunk.passageIds, chunk.start + u.start, passages) }));
  const next = nextPassage(chunk, passages);
  const first = next ? answerUnits(next.text, next.title).find(quotable) : undefined;
  return next && first ? [...rest, { text: first.text, passageId: next.id }] : rest;
}

/** The best run, and the best run of another passage if it comes close enough. */
function withSecondSource(ranked: readonly ScoredSentence[], share: number): ScoredSentence[] {
  const best = ranked[0];
  if (!best) return [];
  const second = share > 0 ? ranked.find((s) => s.passageId !== best.passageId) : undefined;
  return second && second.score >= share * best.score ? [best, second] : [best];
}
