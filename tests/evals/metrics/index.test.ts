import { expect, it } from 'vitest';
import * as metrics from '../../../evals/metrics/index.ts';

it('re-exports every metric function from one entry point', () => {
  for (const name of [
    'hitAtK',
    'recallAtK',
    'precisionAtK',
    'reciprocalRankAtK',
    'ndcgAtK',
    'averagePrecisionAtK',
    'retrievalMetrics',
    'normalizeAnswer',
    'exactMatch',
    'tokenF1',
    'answerContains',
    'abstained',
    'abstentionCorrect',
    'falseAbstention',
    'citationPrecision',
    'citationRecall',
    'stripCitationMarkers',
    'groundedness',
    'contentTokens',
    'foldTypography',
    'answerMetrics',
  ] as const) {
    expect(typeof metrics[name]).toBe('function');
  }
});
