import { describe, expect, test } from 'vitest';
import { type FallbackFile, NEW_PROJECT_REASON } from '../../evals/calibrate.ts';
import type { ScaffoldOptions } from '../../scripts/new/options.ts';
import { patchConfig } from '../../scripts/new/plan.ts';
import { abstentionThreshold } from '../../starter/abstention-threshold.ts';
import { configSchema } from '../../starter/config.ts';

const conformal = {
  method: 'conformal',
  minScore: 0.5007,
  target: 0.25,
  bound: 0.25,
  n: 55,
  rank: 42,
  evalsetHash: 'sotu-dev',
  split: 'dev',
  calibratedAt: '2026-12-07T20:06:30.401Z',
  confidence: 'sentence',
};
const kitConfig = { dataset: 'datasets/sotu', generator: { provider: 'extractive', maxSentences: 2, minScore: 0.5007, confidence: 'sentence', abstention: conformal } };
const fallback: FallbackFile = {
  minScore: 0.6,
  target: 0.25,
  bound: 0.231,
  n: 25,
  rank: 20,
  sources: [{ dataset: 'datasets/npm-docs', evalsetHash: 'n1', n: 25 }],
  calibratedAt: '2026-12-07T21:00:00.000Z',
  confidence: 'support',
};
const options = (dataset: ScaffoldOptions['dataset']): ScaffoldOptions => ({ name: 'my-rag', author: 'Ada Lovelace', provider: 'local', retriever: 'hybrid', promptfoo: false, dataset });
const folder: ScaffoldOptions['dataset'] = { kind: 'folder', name: 'notes', source: 'notes', files: [], passages: 1, documents: 1, questions: 0, notes: [] };

describe("a new project's abstention threshold", () => {
  test('the bundled speeches keep the kit’s conformal calibration (made on their dev split)', () => {
    expect(patchConfig(kitConfig, options({ kind: 'bundled', name: 'sotu' }), JSON.stringify(fallback)).generator).toEqual(kitConfig.generator);
  });

  test('a folder of the user’s docs gets the fallback, with why, and the CLI line names it', () => {
    const generator = configSchema.parse(patchConfig(kitConfig, options(folder), JSON.stringify(fallback))).generator;
    // The fallback was calibrated on the support score, so the project reads that score, whatever the kit's own reads.
    expect(generator).toMatchObject({ provider: 'extractive', maxSentences: 2, minScore: 0.6, confidence: 'support', abstention: { method: 'fallback', minScore: 0.6, reason: NEW_PROJECT_REASON } });
    const threshold = abstentionThreshold(generator);
    expect(threshold?.source).toBe('fallback');
    expect(threshold?.reason).toMatch(
      /^fallback: a new project has not calibrated on its own dev split yet .* on the 25 unanswerable dev questions of the bundled eval sets datasets\/npm-docs \(25\)/,
    );
  });

  test('without a fallback file the kit’s calibration is dropped, not claimed for data it never saw', () => {
    const generator = configSchema.parse(patchConfig(kitConfig, options(folder))).generator;
    expect(generator).toMatchObject({ minScore: 0.5007 });
    expect(generator).not.toHaveProperty('abstention');
    expect(abstentionThreshold(generator)?.source).toBe('manual');
  });
});
