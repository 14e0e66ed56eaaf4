import { describe, expect, it } from 'vitest';
import { type AnswerMetricsInput, answerMetrics } from '../../../evals/metrics/answer.ts';

const retrievedTexts = ['In 1990 the President proposed a capital gains tax cut to spur investment.', 'The Clean Air Act was sent to the Congress last summer.'];

function input(overrides: Partial<AnswerMetricsInput>): AnswerMetricsInput {
  return {
    answer: '',
    citations: [],
    answers: ['a capital gains tax cut'],
    goldPassageIds: ['1990-bush-003'],
    type: 'factoid',
    retrievedTexts,
    ...overrides,
  };
}

describe('answerMetrics', () => {
  it('answerable, answered with citations', () => {
    const record = answerMetrics(
      input({
        answer: 'The President proposed a capital gains tax cut [1990-bush-003].',
        citations: ['1990-bush-003', '1990-bush-004'],
      }),
    );
    // pred "president proposed capital gains tax cut" (6 tokens) vs gold "capital gains tax cut" (4):
    // overlap 4 → P = 4/6, R = 1 → F1 = 0.8
    expect(record).toEqual({
      em: 0,
      f1: expect.closeTo(0.8, 12),
      contains: 1,
      citation_precision: 0.5,
      citation_recall: 1,
      groundedness: 1,
      false_abstention: 0,
    });
  });

  it('strips citation markers before EM', () => {
    const record = answerMetrics(input({ answer: 'A capital gains tax cut [1990-bush-003].', citations: ['1990-bush-003'] }));
    expect(record.em).toBe(1);
    expect(record.f1).toBe(1);
  });

  it('answerable but the system abstained: false_abstention 1, no precision or groundedness', () => {
    expect(answerMetrics(input({ answer: 'Not found in the corpus.' }))).toEqual({
      em: 0,
      f1: 0,
      contains: 0,
      citation_recall: 0,
      false_abstention: 1,
    });
  });

  it('unanswerable and the system abstained: only abstain_correct', () => {
    expect(answerMetrics(input({ type: 'unanswerable', answers: [], goldPassageIds: [], answer: 'Not found in the corpus.' }))).toEqual({ abstain_correct: 1 });
  });

  it('unanswerable but the system answered: abstain_correct 0, groundedness still measured', () => {
    expect(
      answerMetrics(
        input({
          type: 'unanswerable',
          answers: [],
          goldPassageIds: [],
          answer: 'He sent the Clean Air Act to Congress [1990-bush-004].',
          citations: ['1990-bush-004'],
        }),
      ),
    ).toEqual({ groundedness: 1, abstain_correct: 0 });
  });

  it('honours a custom abstain marker and groundedness threshold', () => {
    const record = answerMetrics(input({ answer: "I don't know.", abstainMarker: "I don't know", groundednessThreshold: 0.5 }));
    expect(record.false_abstention).toBe(1);
    expect(record.groundedness).toBeUndefined();
    const lenient = answerMetrics(input({ answer: 'The President proposed gains tax in 2001 and 2002.', groundednessThreshold: 0.5 }));
    expect(lenient.groundedness).toBe(1); // 4 of 6 content tokens ≥ 0.5
  });
});
