import { describe, expect, it } from 'vitest';
import * as stats from '../../../evals/stats/index.ts';

describe('evals/stats index', () => {
  it('re-exports the public functions', () => {
    for (const name of [
      'createRng',
      'bootstrapCi',
      'wilsonInterval',
      'normalCdf',
      'normalPpf',
      'pairedBootstrap',
      'pairedPermutationTest',
      'exactMcNemar',
      'holmAdjust',
      'mdeProportion',
      'mdeMean',
      'sampleSizeForEffect',
      'sampleSizeForProportionDrop',
      'quantile',
      'conformalThreshold',
      'conformalRank',
    ] as const) {
      expect(typeof stats[name]).toBe('function');
    }
  });
});
