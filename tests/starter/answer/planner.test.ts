import { describe, expect, test } from 'vitest';
import { planQuestion, withPlanner } from '../../../starter/answer/planner.ts';
import { traceSchema } from '../../../starter/answer/trace.ts';
import { type Answer, type Answerer, type AnswerTools, NOT_FOUND } from '../../../starter/answer/types.ts';
import type { Chunk } from '../../../starter/chunk.ts';
import type { RetrievedChunk } from '../../../starter/retrieve.ts';

describe('planQuestion', () => {
  test('a question asking about each of two years gets one part per year, each without the other year', () => {
    expect(planQuestion('How did the jobs figure change between his 1996 and 2000 addresses?')).toEqual({
      kind: 'parts',
      parts: [
        { query: 'How did the jobs figure change between his 1996 and addresses?', focus: '1996' },
        { query: 'How did the jobs figure change between his and 2000 addresses?', focus: '2000' },
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
  test("each part is answered from its own retrieval, kept to the sources whose title names the part's year; citations join in order", async () => {
    const inner = quoting();
    const queries: string[] = [];
    const answer = await withPlanner(inner, { k: 2 }).answer('How did it change between 1996 and 2000?', CHUNKS, tools(queries));
    expect(queries).toEqual(['How did it change between 1996 and ?', 'How did it change between and 2000?']);
    expect(inner.calls).toEqual([['a1', 'a2'], ['b1']]);
    expect(answer).toMatchObject({ text: 'Text of a1. [a1] Text of b1. [b1]', citations: ['a1', 'b1'], abstained: false });
    expect(traceSchema.parse(answer.trace).steps).toHaveLength(2);
    expect(answer.contexts?.map((c) => c.chunk.id)).toEqual(['a1', 'a2', 'b1']);
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

  test('a withheld part is quoted only when its confidence reaches partMinConfidence', async () => {
    const inner = () => quoting({ abstainOn: (contexts) => contexts[0]?.chunk.id === 'b1', confidence: 0.4 });
    const question = 'How did it change between 1996 and 2000?';
    expect((await withPlanner(inner(), { k: 2 }).answer(question, CHUNKS, tools([]))).citations).toEqual(['a1']);
    expect((await withPlanner(inner(), { k: 2, partMinConfidence: 0.4 }).answer(question, CHUNKS, tools([]))).citations).toEqual(['a1', 'b1']);
    expect((await withPlanner(inner(), { k: 2, partMinConfidence: 0.41 }).answer(question, CHUNKS, tools([]))).citations).toEqual(['a1']);
  });
});
