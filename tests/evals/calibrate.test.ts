import { describe, expect, test } from 'vitest';
import {
  abstentionLine,
  abstentionReport,
  calibrateAbstention,
  costAt,
  type FallbackFile,
  fallbackAbstention,
  MIN_UNANSWERABLE,
  neededUnanswerable,
  type ScoredQuestion,
  withAbstention,
} from '../../evals/calibrate.ts';
import { abstentionThreshold, thresholdLine } from '../../starter/abstention-threshold.ts';
import { configSchema } from '../../starter/config.ts';
import { UserError } from '../../starter/errors.ts';

const unanswerable = (i: number, confidence: number): ScoredQuestion => ({ id: `u${i}`, type: 'unanswerable', confidence, correctIfAnswered: false });
const answerable = (i: number, confidence: number, correct: boolean): ScoredQuestion => ({ id: `a${i}`, type: 'factoid', confidence, correctIfAnswered: correct });

// 23 unanswerable confidences 0.01, 0.02, …, 0.23 and four answerable questions.
const records: ScoredQuestion[] = [
  ...Array.from({ length: 23 }, (_, i) => unanswerable(i, (i + 1) / 100)),
  answerable(0, 0.05, false),
  answerable(1, 0.19, true),
  answerable(2, 0.5, true),
  answerable(3, 0.9, false),
];
const options = { target: 0.25, evalsetHash: 'abc123', calibratedAt: '2026-12-07T20:00:00.000Z', confidence: 'sentence' } as const;

describe('calibrateAbstention', () => {
  test('picks the threshold just above the ⌈(n+1)(1−target)⌉-th smallest unanswerable confidence, with its dev cost', () => {
    // n = 23: k = ⌈24 · 0.75⌉ = 18, the 18th smallest is 0.18, so minScore = 0.1801 (4-decimal grid).
    const result = calibrateAbstention(records, options);
    if (!result.ok) throw new Error('expected a calibration');
    expect(result.abstention).toEqual({
      method: 'conformal',
      minScore: 0.1801,
      target: 0.25,
      bound: 1 - 18 / 24,
      n: 23,
      rank: 18,
      evalsetHash: 'abc123',
      split: 'dev',
      calibratedAt: options.calibratedAt,
      confidence: 'sentence',
    });
    // Answered at 0.1801: unanswerable 0.19 … 0.23 (5 of 23); answerable 0.19, 0.5, 0.9 (a0 declined: 1 of 4); correct and answered: a1, a2.
    expect(result.dev.unanswerableAnswered).toMatchObject({ k: 5, n: 23 });
    expect(result.dev.falseAbstention).toMatchObject({ k: 1, n: 4 });
    expect(result.dev.contains).toMatchObject({ k: 2, n: 4 });
  });

  test(`fewer than ${MIN_UNANSWERABLE} unanswerable questions: no calibration, and says how many it needs`, () => {
    expect(neededUnanswerable(0.25)).toBe(MIN_UNANSWERABLE);
    expect(neededUnanswerable(0.01)).toBe(99);
    expect(calibrateAbstention(records.slice(4), options)).toEqual({ ok: false, n: 19, needed: 20 });
  });

  test('a record without a confidence (a chat model) is a user error', () => {
    expect(() => calibrateAbstention([...records, { id: 'x', type: 'factoid' }], options)).toThrow(UserError);
  });

  test('costAt: unanswerable answered, answerable declined, answerable answered right', () => {
    expect(costAt(records, 0.6)).toMatchObject({ unanswerableAnswered: { k: 0 }, falseAbstention: { k: 3, n: 4 }, contains: { k: 0, n: 4 } });
  });
});

const conformal = { method: 'conformal', minScore: 0.1801, target: 0.25, bound: 0.25, n: 23, rank: 18, evalsetHash: 'abc123', split: 'dev', calibratedAt: options.calibratedAt } as const;

describe('withAbstention', () => {
  test('sets generator.minScore and its provenance and keeps every other field as written, in order', () => {
    const user = { $schema: './schema.json', dataset: 'data', retriever: { kind: 'bm25' }, generator: { provider: 'extractive', maxSentences: 3, minScore: 0.4 }, eval: { resamples: 500 } };
    const out = withAbstention(user, conformal, 'ragfolio.config.json');
    expect(out).toEqual({
      $schema: './schema.json',
      dataset: 'data',
      retriever: { kind: 'bm25' },
      generator: { provider: 'extractive', maxSentences: 3, minScore: 0.1801, abstention: conformal },
      eval: { resamples: 500 },
    });
    expect(Object.keys(out)).toEqual(['$schema', 'dataset', 'retriever', 'generator', 'eval']);
    expect(user.generator.minScore).toBe(0.4);
  });

  test('a config without a generator section gets the extractive one', () => {
    expect(withAbstention({}, conformal, 'f')).toEqual({ generator: { provider: 'extractive', minScore: 0.1801, abstention: conformal } });
  });

  test('a chat-model generator has no threshold to calibrate', () => {
    expect(() => withAbstention({ generator: { provider: 'openai' } }, conformal, 'ragfolio.config.json')).toThrow(/only the extractive answerer/);
  });
});

const generator = (extra: Record<string, unknown>) => configSchema.parse({ generator: { provider: 'extractive', ...extra } }).generator;
const fallbackFile: FallbackFile = {
  minScore: 0.62,
  target: 0.25,
  bound: 0.24,
  n: 49,
  rank: 38,
  sources: [
    { dataset: 'datasets/fastify-docs', evalsetHash: 'f1', n: 25 },
    { dataset: 'datasets/markdownlint-docs', evalsetHash: 'm1', n: 24 },
  ],
  calibratedAt: '2026-12-07T21:00:00.000Z',
  confidence: 'support',
};

describe('the threshold in use, and why', () => {
  test('conformal: the target, the bound and the eval set it was calibrated on', () => {
    const t = abstentionThreshold(generator({ minScore: 0.1801, abstention: conformal }), 'abc123');
    expect(t).toMatchObject({ minScore: 0.1801, source: 'conformal', target: 0.25, bound: 0.25, n: 23, rank: 18 });
    expect(thresholdLine(t!)).toBe(
      'abstention threshold 0.1801 (conformal: at most 25% of unanswerable questions answered (bound 0.250), from 23 unanswerable dev questions of eval set abc123…, 2026-12-07)',
    );
  });

  test('conformal on another version of the eval set: says to re-calibrate', () => {
    expect(abstentionThreshold(generator({ minScore: 0.1801, abstention: conformal }), 'changed')?.reason).toMatch(/eval set has changed since: re-run `ragfolio calibrate`/);
  });

  test('the fallback path: says why the project uses it and what it was calibrated on', () => {
    const abstention = fallbackAbstention(fallbackFile, "this project's dev split has 0 unanswerable questions, fewer than the 20 a calibration needs");
    const t = abstentionThreshold(generator({ minScore: 0.62, abstention }), 'anything');
    expect(t?.source).toBe('fallback');
    expect(thresholdLine(t!)).toBe(
      "abstention threshold 0.62 (fallback: this project's dev split has 0 unanswerable questions, fewer than the 20 a calibration needs; at most 25% of unanswerable questions answered on the 49 unanswerable dev questions of the bundled eval sets datasets/fastify-docs (25), datasets/markdownlint-docs (24) (configs/abstention-fallback.json), not on this project's questions)",
    );
  });

  test('no provenance, or minScore edited after calibration (a grid sweeping it): manual, and says so', () => {
    expect(abstentionThreshold(generator({ minScore: 0.51 }))).toMatchObject({ source: 'manual', minScore: 0.51 });
    const edited = abstentionThreshold(generator({ minScore: 0.3, abstention: conformal }));
    expect(edited).toMatchObject({ source: 'manual', minScore: 0.3 });
    expect(edited?.reason).toMatch(/conformal calibration chose 0.1801/);
  });

  test('a threshold calibrated on one score while the config reads the other: manual, and says to re-calibrate', () => {
    const onSentence = { ...conformal, confidence: 'sentence' as const };
    expect(abstentionThreshold(generator({ minScore: 0.1801, abstention: onSentence, confidence: 'sentence' }), 'abc123')?.source).toBe('conformal');
    const t = abstentionThreshold(generator({ minScore: 0.1801, abstention: onSentence, confidence: 'support' }), 'abc123');
    expect(t).toMatchObject({ source: 'manual', minScore: 0.1801 });
    expect(t?.reason).toMatch(/calibrated on the sentence score: re-run `ragfolio calibrate`/);
  });

  test('a chat model has no threshold', () => {
    expect(abstentionThreshold(configSchema.parse({ generator: { provider: 'openai' } }).generator)).toBeUndefined();
  });
});

describe('predicted against observed', () => {
  test('a run reports the share of its unanswerable questions answered, with Wilson 95%, beside the bound', () => {
    const t = abstentionThreshold(generator({ minScore: 0.1801, abstention: conformal }), 'abc123')!;
    const report = abstentionReport(
      [
        { type: 'unanswerable', abstained: false },
        { type: 'unanswerable', abstained: true },
        { type: 'unanswerable', abstained: true },
        { type: 'unanswerable', abstained: true },
        { type: 'factoid', abstained: false },
      ],
      t,
    );
    expect(report.unanswerableAnswered).toMatchObject({ k: 1, n: 4, p: 0.25 });
    // Beta-binomial(4, 23 − 18 + 1, 18): P(X = 0) = 0.341 > 0.025, P(X <= 2) = 0.935 < 0.975 <= P(X <= 3) = 0.993; mean 4 · 6/24.
    expect(report.predicted95).toEqual({ lo: 0, hi: 3, mean: 1 });
    expect(abstentionLine(report, 'test')).toMatch(
      /^unanswerable test questions answered: 1\/4 = 0\.250 \[0\.046, 0\.699\] \(Wilson 95%\) · conformal guarantee: P\(answered\) ≤ 0\.250 \(target 0\.25\); 95% of such sets of 4 would have 0–3 answered$/,
    );
  });
});
