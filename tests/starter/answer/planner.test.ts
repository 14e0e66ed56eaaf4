import { describe, expect, test } from 'vitest';
import { MAX_ANSWER_CHARS } from '../../../starter/answer/format.ts';
import { asksShared, distinctive, joinParts, neededSpan, planQuestion, sharedTerm, withoutRelation, withPlanner } from '../../../starter/answer/planner.ts';
import { traceSchema } from '../../../starter/answer/trace.ts';
import { type Answer, type Answerer, type AnswerTools, NOT_FOUND } from '../../../starter/answer/types.ts';
import type { Chunk } from '../../../starter/chunk.ts';
import type { RetrievedChunk } from '../../../starter/retrieve.ts';

describe('planQuestion', () => {
  test('a question asking about each of two years gets one part per year, each without the other year and the comparison wording', () => {
    expect(planQuestion('How did the jobs figure change between his 1996 and 2000 addresses?')).toEqual({
      kind: 'parts',
      parts: [
        { query: 'How did the jobs figure his 1996 and addresses?', focus: '1996' },
        { query: 'How did the jobs figure his and 2000 addresses?', focus: '2000' },
      ],
    });
  });

  test('a question about one address that mentions another year is not split', () => {
    expect(planQuestion("By what percentage did the December 1997 agreement cut emissions, according to Clinton's 1998 address?").kind).toBe('single');
  });

  test('two names joined by "and" get one part each', () => {
    expect(planQuestion('How did Bush and Clinton differ on the line-item veto?')).toEqual({
      kind: 'parts',
      parts: [
        { query: 'How did Bush differ on the line-item veto?', focus: 'Bush' },
        { query: 'How did Clinton differ on the line-item veto?', focus: 'Clinton' },
      ],
    });
  });

  test('"two", "each", "change" without names ask for a second source; a plain question goes single-shot', () => {
    expect(planQuestion('Two addresses bragged about a drop in drug prices; how many years did each cite?')).toEqual({
      kind: 'second-source',
      query: 'Two addresses bragged about a drop in drug prices; how many years did each cite?',
    });
    expect(planQuestion('Which agency did the president propose elevating to Cabinet rank?')).toEqual({ kind: 'single' });
  });

  test('wording that places one address relative to another is taken out of the second-source query', () => {
    expect(planQuestion('How many trade deals had opened markets abroad by one address, and how many trade agreements were counted two years later?')).toEqual({
      kind: 'second-source',
      query: 'How many trade deals had opened markets abroad and how many trade agreements were counted?',
    });
    expect(withoutRelation("By what fraction had the deficit been cut, by one address's account, and how did the next year's address update it?")).toBe(
      'By what fraction had the deficit been cut and how did update it?',
    );
    expect(withoutRelation('What did the address four years later report about it?')).toBe('What did report about it?');
    // No such wording: the question itself.
    expect(withoutRelation('Two addresses bragged about a drop in drug prices; how many years did each cite?')).toBe(
      'Two addresses bragged about a drop in drug prices; how many years did each cite?',
    );
  });

  test('"two" and "each" ask about two things as "which two" or "two addresses", not as a count or a rate about one thing', () => {
    expect(planQuestion('Which two flight attendants did Bush thank?').kind).toBe('second-source');
    expect(planQuestion('How much would a typical family with two children save each year?').kind).toBe('single');
  });
});

const chunk = (id: string, docId: string, title: string): RetrievedChunk => ({
  chunk: { id, docId, title, text: `Text of ${id}.`, start: 0, end: 1, passageIds: [id] } satisfies Chunk,
  score: 1,
});
const CHUNKS = [chunk('a1', '1996-x', '1996 address'), chunk('b1', '2000-x', '2000 address'), chunk('a2', '1996-x', '1996 address'), chunk('c1', '2004-y', '2004 address')];

/** Quotes the first context it is given, citing it; abstains (withholding the quote) when told to. */
function quoting(options: { abstainOn?: (contexts: readonly RetrievedChunk[]) => boolean; confidence?: number } = {}): Answerer & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    id: 'quoting',
    calls,
    async answer(_question, retrieved): Promise<Answer> {
      calls.push(retrieved.map((c) => c.chunk.id));
      const first = retrieved[0];
      if (!first) return { text: NOT_FOUND, citations: [], abstained: true };
      const text = `${first.chunk.text} [${first.chunk.id}]`;
      if (options.abstainOn?.(retrieved)) return { text: NOT_FOUND, citations: [], abstained: true, confidence: options.confidence ?? 0.2, withheld: { text } };
      return { text, citations: [first.chunk.id], abstained: false, confidence: 0.9 };
    },
  };
}

function tools(queries: string[]): AnswerTools {
  return {
    async retrieve(query, k) {
      queries.push(query);
      return CHUNKS.slice(0, k);
    },
  };
}

describe('withPlanner', () => {
  test('the single-shot answer comes first; a part is retrieved only for a year it does not quote, from sources whose title names that year', async () => {
    const inner = quoting();
    const part = quoting();
    const queries: string[] = [];
    const answer = await withPlanner(inner, { k: 2, part }).answer('How did it change between 1996 and 2000?', CHUNKS, tools(queries));
    expect(inner.calls).toEqual([['a1', 'b1', 'a2', 'c1']]);
    // The single-shot answer quotes the 1996 address: only 2000 gets a part, answered by the one-source answerer.
    expect(queries).toEqual(['How did it and 2000?']);
    expect(part.calls).toEqual([['b1']]);
    expect(answer).toMatchObject({ text: 'Text of a1. [a1] Text of b1. [b1]', citations: ['a1', 'b1'], abstained: false });
    expect(traceSchema.parse(answer.trace).steps).toHaveLength(1);
    expect(answer.contexts?.map((c) => c.chunk.id)).toEqual(['a1', 'b1', 'a2', 'c1']);
  });

  test('an abstaining single-shot answer leaves every part to be retrieved; a part whose year no source title names adds nothing', async () => {
    const queries: string[] = [];
    const inner = quoting({ abstainOn: (contexts) => contexts.length > 2 });
    const answer = await withPlanner(inner, { k: 2 }).answer('How did it change between 1996 and 2010?', CHUNKS, tools(queries));
    expect(queries).toEqual(['How did it 1996 and ?', 'How did it and 2010?']);
    expect(answer.citations).toEqual(['a1']);
  });

  test('a single-shot question goes to the inner answerer unchanged, with no trace', async () => {
    const inner = quoting();
    const answer = await withPlanner(inner, { k: 2 }).answer('Which agency was elevated?', CHUNKS.slice(0, 1), tools([]));
    expect(answer).toEqual({ text: 'Text of a1. [a1]', citations: ['a1'], abstained: false, confidence: 0.9 });
  });

  test('a second source comes from another document than the first answer cited; an abstaining first answer stays an abstention', async () => {
    const answer = await withPlanner(quoting(), { k: 2 }).answer('How did each address put it?', CHUNKS.slice(0, 1), tools([]));
    expect(answer.citations).toEqual(['a1', 'b1']);
    const queries: string[] = [];
    const declined = await withPlanner(quoting({ abstainOn: () => true }), { k: 2 }).answer('How did each address put it?', CHUNKS.slice(0, 1), tools(queries));
    expect(declined).toMatchObject({ text: NOT_FOUND, abstained: true });
    expect(queries).toEqual([]);
  });

  test('a question placing one address relative to another is retrieved and answered without that wording', async () => {
    const inner = quoting();
    const asked: string[] = [];
    const recording: Answerer = {
      id: 'recording',
      answer: async (question, retrieved) => {
        asked.push(question);
        return inner.answer(question, retrieved);
      },
    };
    const queries: string[] = [];
    const answer = await withPlanner(recording, { k: 1 }).answer("How did the next year's address put it?", CHUNKS.slice(2), tools(queries));
    // Not the question's own retrieval (a2, c1): the retriever's hits for the question without "the next year's address".
    expect(queries[0]).toBe('How did put it?');
    expect(asked[0]).toBe('How did put it?');
    expect(inner.calls[0]).toEqual(['a1']);
    expect(answer.citations[0]).toBe('a1');
  });

  test('an answer already quoting two documents gets no second source', async () => {
    const twoDocs: Answerer = { id: 'two', answer: async () => ({ text: 'A. [a1] B. [b1]', citations: ['a1', 'b1'], abstained: false }) };
    const queries: string[] = [];
    const answer = await withPlanner(twoDocs, { k: 2 }).answer('How did each address put it?', CHUNKS, tools(queries));
    expect(queries).toEqual([]);
    expect(answer.text).toBe('A. [a1] B. [b1]');
  });

  test('a withheld part is quoted only when its confidence reaches partMinConfidence', async () => {
    // The single-shot answer (all four chunks) and the 2000 part (b1 first) are withheld; the 1996 part is not.
    const inner = () => quoting({ abstainOn: (contexts) => contexts[0]?.chunk.id === 'b1' || contexts.length > 2, confidence: 0.4 });
    const question = 'How did it change between 1996 and 2000?';
    expect((await withPlanner(inner(), { k: 2 }).answer(question, CHUNKS, tools([]))).citations).toEqual(['a1']);
    expect((await withPlanner(inner(), { k: 2, partMinConfidence: 0.4 }).answer(question, CHUNKS, tools([]))).citations).toEqual(['a1', 'b1']);
    expect((await withPlanner(inner(), { k: 2, partMinConfidence: 0.41 }).answer(question, CHUNKS, tools([]))).citations).toEqual(['a1']);
  });

  test('a question asking by how much two figures differ gets the gap of the figures its parts quote, as text, short answer and step', async () => {
    const texts: Record<string, string> = { a1: 'We asked for $1 trillion.', b1: 'Now we ask for at least $1.5 trillion.' };
    const figures: Answerer = {
      id: 'figures',
      async answer(_question, retrieved) {
        const id = retrieved[0]?.chunk.id ?? '';
        return { text: `${texts[id]} [${id}]`, citations: [id], abstained: false, short: texts[id]?.match(/\$[\d.]+ trillion/)?.[0] };
      },
    };
    const answer = await withPlanner(figures, { k: 2 }).answer('By how much did the request grow between 1996 and 2000?', CHUNKS, tools([]));
    expect(answer.text).toBe('We asked for $1 trillion. [a1] Now we ask for at least $1.5 trillion. [b1] Difference: $500 billion (1996: $1 trillion; 2000: $1.5 trillion).');
    expect(answer.short).toBe('$500 billion');
    expect(answer.trace?.steps.at(-1)).toMatchObject({ tool: 'difference', args: { of: ['$1 trillion', '$1.5 trillion'], result: '$500 billion' } });
  });
});

describe('withPlanner on a difference question', () => {
  test('a year the single-shot answer quotes without a figure still gets its part, which replaces that quote and whose figure the difference uses', async () => {
    const texts: Record<string, string> = { a1: 'Wages matter. And $9 an hour.', a2: 'The wage should rise to $9 an hour.', b1: 'People work for $4.25 an hour.' };
    // The single-shot answer quotes a1 without its figure; a part quotes the whole first context.
    const inner: Answerer = { id: 'no-figure', answer: async () => ({ text: 'Wages matter. [a1]', citations: ['a1'], abstained: false }) };
    const part: Answerer = {
      id: 'part',
      answer: async (_question, retrieved) => {
        const id = retrieved.find((c) => c.chunk.id !== 'a1')?.chunk.id ?? '';
        return { text: `${texts[id]} [${id}]`, citations: [id], abstained: false };
      },
    };
    const queries: string[] = [];
    const answer = await withPlanner(inner, { k: 2, part }).answer('How much higher was the wage in 1996 than in 2000?', CHUNKS, tools(queries));
    expect(queries).toHaveLength(2);
    expect(answer.text).toBe('The wage should rise to $9 an hour. [a2] People work for $4.25 an hour. [b1] Difference: $4.75 (1996: $9; 2000: $4.25).');
  });

  test('a part is answered by answerHolding when the part answerer has it, asked for a figure written with digits', async () => {
    const inner: Answerer = { id: 'no-figure', answer: async () => ({ text: 'Just one school. [a1]', citations: ['a1'], abstained: false }) };
    const asked: string[] = [];
    const part: Answerer = {
      id: 'part',
      answer: async () => ({ text: 'Just one school. [a1]', citations: ['a1'], abstained: false }),
      async answerHolding(_question, retrieved, holds) {
        const id = retrieved[0]?.chunk.id ?? '';
        const text = id === 'a1' ? 'Today there are 1,100.' : 'Today there are 1,700.';
        asked.push(`${id}:${holds('just one')}:${holds(text)}`);
        return { text: `${text} [${id}]`, citations: [id], abstained: false };
      },
    };
    const answer = await withPlanner(inner, { k: 2, part }).answer('By how much did the number of schools grow between 1996 and 2000?', CHUNKS, tools([]));
    expect(asked).toEqual(['a1:false:true', 'b1:false:true']);
    expect(answer).toMatchObject({ text: 'Today there are 1,100. [a1] Today there are 1,700. [b1] Difference: 600 (1996: 1,100; 2000: 1,700).', short: '600' });
  });

  test('once a part answers, the single-shot quotes from a source the question does not name are dropped', async () => {
    const inner: Answerer = { id: 'off-topic', answer: async () => ({ text: 'About 1996. [a1] Off topic. [c1]', citations: ['a1', 'c1'], abstained: false }) };
    const answer = await withPlanner(inner, { k: 2, part: quoting() }).answer('How did it change between 1996 and 2000?', CHUNKS, tools([]));
    expect(answer).toMatchObject({ text: 'About 1996. [a1] Text of b1. [b1]', citations: ['a1', 'b1'] });
  });
});

describe('neededSpan', () => {
  test('a difference needs a figure written with digits the question does not hold', () => {
    const holds = neededSpan('By how much did the number of schools grow between 1999 and 2000?');
    expect(holds?.('there was just one school')).toBe(false);
    expect(holds?.('In 1999 there were many.')).toBe(false);
    expect(holds?.('today there are 1,700')).toBe(true);
  });

  test('a question asking a number or a name needs a span of that type; others need nothing', () => {
    expect(neededSpan('How many schools opened in 1999 and 2000?')?.('just one school')).toBe(true);
    expect(neededSpan('How many schools opened in 1999 and 2000?')?.('schools opened')).toBe(false);
    expect(neededSpan('Who led the study in 1991 and 1992?')?.('led by Chairman Alan Greenspan')).toBe(true);
    expect(neededSpan('What tool did both ask for in 1992 and 1995?')).toBeUndefined();
  });
});

describe('questions about what both sources share', () => {
  test('asksShared: "what … did both" asks for one shared thing; a difference or a plain comparison does not', () => {
    expect(asksShared('What budget tool did both presidents ask for in 1992 and 1995?')).toBe(true);
    expect(asksShared('Trump asked for it in both 2017 and 2018. By how much did it grow?')).toBe(false);
    expect(asksShared('How did the figure change between 1996 and 2000?')).toBe(false);
  });

  test('sharedTerm: the rarest term both texts hold that the question does not', () => {
    const idf = (t: string) => ({ year: 0.5, veto: 3, item: 2.5 })[t] ?? 1;
    const question = 'What budget tool did both ask Congress for?';
    expect(sharedTerm(question, 'Last year the budget grew. Give me a line-item veto.', 'Every year the budget grows. I need the line-item veto.', idf)).toBe('veto');
    expect(sharedTerm(question, 'Congress and the budget.', 'The budget and Congress.', idf)).toBeUndefined();
  });

  test('distinctive: a shared term must be at least as rare as the median term of the question', () => {
    const idf = (t: string) => ({ new: 1.2, power: 2.5, negoti: 4.2, congress: 1.5, ask: 1.8, give: 2, promot: 4.6 })[t] ?? 1;
    const question = 'What negotiating power did both ask Congress to give them?';
    // The question's terms: negoti 4.2, power 2.5, ask 1.8, congress 1.5, give 2 → median 2.
    expect(distinctive(question, 'promot', idf)).toBe(true);
    expect(distinctive(question, 'new', idf)).toBe(false);
    expect(distinctive('', 'new', idf)).toBe(true);
  });

  test('quotes sharing only a common word are left as they are: one of them is not about the question', async () => {
    const texts: Record<string, string> = { a1: 'Give me trade promotion authority. It is new.', b1: 'New sanctions would end diplomacy with Iran.' };
    const inner: Answerer = {
      id: 'topic',
      answer: async () => ({ text: 'Give me trade promotion authority. [a1] New sanctions would end diplomacy with Iran. [b1]', citations: ['a1', 'b1'], abstained: false }),
    };
    const part: Answerer = {
      id: 'part',
      answer: async () => ({ text: NOT_FOUND, citations: [], abstained: true }),
      async answerHolding(_question, retrieved) {
        const id = retrieved[0]?.chunk.id ?? '';
        return { text: `It is new. [${id}]`, citations: [id], abstained: false };
      },
    };
    const chunks = CHUNKS.map((c) => ({ ...c, chunk: { ...c.chunk, text: texts[c.chunk.id] ?? c.chunk.text } }));
    const idf = (t: string) => (t === 'new' ? 0.5 : 2);
    const answer = await withPlanner(inner, { k: 2, part, idf }).answer('What negotiating power did both presidents ask for in 1996 and 2000?', chunks, tools([]));
    expect(answer.text).toBe('Give me trade promotion authority. [a1] New sanctions would end diplomacy with Iran. [b1]');
  });

  test("each year's quote is replaced by the run of its passage holding the shared term", async () => {
    const texts: Record<string, string> = { a1: 'Congress hid pet projects. Give me a veto.', b1: 'End the pork. Give me the veto.' };
    const inner: Answerer = { id: 'topic', answer: async () => ({ text: 'Congress hid pet projects. [a1] End the pork. [b1]', citations: ['a1', 'b1'], abstained: false }) };
    const part: Answerer = {
      id: 'part',
      answer: async () => ({ text: NOT_FOUND, citations: [], abstained: true }),
      async answerHolding(_question, retrieved, holds) {
        const id = retrieved[0]?.chunk.id ?? '';
        const run = texts[id]?.split('. ').find((s) => holds(s)) ?? '';
        return { text: `${run} [${id}]`, citations: [id], abstained: false };
      },
    };
    const chunks = CHUNKS.map((c) => ({ ...c, chunk: { ...c.chunk, text: texts[c.chunk.id] ?? c.chunk.text } }));
    const idf = (t: string) => (t === 'veto' ? 3 : 1);
    const answer = await withPlanner(inner, { k: 2, part, idf }).answer('What did both presidents ask for in 1996 and 2000?', chunks, tools([]));
    expect(answer.text).toBe('Give me a veto. [a1] Give me the veto. [b1]');
    // Without the corpus idf the question is planned as before.
    expect((await withPlanner(inner, { k: 2, part }).answer('What did both presidents ask for in 1996 and 2000?', chunks, tools([]))).text).toBe('Congress hid pet projects. [a1] End the pork. [b1]');
  });
});

describe('joinParts', () => {
  const part = (text: string, citations: string[], short?: string) => ({ query: 'q', contexts: [], answer: { text, citations, abstained: false, ...(short ? { short } : {}) } });
  test("a part citing only passages an earlier part cites is left out; the parts' short answers are joined", () => {
    const joined = joinParts([part('A. [a1]', ['a1'], '58 percent'), part('A again. [a1]', ['a1'], '58 percent'), part('B. [b1]', ['b1'], '72 percent')], { steps: [], stopped: 'answered' });
    expect(joined).toMatchObject({ text: 'A. [a1] B. [b1]', citations: ['a1', 'b1'], short: '58 percent; 72 percent' });
  });

  test('a part that would take the joined answer past MAX_ANSWER_CHARS is left out; a shorter later part still fits', () => {
    const long = `${'x'.repeat(MAX_ANSWER_CHARS - 10)} [b1]`;
    const joined = joinParts([part('A. [a1]', ['a1']), part(long, ['b1']), part('C. [c1]', ['c1'])], { steps: [], stopped: 'answered' });
    expect(joined).toMatchObject({ text: 'A. [a1] C. [c1]', citations: ['a1', 'c1'] });
    expect(joined.text.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
  });
});
