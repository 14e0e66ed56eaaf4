import { describe, expect, test } from 'vitest';
import { passRateByType } from '../../evals/aggregate.ts';
import { compareRuns } from '../../evals/compare.ts';
import { passed } from '../../evals/metrics/registry.ts';
import type { RunFile, RunRecord } from '../../evals/run-file.ts';
import { UserError } from '../../starter/errors.ts';
import { syntheticRun } from './reference-run.ts';

const stats = { resamples: 2000, seed: 7, alpha: 0.05 };
const options = { metrics: ['hit@5', 'contains', 'f1'], gate: { metrics: ['hit@5', 'contains'], margin: 0.05, power: 0.8, strict: false }, ...stats };

function record(i: number, pass: boolean, f1: number): RunRecord {
  return {
    id: `q${i}`,
    type: 'factoid',
    question: `question ${i}`,
    retrieved: [],
    answer: pass ? 'yes' : 'no',
    citations: [],
    abstained: false,
    latencyMs: 1,
    metrics: { 'hit@5': pass ? 1 : 0, contains: pass ? 1 : 0, f1 },
  };
}

function run(label: string, records: RunRecord[], overrides: Partial<RunFile> = {}): RunFile {
  return syntheticRun(label, records, stats, overrides);
}

// 60 questions, 48 passing: a realistic baseline.
const base = Array.from({ length: 60 }, (_, i) => record(i, i % 5 !== 0, i % 5 !== 0 ? 0.8 : 0.1));

describe('compareRuns', () => {
  test('an identical rerun changes nothing and passes the gate', () => {
    const c = compareRuns(
      run('a', base),
      run(
        'b',
        base.map((r) => ({ ...r })),
      ),
      options,
    );
    expect(c.gateFailed).toBe(false);
    expect(c.flips).toEqual([]);
    for (const m of c.metrics) {
      expect(m.diff).toBe(0);
      expect(m.verdict).toBe('no significant change');
      expect(m.pAdjusted).toBe(1);
    }
  });

  test('a large drop is a significant regression, fails the gate, and lists the flipped questions', () => {
    // 20 of the 48 passing questions now fail: McNemar on 20 discordant pairs, p = 2 * 0.5^20.
    const worse = base.map((r, i) => (i % 5 !== 0 && i < 25 ? record(i, false, 0.1) : r));
    const c = compareRuns(run('a', base), run('b', worse), options);
    const hit = c.metrics.find((m) => m.metric === 'hit@5');
    expect(hit?.test).toBe('mcnemar');
    expect(hit?.pValue).toBeCloseTo(2 * 0.5 ** 20, 12);
    expect(hit?.verdict).toBe('regressed');
    expect(hit?.gateFailed).toBe(true);
    expect(hit?.diff).toBeCloseTo(-20 / 60, 12);
    expect(hit?.ci95[1]).toBeLessThan(0);
    expect(c.metrics.find((m) => m.metric === 'f1')?.test).toBe('permutation');
    expect(c.gateFailed).toBe(true);
    expect(c.flips).toHaveLength(20);
    expect(c.flips.every((f) => f.direction === 'pass→fail')).toBe(true);
  });

  test('Holm-adjusted p-values are never below the raw ones', () => {
    const worse = base.map((r, i) => (i < 6 && i % 5 !== 0 ? record(i, false, 0.5) : r));
    for (const m of compareRuns(run('a', base), run('b', worse), options).metrics) expect(m.pAdjusted).toBeGreaterThanOrEqual(m.pValue);
  });

  test('a drop shown to be smaller than the margin passes the gate as "regressed within margin"', () => {
    // 2,000 questions, 40 fewer passes: a 2-point drop, significant, but its lower bound is above −0.05.
    const many = Array.from({ length: 2000 }, (_, i) => record(i, i % 2 === 0, 0.5));
    const worse = many.map((r, i) => (i % 2 === 0 && i < 80 ? record(i, false, 0.5) : r));
    const c = compareRuns(run('a', many), run('b', worse), { ...options, gate: { metrics: ['hit@5'], margin: 0.05 } });
    const hit = c.gate.metrics.find((m) => m.metric === 'hit@5');
    expect(hit?.upper).toBeLessThan(0);
    expect(hit?.lower).toBeGreaterThan(-0.05);
    expect(hit?.verdict).toBe('regressed within margin');
    expect(c.gateFailed).toBe(false);
    // With a margin of 1 point the same drop fails.
    expect(compareRuns(run('a', many), run('b', worse), { ...options, gate: { metrics: ['hit@5'], margin: 0.01 } }).gateFailed).toBe(true);
  });

  test('the answered rate is compared, and conditional metrics are labelled and counted on answered questions', () => {
    const answering: RunRecord[] = base.map((r) => ({ ...r, metrics: { ...r.metrics, citation_precision: 1 } }));
    // The candidate abstains on 10 questions: citation_precision only exists where it answered.
    const abstaining = answering.map((r, i) => (i < 10 ? { ...r, abstained: true, metrics: { 'hit@5': r.metrics['hit@5'] ?? 0, contains: 0, f1: 0 } } : r));
    const c = compareRuns(run('a', answering), run('b', abstaining), { ...options, metrics: [...options.metrics, 'citation_precision'] });
    expect(c.answered).toMatchObject({ n: 60, baseline: 1, candidate: 50 / 60 });
    expect(c.answered.ci[1]).toBeLessThan(0);
    const cp = c.metrics.find((m) => m.metric === 'citation_precision');
    expect(cp).toMatchObject({ conditional: true, n: 50, constant: true });
    // Gated, a conditional metric gets a warning when the candidate answers significantly less.
    const gated = compareRuns(run('a', answering), run('b', abstaining), { ...options, gate: { metrics: ['citation_precision', 'hit@5'] } });
    expect(gated.gate.warnings.join('\n')).toMatch(/citation_precision is computed on answered questions only/);
  });

  test('an improvement is reported as improved and never fails the gate', () => {
    const better = base.map((r, i) => record(i, true, r.metrics.f1 ?? 0));
    const c = compareRuns(run('a', base), run('b', better), options);
    expect(c.metrics.find((m) => m.metric === 'hit@5')?.verdict).toBe('improved');
    expect(c.gateFailed).toBe(false);
    expect(c.flips.every((f) => f.direction === 'fail→pass')).toBe(true);
  });

  test('retrieval-only questions (no answer strings) never count as flips or in pass rates', () => {
    const retrievalOnly = (r: RunRecord, hit: number): RunRecord => ({ ...r, id: `${r.id}-r`, metrics: { 'hit@5': hit } });
    const a = [...base, retrievalOnly(base[0] as RunRecord, 1)];
    const b = [...base, retrievalOnly(base[0] as RunRecord, 0)];
    expect(compareRuns(run('a', a), run('b', b), options).flips).toEqual([]);
    expect(passRateByType(a.map((r) => ({ type: r.type, passed: passed(r) }))).factoid?.n).toBe(60);
  });

  test('refuses runs on different eval sets or splits, and runs that answered different questions', () => {
    expect(() => compareRuns(run('a', base), run('b', base, { evalsetHash: 'other' }), options)).toThrow(UserError);
    expect(() => compareRuns(run('a', base), run('b', base, { evalsetHash: 'other' }), options)).toThrow(/different eval sets/);
    // A run without metricsVersion was scored under version 1.
    expect(() => compareRuns(run('a', base), run('b', base, { metricsVersion: 2 }), options)).toThrow(/different metric definitions \(version 1 vs 2/);
    expect(compareRuns(run('a', base, { metricsVersion: 2 }), run('b', base, { metricsVersion: 2 }), options).gate.metrics.length).toBe(2);
    expect(() => compareRuns(run('a', base), run('b', base, { split: 'test' }), options)).toThrow(/different splits/);
    expect(() => compareRuns(run('a', base), run('b', base.slice(1)), options)).toThrow(/same questions/);
  });
});
