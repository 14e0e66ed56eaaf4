import type { RetrievedChunk } from '../retrieve.ts';
import { tokenize } from '../tokenize.ts';
import { citedQuotes, parseCitations } from './citations.ts';
import { askedType, shortAnswer } from './cues.ts';
import { asksDifference, differenceOf, firstFigure } from './difference.ts';
import { MAX_ANSWER_CHARS } from './format.ts';
import type { TraceStep } from './trace.ts';
import type { Answer, Answerer, AnswerTools, Holds } from './types.ts';

/**
 * The offline planner: a question that compares or lists is answered in parts, each part from its own
 * retrieval, by the same single-shot answerer the config builds (so it composes with any of them); the parts
 * are joined with their citations. Other questions go through the single-shot path unchanged.
 */

/** How a question is split: one sub-query per named thing, or the whole question answered twice from different documents. */
export type Plan = { kind: 'single' } | { kind: 'parts'; parts: SubQuery[] } | { kind: 'second-source'; query: string };

/** A part of the question: its query, and the thing it is about (a year, a name) that a source's title should name. */
export interface SubQuery {
  query: string;
  focus: string;
}

const YEAR = /\b(?:19|20)\d\d\b/g;
// Two capitalised names joined by "and" ("Bush and Clinton"), not at the start of the question.
const NAME = '[A-Z][a-z]+(?:\\s[A-Z][a-z]+)*';
const TWO_NAMES = new RegExp(`(?<=\\s)(${NAME}) and (${NAME})\\b`);
// Words that ask about two things without naming them: "how did that figure change", "two addresses", "each".
// Not a count or a rate about one thing: "a family with two children", "save each year".
const TWO_THINGS =
  /\b(?:both|(?:which|the) two|two (?:addresses|speeches|presidents)|each(?! (?:year|month|week|day)\b)|differ(?:ed)?|compare[ds]?|change[ds]?|between|first|later|next|following|previous|versus)\b/i;

/** The plan for one question: pure, so `ask --trace`, evals and tests see the same split. */
export function planQuestion(question: string): Plan {
  const years = [...new Set(question.match(YEAR) ?? [])];
  if (years.length >= 2 && asksAboutEach(question, years)) return { kind: 'parts', parts: years.map((year) => ({ query: dropOthers(question, years, year), focus: year })) };
  const names = TWO_NAMES.exec(question);
  if (names?.[1] && names[2]) {
    const [both, first, second] = names;
    return {
      kind: 'parts',
      parts: [
        { query: question.replace(both, first), focus: first },
        { query: question.replace(both, second), focus: second },
      ],
    };
  }
  if (TWO_THINGS.test(question)) return { kind: 'second-source', query: withoutRelation(question) };
  return { kind: 'single' };
}

// Wording that places one address relative to another ("by one address's count", "the next year's address", "two
// addresses later"): it says which addresses, not what about, and pulls retrieval and the answerer's score toward
// any passage about addresses and years.
const RELATION = [
  /,? (?:by|in|according to) (?:one|the first|an earlier|a later) address(?:'s (?:account|count))?,?/gi,
  /\b(?:the |a )?address (?:one|two|three|four|five|six|\d+) (?:years|addresses) (?:later|earlier|after)\b/gi,
  /\b(?:the |a )?(?:next|following|later|earlier|previous) (?:year's )?address\b/gi,
  /\b(?:one|two|three|four|five|six|\d+) (?:addresses|years) (?:later|earlier|after)\b/gi,
  /\b(?:the )?(?:next|following) year's\b/gi,
  /\bone address\b/gi,
];

/** A question without its wording that places addresses relative to each other (the question itself when it has none). Pure. */
export function withoutRelation(question: string): string {
  return RELATION.reduce((q, re) => q.replace(re, ''), question)
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([,;?])/g, '$1')
    .trim();
}

/**
 * Whether a question naming several years asks about each ("between 1996 and 2000", "in 2013 than … in 1995"),
 * not about one address that mentions another year ("the December 1997 agreement, according to the 1998 address").
 */
function asksAboutEach(question: string, years: readonly string[]): boolean {
  const positions = years.map((y) => question.indexOf(y));
  const between = question.slice(Math.min(...positions), Math.max(...positions));
  return TWO_THINGS.test(question) || /\b(?:and|or|than)\b/i.test(between);
}

// The comparison's own wording: common words that pull a part's retrieval toward any passage about change.
const COMPARING = /\b(?:change[ds]?|differ(?:ed)?|compare[ds]?(?: (?:with|to))?|between|versus)\b/gi;

/** The question with every year but `keep` and the comparison wording taken out: the part's topic words and its year. */
function dropOthers(question: string, years: readonly string[], keep: string): string {
  return years
    .filter((y) => y !== keep)
    .reduce((q, y) => q.replaceAll(y, ''), question.replace(COMPARING, ''))
    .replace(/\s{2,}/g, ' ')
    .trim();
}

interface Part {
  query: string;
  /** The year or name the part answers for (none: the single-shot answer). */
  focus?: string;
  answer: Answer;
  contexts: readonly RetrievedChunk[];
}

export interface PlannerOptions {
  /** Passages each part is answered from (retriever.k). */
  k: number;
  /**
   * A part the answerer withheld is still quoted when its confidence reaches this: a part asks about one thing,
   * so the whole question's wording ("how did … change between …") no longer counts against it. Unset: never.
   */
  partMinConfidence?: number;
  /**
   * What answers one part: the single-shot answerer quoting one source (a part is about one thing, and a second
   * quote per part cost citation precision on dev). Unset: the single-shot answerer itself.
   */
  part?: Answerer;
  /** Corpus inverse document frequency of a term (the BM25 index's): what finds the rarest term two sources share. Unset: no such question is recognised. */
  idf?: (term: string) => number;
}

/** A part's answer, or what it withheld when that is confident enough: cites only passages in the part's contexts. */
function partAnswer(answer: Answer, contexts: readonly RetrievedChunk[], partMinConfidence: number | undefined): Answer {
  const { withheld, confidence } = answer;
  if (!answer.abstained || !withheld || partMinConfidence === undefined || confidence === undefined || confidence < partMinConfidence) return answer;
  const citations = parseCitations(withheld.text, new Set(contexts.flatMap((c) => c.chunk.passageIds)));
  return citations.length > 0 ? { ...answer, text: withheld.text, citations, abstained: false, ...(withheld.short ? { short: withheld.short } : {}) } : answer;
}

/** The chunks of `contexts` an answer cites. */
function citedChunks(answer: Answer, contexts: readonly RetrievedChunk[]): RetrievedChunk[] {
  return answer.abstained ? [] : contexts.filter((c) => c.chunk.passageIds.some((id) => answer.citations.includes(id)));
}

/** Whether a passage id is of a source whose title names `focus`, among `contexts`. */
function namedBy(contexts: readonly RetrievedChunk[]): (id: string, focus: string) => boolean {
  const byId = new Map(contexts.flatMap((c) => c.chunk.passageIds.map((id) => [id, c] as const)));
  return (id, focus) => {
    const c = byId.get(id);
    return c !== undefined && namesFocus(c, focus);
  };
}

/** The quotes of an answer that cite a source whose title names `focus`, joined ('' when none does). */
function quotesFor(answer: Answer, contexts: readonly RetrievedChunk[], focus: string): string {
  if (answer.abstained) return '';
  const named = namedBy(contexts);
  return citedQuotes(answer.text)
    .filter((q) => q.ids.some((id) => named(id, focus)))
    .map((q) => q.text)
    .join(' ');
}

/** An answer with only its quotes that cite a source whose title names one of `foci` (none left: it cites nothing). */
function keepQuotesFor(answer: Answer, contexts: readonly RetrievedChunk[], foci: readonly string[]): Answer {
  if (answer.abstained) return answer;
  const named = namedBy(contexts);
  const quotes = citedQuotes(answer.text).filter((q) => q.ids.some((id) => foci.some((focus) => named(id, focus))));
  const text = quotes.map((q) => `${q.text} ${q.ids.map((id) => `[${id}]`).join(' ')}`).join(' ');
  const { short, ...rest } = answer;
  return { ...rest, text, citations: [...new Set(quotes.flatMap((q) => q.ids))], ...(short && text.includes(short) ? { short } : {}) };
}

/** Wrap a single-shot answerer: parts for multi-part questions, the answerer itself for the rest. */
export function withPlanner(inner: Answerer, { k, partMinConfidence, part = inner, idf }: PlannerOptions): Answerer {
  return {
    // The generator is still the inner answerer; the run file's config records that the planner was on.
    id: inner.id,
    async answer(question, retrieved, tools?: AnswerTools): Promise<Answer> {
      const plan = planQuestion(question);
      if (plan.kind === 'single' || !tools) return inner.answer(question, retrieved, tools);
      const steps: TraceStep[] = [];
      const search = async (query: string, n: number) => {
        const started = performance.now();
        const hits = await tools.retrieve(query, n);
        steps.push({ kind: 'tool', tool: 'search_corpus', args: { query, k: n }, latencyMs: performance.now() - started, attempt: 1, ok: true, passageIds: hits.flatMap((h) => h.chunk.passageIds) });
        return hits;
      };
      // The single-shot answer comes first; a part is added only for what it does not already quote. A question
      // placing addresses relative to each other is retrieved and answered without that wording.
      const asked = plan.kind === 'second-source' ? plan.query : question;
      const contexts = asked === question ? retrieved : await search(asked, k);
      const whole = await inner.answer(asked, contexts);
      const parts =
        plan.kind === 'parts'
          ? await answerParts(question, plan.parts, whole, retrieved, { search, k, partMinConfidence, part, idf })
          : await withSecondSource(asked, plan.query, whole, contexts, { search, k, part });
      const joined = joinParts(parts, { steps, stopped: 'answered' });
      return plan.kind === 'parts' ? withDifference(question, plan.parts, joined, steps) : joined;
    },
  };
}

// "What budget tool did both … ask for": one thing the sources share, not a quote from each on the topic.
const ASKS_SHARED = /\b(?:what|which)\b[^?]*\bboth\b/i;

/** Whether a question asks for the one thing its sources share ("What … did both A and B …"), not for how they differ. */
export function asksShared(question: string): boolean {
  return ASKS_SHARED.test(question) && !asksDifference(question);
}

/** The rarest term two texts share that the question does not hold: what a question about both asks for. Pure. */
export function sharedTerm(question: string, a: string, b: string, idf: (term: string) => number): string | undefined {
  const asked = new Set(tokenize(question));
  const inB = new Set(tokenize(b));
  return [...new Set(tokenize(a))].filter((t) => inB.has(t) && !asked.has(t)).sort((x, y) => idf(y) - idf(x))[0];
}

/**
 * Whether a shared term is rare enough to be what a question about both asks for: at least as rare (by idf) as
 * the question's median term. Two passages on unrelated topics still share common words ("new"); when that is
 * the rarest they share, one of the two quotes is not about the question, and requoting both on it would only
 * replace a right quote with a wrong one. Pure.
 */
export function distinctive(question: string, term: string, idf: (term: string) => number): boolean {
  const asked = tokenize(question)
    .map(idf)
    .sort((x, y) => x - y);
  const median = asked[Math.floor((asked.length - 1) / 2)];
  return median === undefined || idf(term) >= median;
}

/**
 * For a question about what two sources share: each focus whose quotes lack the rarest term its quoted passage
 * shares with the other focus's is answered again from that passage, by a run holding the term (the parts
 * returned replace that focus's quotes). Not when that term is no rarer than the question's own words (distinctive).
 */
async function quoteShared(question: string, foci: readonly string[], parts: readonly Part[], idf: (term: string) => number, part: Answerer, partMinConfidence: number | undefined): Promise<Part[]> {
  const cited = parts.flatMap((p) => citedChunks(p.answer, p.contexts));
  const sources = foci.map((focus) => cited.find((c) => namesFocus(c, focus)));
  const [a, b] = sources;
  const term = foci.length === 2 && a && b && a.chunk.docId !== b.chunk.docId ? sharedTerm(question, a.chunk.text, b.chunk.text, idf) : undefined;
  if (!term || !distinctive(question, term, idf) || !part.answerHolding) return [];
  const holds = (text: string) => tokenize(text).includes(term);
  const out: Part[] = [];
  for (const [n, focus] of foci.entries()) {
    const source = sources[n];
    if (!source || holds(parts.map((p) => quotesFor(p.answer, p.contexts, focus)).join(' '))) continue;
    const answer = partAnswer(await part.answerHolding(question, [source], holds), [source], partMinConfidence);
    if (!answer.abstained && holds(answer.text)) out.push({ query: question, focus, answer, contexts: [source] });
  }
  return out;
}

/**
 * A question about two things it does not name: the single-shot answer, and an answer from another document when
 * it quotes only one. An abstention stays one: a second source must not answer what the best one could not.
 */
async function withSecondSource(question: string, query: string, whole: Answer, retrieved: readonly RetrievedChunk[], tools: Pick<PartTools, 'search' | 'k' | 'part'>): Promise<Part[]> {
  const parts: Part[] = [{ query: question, answer: whole, contexts: retrieved }];
  const citedDocs = new Set(citedChunks(whole, retrieved).map((c) => c.chunk.docId));
  if (whole.abstained || citedDocs.size >= 2) return parts;
  const others = (await tools.search(query, 4 * tools.k)).filter((c) => !citedDocs.has(c.chunk.docId)).slice(0, tools.k);
  return others.length > 0 ? [...parts, { query, answer: await tools.part.answer(question, others), contexts: others }] : parts;
}

interface PartTools {
  search: (query: string, n: number) => Promise<RetrievedChunk[]>;
  k: number;
  partMinConfidence: number | undefined;
  part: Answerer;
  idf: ((term: string) => number) | undefined;
}

/**
 * The parts of a question about several years or names: the single-shot answer, then a part for each focus it
 * does not quote with what the question asks for (retrieved from sources whose title names the focus, answered by
 * a run holding that), or, for "what did both", a run holding the term the sources share. Once a part answers,
 * the single-shot answer keeps only its quotes for the foci it covered: a quote from an address the question does
 * not ask about would crowd the parts out of the bound.
 */
async function answerParts(question: string, foci: readonly SubQuery[], whole: Answer, retrieved: readonly RetrievedChunk[], tools: PartTools): Promise<Part[]> {
  const { search, k, partMinConfidence, part, idf } = tools;
  const holds = neededSpan(question);
  const covered = (text: string) => text !== '' && (!holds || holds(text));
  let kept = foci.filter(({ focus }) => covered(quotesFor(whole, retrieved, focus))).map(({ focus }) => focus);
  let parts: Part[] = [{ query: question, answer: whole, contexts: retrieved }];
  for (const { query, focus } of foci) {
    if (kept.includes(focus)) continue;
    // The part's sources are those whose title names its focus (the 1996 address for "1996"); a focus no
    // source's title names ("Health and Human Services") is not a separate source, and adds no part.
    const contexts = (await search(query, 4 * k)).filter((c) => namesFocus(c, focus)).slice(0, k);
    if (contexts.length === 0) continue;
    const answer = holds && part.answerHolding ? await part.answerHolding(question, contexts, holds) : await part.answer(question, contexts);
    parts.push({ query, focus, answer: partAnswer(answer, contexts, partMinConfidence), contexts });
  }
  if (idf && asksShared(question)) {
    const shared = await quoteShared(
      question,
      foci.map(({ focus }) => focus),
      parts,
      idf,
      part,
      partMinConfidence,
    );
    const replaced = new Set(shared.map((p) => p.focus));
    parts = [...parts.filter((p) => !p.focus || !replaced.has(p.focus)), ...shared];
    kept = kept.filter((focus) => !replaced.has(focus));
  }
  const [, ...added] = parts;
  return added.some((p) => !p.answer.abstained) ? [{ query: question, answer: keepQuotesFor(whole, retrieved, kept), contexts: retrieved }, ...added] : parts;
}

/**
 * What a part's quote must hold, from the question's form: for a difference a figure written with digits, for a
 * question asking a number, date or name a span of that type the question does not hold; undefined for the rest.
 */
export function neededSpan(question: string): Holds | undefined {
  if (asksDifference(question)) return (text) => firstFigure(question, text) !== undefined;
  const type = askedType(question);
  return type ? (text) => shortAnswer(question, text, type) !== undefined : undefined;
}

/**
 * A question asking how much two figures differ, with a quote for each of its two parts: the gap, computed
 * from the figures quoted, added after the quotes (as the short answer too) and recorded as a step.
 */
function withDifference(question: string, parts: readonly SubQuery[], answer: Answer, steps: TraceStep[]): Answer {
  const [a, b] = parts;
  if (answer.abstained || parts.length !== 2 || !a || !b || !asksDifference(question)) return answer;
  const contexts = answer.contexts ?? [];
  const difference = differenceOf(question, quotesFor(answer, contexts, a.focus), quotesFor(answer, contexts, b.focus));
  if (!difference) return answer;
  steps.push({ kind: 'tool', tool: 'difference', args: { of: difference.from, result: difference.text }, latencyMs: 0, attempt: 1, ok: true, passageIds: [] });
  return { ...answer, text: `${answer.text} Difference: ${difference.text} (${a.focus}: ${difference.from[0]}; ${b.focus}: ${difference.from[1]}).`, short: difference.text };
}

/** Whether a source's title names a part's focus (the 1996 address for "1996", Bush's for "Bush"). */
function namesFocus(c: RetrievedChunk, focus: string): boolean {
  return c.chunk.title.toLowerCase().includes(focus.toLowerCase());
}

/**
 * One answer from the parts that answered, in plan order, each with its citations; a part citing nothing new
 * is left out. Abstains only when every part did.
 */
export function joinParts(parts: readonly Part[], trace: NonNullable<Answer['trace']>): Answer {
  const answered: Answer[] = [];
  const cited = new Set<string>();
  let length = -1;
  for (const { answer } of parts) {
    if (answer.abstained || answer.citations.every((id) => cited.has(id))) continue;
    // The joined answer keeps the single answer's bound: a part that would take it past MAX_ANSWER_CHARS is left out.
    if (answered.length > 0 && length + 1 + answer.text.length > MAX_ANSWER_CHARS) continue;
    length += 1 + answer.text.length;
    answered.push(answer);
    for (const id of answer.citations) cited.add(id);
  }
  const contexts = [...new Map(parts.flatMap((p) => p.contexts).map((c) => [c.chunk.id, c])).values()];
  const first = parts[0]?.answer;
  if (answered.length === 0 || !first) return { ...(first ?? { text: '', citations: [], abstained: true }), trace, contexts };
  const confidences = answered.flatMap((a) => (a.confidence === undefined ? [] : [a.confidence]));
  // With several parts the short answer holds each part's ("58 percent; 72 percent").
  const shorts = [...new Set(answered.flatMap((a) => (a.short ? [a.short] : [])))];
  return {
    text: answered.map((a) => a.text).join(' '),
    citations: [...cited],
    abstained: false,
    ...(confidences.length ? { confidence: Math.max(...confidences) } : {}),
    ...(shorts.length ? { short: shorts.join('; ') } : {}),
    trace,
    contexts,
  };
}
