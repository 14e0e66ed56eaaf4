import { describe, expect, test } from 'vitest';
import { answerMetrics } from '../../../evals/metrics/answer.ts';
import { GATE_DEFAULT_METRICS, HEADLINE_METRICS, lookupMetric, METRICS, metricSpec, sortMetrics } from '../../../evals/metrics/registry.ts';
import { retrievalMetrics } from '../../../evals/metrics/retrieval.ts';
import { parseConfig } from '../../../starter/config.ts';

describe('metric registry', () => {
  test('every metric the scorers emit is registered, with a one-line meaning', () => {
    const emitted = [
      ...Object.keys(retrievalMetrics(['p1', 'p2'], ['p1'], [5, 10])),
      ...Object.keys(answerMetrics({ answer: 'It was 1990 [p1].', citations: ['p1'], answers: ['1990'], goldPassageIds: ['p1'], type: 'factoid', retrievedTexts: ['It was 1990.'] })),
      ...Object.keys(answerMetrics({ answer: 'x', citations: [], answers: [], goldPassageIds: [], type: 'unanswerable', retrievedTexts: [] })),
    ];
    for (const name of emitted) expect(lookupMetric(name), name).toBeDefined();
    for (const m of METRICS) expect(m.meaning, m.key).toMatch(/^[A-Z].{20,110}\.$/);
  });

  test('kind, direction and population match what the scorers produce', () => {
    expect(metricSpec('hit@5')).toMatchObject({ kind: 'binary', k: 5, pairedTest: 'mcnemar', population: 'answerable' });
    expect(metricSpec('ndcg@10')).toMatchObject({ kind: 'continuous', k: 10, pairedTest: 'permutation' });
    expect(metricSpec('false_abstention').higherIsBetter).toBe(false);
    expect(metricSpec('citation_precision').conditional).toBe(true);
    expect(metricSpec('abstain_correct').population).toBe('unanswerable');
    // A bare family name or a depth on a single metric is not a known metric.
    expect(lookupMetric('hit')).toBeUndefined();
    expect(lookupMetric('contains@5')).toBeUndefined();
    expect(metricSpec('my_metric')).toMatchObject({ kind: 'continuous', higherIsBetter: true, conditional: false });
  });

  test('gate defaults agree with the config default; headline metrics are registered', () => {
    expect(parseConfig({}, 'ragfolio.config.json').eval.gate.metrics).toEqual(GATE_DEFAULT_METRICS);
    for (const name of [...GATE_DEFAULT_METRICS, ...HEADLINE_METRICS]) expect(lookupMetric(name), name).toBeDefined();
  });

  test('report order: retrieval by family then depth, answers, abstention, judge, unknown last', () => {
    expect(sortMetrics(['zeta', 'judge_correct', 'contains', 'ndcg@10', 'hit@10', 'hit@5', 'false_abstention', 'em'])).toEqual([
      'hit@5',
      'hit@10',
      'ndcg@10',
      'em',
      'contains',
      'false_abstention',
      'judge_correct',
      'zeta',
    ]);
  });
});
