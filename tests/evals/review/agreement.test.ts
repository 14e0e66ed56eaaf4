import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { agreementReport } from '../../../evals/review/agreement.ts';
import { answerHash, createLabelStore, indexLabels, type Label, labelsPath, readLabels } from '../../../evals/review/labels.ts';
import { orderForReview } from '../../../evals/review/queue.ts';
import type { RunFile, RunRecord } from '../../../evals/run-file.ts';
import { runCli } from '../../helpers/cli.ts';
import { referenceRun } from '../reference-run.ts';

/** Labels marking each record right exactly when its `contains` is 1, except the first `flips` records that have a `contains`. */
function containsLabels(run: RunFile, flips: number): Label[] {
  let left = flips;
  return run.records.map((r) => {
    const contains = r.metrics.contains;
    let right = contains === 1;
    if (contains !== undefined && left-- > 0) right = !right;
    return { id: r.id, answerHash: answerHash(r.answer), label: right ? 'right' : 'wrong', category: right ? '' : 'retrieval miss', note: '', labeledAt: '2026-12-07T00:00:00.000Z' };
  });
}

/** Cohen's κ from a 2×2 table in its closed form 2(ad − bc) / ((a+b)(b+d) + (a+c)(c+d)), written independently of the code under test. */
const kappaFromTable = (a: number, b: number, c: number, d: number) => (2 * (a * d - b * c)) / ((a + b) * (b + d) + (a + c) * (c + d));

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragfolio-review-'));
  await mkdir(join(root, 'evals'));
  await writeFile(join(root, 'ragfolio.config.json'), '{}\n');
  await writeFile(join(root, 'evals', 'baseline.json'), JSON.stringify(referenceRun()));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('ragfolio review --report (issue 26 acceptance)', () => {
  test('labels = contains with three flipped: the contains κ equals Cohen κ of that 2×2 table', async () => {
    const run = referenceRun();
    const labels = containsLabels(run, 3);
    await writeFile(labelsPath(root), labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const result = await runCli(['-C', root, 'review', '--report', join(root, 'evals', 'baseline.json'), '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { n: number; metrics: Record<string, { n: number; kappa: number; ci95: [number, number]; confusion: Record<'tp' | 'fp' | 'fn' | 'tn', number> }> };
    const contains = report.metrics.contains;
    if (!contains) throw new Error('no contains row');
    // Table from the labels directly: grader pass = contains 1, person says right.
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    run.records.forEach((r, i) => {
      if (r.metrics.contains === undefined) return;
      const g = r.metrics.contains === 1;
      const h = labels[i]?.label === 'right';
      if (g && h) tp++;
      else if (g) fp++;
      else if (h) fn++;
      else tn++;
    });
    expect(fp + fn).toBe(3);
    expect(contains.confusion).toEqual({ tp, fp, fn, tn });
    expect(contains.n).toBe(tp + fp + fn + tn);
    expect(Math.abs(contains.kappa - kappaFromTable(tp, fp, fn, tn))).toBeLessThan(1e-6);
    expect(contains.ci95[0]).toBeLessThanOrEqual(contains.kappa);
    expect(contains.ci95[1]).toBeGreaterThanOrEqual(contains.kappa);
    expect(report.n).toBe(run.records.length);
  });

  test('a label applies to a later run only while the answer text is unchanged', () => {
    const run = referenceRun();
    const labels = indexLabels(containsLabels(run, 0));
    const changed = referenceRun();
    const first = changed.records.find((r) => r.metrics.contains !== undefined);
    if (!first) throw new Error('no answerable record');
    first.answer = `${first.answer} (edited)`;
    const { sample } = orderForReview(run.records, undefined);
    expect(agreementReport(run, 'a', labels, 'sha', sample, { resamples: 50 }).n).toBe(run.records.length);
    expect(agreementReport(changed, 'b', labels, 'sha', sample, { resamples: 50 }).n).toBe(run.records.length - 1);
  });

  test('no labels yet: says so and how to start, exit 0', async () => {
    await rm(labelsPath(root), { force: true });
    const result = await runCli(['-C', root, 'review', '--report', 'baseline']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/no record carries a label in .*labels\.jsonl yet\. Label some with `ragfolio review`/);
  });

  test('a malformed labels line is a one-line error naming file and line (exit 2)', async () => {
    await writeFile(labelsPath(root), '{"id": "a-001", "label": "maybe"}\n');
    const result = await runCli(['-C', root, 'review', '--report', 'baseline']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/labels\.jsonl:1:\d+: /);
  });
});

describe('graders read as classifiers of a label', () => {
  const run = referenceRun();
  const base = run.records[0];
  if (!base) throw new Error('empty run');
  const record = (over: Partial<RunRecord>): RunRecord => ({ ...base, ...over, metrics: { ...over.metrics } });
  const label = (r: RunRecord, value: Label['label']): Label => ({ id: r.id, answerHash: answerHash(r.answer), label: value, category: '', note: '', labeledAt: 'x' });

  test('abstained: an abstention labelled right was right to abstain; an answer labelled should_abstain was not', () => {
    const rightAbstain = record({ id: 'u1', answer: 'Not found in the corpus.', abstained: true, metrics: { abstain_correct: 1 } });
    const falseAbstain = record({ id: 'f1', answer: 'Not found in the corpus.', abstained: true, metrics: { contains: 0 } });
    const shouldHave = record({ id: 's1', answer: '40 days', abstained: false, metrics: { contains: 0 } });
    const fine = record({ id: 'r1', answer: 'Yeltsin', abstained: false, metrics: { contains: 1 } });
    const records = [rightAbstain, falseAbstain, shouldHave, fine];
    const labels = indexLabels([label(rightAbstain, 'right'), label(falseAbstain, 'wrong'), label(shouldHave, 'should_abstain'), label(fine, 'right')]);
    const report = agreementReport({ ...run, records }, 'r', labels, 'sha', new Set(), { resamples: 50 });
    expect(report.metrics.abstained?.confusion).toEqual({ tp: 1, fp: 1, fn: 1, tn: 1 });
    // contains only where it exists: the unanswerable record is left out.
    expect(report.metrics.contains?.n).toBe(3);
    expect(report.metrics.judge_correct).toBeUndefined();
  });

  test('the judge is a grader when the run has its verdicts; gold-wrong labels count for no grader', () => {
    const a = record({ id: 'j1', answer: 'a', metrics: { contains: 1, judge_correct: 1 } });
    const b = record({ id: 'j2', answer: 'b', metrics: { contains: 0, judge_correct: 0 } });
    const c = record({ id: 'j3', answer: 'c', metrics: { contains: 1, judge_correct: 1 } });
    const labels = indexLabels([label(a, 'right'), label(b, 'wrong'), label(c, 'gold_wrong')]);
    const report = agreementReport({ ...run, records: [a, b, c] }, 'r', labels, 'sha', new Set(), { resamples: 50 });
    expect(report.metrics.judge_correct).toMatchObject({ n: 2, agreed: 2, kappa: 1, confusion: { tp: 1, fp: 0, fn: 0, tn: 1 } });
    expect(report.labels.gold_wrong).toBe(1);
  });
});

describe('the label store', () => {
  test('replaces the label of the same answer, keeps one line per answer, and the file stays valid JSONL', async () => {
    const file = join(root, 'store', 'labels.jsonl');
    const store = createLabelStore(file, () => new Date('2026-12-07T12:00:00Z'));
    const hash = answerHash('Chairman Alan Greenspan');
    await Promise.all([
      store.save({ id: 'q2', answerHash: hash, label: 'wrong', category: 'retrieval miss', note: '' }),
      store.save({ id: 'q1', answerHash: hash, label: 'right', category: '', note: 'fine' }),
      store.save({ id: 'q2', answerHash: hash, label: 'gold_wrong', category: 'gold wrong', note: 'gold says 1990' }),
    ]);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Label).id)).toEqual(['q1', 'q2']);
    const labels = await readLabels(file);
    expect([...labels.values()].map((l) => l.label)).toEqual(['right', 'gold_wrong']);
  });
});

describe('orderForReview', () => {
  test('disagreements first, then near the threshold, then the seeded random sample; reasons say which', () => {
    // Two records made to qualify, whatever the shipped baseline holds: one where contains and F1 disagree, one near the threshold.
    const records = referenceRun().records.map((r) => ({ ...r, metrics: { ...r.metrics }, confidence: 0.9 }));
    const [a, b] = records;
    if (!a || !b) throw new Error('too few records');
    a.metrics = { ...a.metrics, contains: 1, f1: 0.1 };
    b.metrics = { ...b.metrics, contains: 1, f1: 1 };
    b.confidence = 0.53;
    const { queue, sample } = orderForReview(records, 0.5, 20);
    expect(sample.size).toBe(20);
    const rank = { disagreement: 0, threshold: 1, random: 2, rest: 3 } as const;
    const ranks = queue.map((q) => rank[q.reason]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(queue.find((q) => q.record.id === a.id)).toMatchObject({ reason: 'disagreement', why: 'contains 1 but F1 0.10' });
    expect(queue.find((q) => q.record.id === b.id)).toMatchObject({ reason: 'threshold', why: 'confidence 0.53, threshold 0.50' });
    for (const q of queue.filter((x) => x.reason === 'disagreement')) expect(q.record.metrics.contains === 1).not.toBe((q.record.metrics.f1 ?? 0) >= 0.5);
    expect(queue.filter((q) => q.reason === 'random').every((q) => sample.has(q.record.id))).toBe(true);
    // The sample depends on ids only: the same on a re-run whose answers changed.
    const again = orderForReview(
      records.map((r) => ({ ...r, answer: 'x', metrics: {} })),
      undefined,
      20,
    );
    expect([...again.sample].sort()).toEqual([...sample].sort());
  });
});
