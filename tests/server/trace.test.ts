import { describe, expect, test } from 'vitest';
import type { Corpus } from '../../starter/corpus.ts';
import type { AnswerRecord } from '../../starter/pipeline.ts';
import { toAskResponse } from '../../starter/server/app.ts';

const corpus: Corpus = { passages: [], byId: new Map(), hash: 'h' };
const record: AnswerRecord = { question: 'q', answer: 'a', citations: [], abstained: false, retrieved: [], latencyMs: 12, retrievalMs: 3 };

describe('the /api/ask response carries the steps of an agent or planner', () => {
  test('one readable line per step, with the trace itself; none for a single-shot answer', () => {
    const trace = {
      stopped: 'answered' as const,
      steps: [
        { kind: 'model' as const, latencyMs: 40, inputTokens: 85, outputTokens: 0, toolCalls: ['search_corpus'] },
        { kind: 'tool' as const, tool: 'search_corpus', args: { query: 'harbor', k: 3 }, latencyMs: 5, attempt: 1, ok: true, passageIds: ['t-3'] },
      ],
    };
    expect(toAskResponse({ ...record, trace }, corpus, 'agent:m').trace).toEqual({
      ...trace,
      lines: ['1. model: calls search_corpus (40 ms, 85+0 tokens)', '2. search_corpus(query="harbor" k=3) → t-3 (5 ms)'],
    });
    expect(toAskResponse(record, corpus, 'extractive')).not.toHaveProperty('trace');
  });
});
