import type { RetrievedChunk } from '../retrieve.ts';
import { parseCitations } from './citations.ts';
import type { TraceStep } from './trace.ts';
import type { Answer, Answerer, AnswerTools } from './types.ts';

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
const TWO_THINGS = /\b(?:both|two|each|differ(?:ed)?|compare[ds]?|change[ds]?|between|first|later|next|following|previous|versus)\b/i;

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
  if (TWO_THINGS.test(question)) return { kind: 'second-source', query: question };
  return { kind: 'single' };
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

/** The question with every year but `keep` taken out, so its retrieval favours that year's address. */
function dropOthers(question: string, years: readonly string[], keep: string): string {
  return years
    .filter((y) => y !== keep)
    .reduce((q, y) => q.replaceAll(y, ''), question)
    .replace(/\s{2,}/g, ' ')
    .trim();
}

interface Part {
  query: string;
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
}

/** A part's answer, or what it withheld when that is confident enough: cites only passages in the part's contexts. */
function partAnswer(answer: Answer, contexts: readonly RetrievedChunk[], partMinConfidence: number | undefined): Answer {
  const { withheld, confidence } = answer;
  if (!answer.abstained || !withheld || partMinConfidence === undefined || confidence === undefined || confidence < partMinConfidence) return answer;
  const citations = parseCitations(withheld.text, new Set(contexts.flatMap((c) => c.chunk.passageIds)));
  return citations.length > 0 ? { ...answer, text: withheld.text, citations, abstained: false } : answer;
}

/** Wrap a single-shot answerer: parts for multi-part questions, the answerer itself for the rest. */
export function withPlanner(inner: Answerer, { k, partMinConfidence }: PlannerOptions): Answerer {
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
      const parts: Part[] = [];
      if (plan.kind === 'parts') {
        for (const { query, focus } of plan.parts) {
          const hits = await search(query, 4 * k);
          // The part's sources are those whose title names its focus (the 1996 address for "1996"), when any were found.
          const focused = hits.filter((c) => c.chunk.title.toLowerCase().includes(focus.toLowerCase()));
          const contexts = (focused.length > 0 ? focused : hits).slice(0, k);
          parts.push({ query, answer: partAnswer(await inner.answer(question, contexts), contexts, partMinConfidence), contexts });
        }
      } else {
        const first = await inner.answer(question, retrieved);
        parts.push({ query: question, answer: first, contexts: retrieved });
        // An abstention stays one: a second source must not answer what the best one could not.
        if (!first.abstained) {
          const citedDocs = new Set(retrieved.filter((c) => c.chunk.passageIds.some((id) => first.citations.includes(id))).map((c) => c.chunk.docId));
          const others = (await search(plan.query, 4 * k)).filter((c) => !citedDocs.has(c.chunk.docId)).slice(0, k);
          if (others.length > 0) parts.push({ query: plan.query, answer: await inner.answer(question, others), contexts: others });
        }
      }
      return joinParts(parts, { steps, stopped: 'answered' });
    },
  };
}

/** One answer from the parts that answered, in plan order, each with its citations; abstains only when every part did. */
export function joinParts(parts: readonly Part[], trace: NonNullable<Answer['trace']>): Answer {
  const answered = parts.filter((p) => !p.answer.abstained);
  const contexts = [...new Map(parts.flatMap((p) => p.contexts).map((c) => [c.chunk.id, c])).values()];
  const first = parts[0]?.answer;
  if (answered.length === 0 || !first) return { ...(first ?? { text: '', citations: [], abstained: true }), trace, contexts };
  const confidences = answered.flatMap((p) => (p.answer.confidence === undefined ? [] : [p.answer.confidence]));
  const texts = [...new Set(answered.map((p) => p.answer.text))];
  return {
    text: texts.join(' '),
    citations: [...new Set(answered.flatMap((p) => p.answer.citations))],
    abstained: false,
    ...(confidences.length ? { confidence: Math.max(...confidences) } : {}),
    // A short span names one part's answer; with several parts the quotes are the answer.
    ...(answered.length === 1 && answered[0]?.answer.short ? { short: answered[0].answer.short } : {}),
    trace,
    contexts,
  };
}
