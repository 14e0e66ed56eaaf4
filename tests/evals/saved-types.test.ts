import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareRuns, comparisonSchema } from '../../evals/compare.ts';
import { type Leaderboard, latestLeaderboard } from '../../evals/experiment.ts';
import { type RunFile, type RunRecord, readRunFile } from '../../evals/run-file.ts';
import { isUserError } from '../../starter/errors.ts';
import { syntheticRun } from './reference-run.ts';

// Every saved type is read back whole: a field the writer sets and the reader drops (a hand-written schema
// stripped `gate`, `answered`, `constant` and `conditional` from leaderboards) fails here.
const stats = { resamples: 300, seed: 5, alpha: 0.05 };
const gate = { metrics: ['hit@5', 'contains', 'groundedness'], margin: 0.05, power: 0.8, strict: false };

function record(i: number, answers: boolean, right: boolean): RunRecord {
  return {
    id: `q${i}`,
    type: 'factoid',
    question: `question ${i}`,
    retrieved: [{ passageId: `p${i}`, score: 1 }],
    answer: answers ? 'an answer' : 'Not found in the corpus.',
    citations: answers ? [`p${i}`] : [],
    abstained: !answers,
    latencyMs: 1,
    metrics: {
      'hit@5': right ? 1 : 0,
      contains: answers && right ? 1 : 0,
      groundedness: 1,
      ...(answers ? { citation_precision: right ? 1 : 0.5 } : {}),
    },
  };
}

function run(label: string, records: RunRecord[]): RunFile {
  return syntheticRun(label, records, stats);
}

// The candidate abstains on a third of the questions, mostly the ones it got wrong: citation precision rises.
const base = run(
  'base',
  Array.from({ length: 60 }, (_, i) => record(i, true, i % 3 !== 0)),
);
const abstaining = run(
  'abstaining',
  Array.from({ length: 60 }, (_, i) => record(i, i % 3 !== 0, i % 3 !== 0)),
);
const comparison = compareRuns(base, abstaining, { metrics: ['hit@5', 'contains', 'citation_precision', 'groundedness'], gate, ...stats });
const roundTrip = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-saved-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('one schema per saved type, read back whole', () => {
  test('run file: every field survives, the gate plan included; an unknown field is refused', async () => {
    const file = join(dir, 'run.json');
    const withPlan = { ...base, gatePlan: comparison.gate.plan };
    await writeFile(file, JSON.stringify(withPlan));
    expect(await readRunFile(file)).toEqual(roundTrip(withPlan));
    await writeFile(file, JSON.stringify({ ...withPlan, surprise: 1 }));
    const error = await readRunFile(file).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String(error)).toMatch(/surprise/);
  });

  test('comparison: the gate (with its plan), the answered rate, constant and conditional survive', () => {
    const parsed = comparisonSchema.parse(roundTrip(comparison));
    expect(parsed).toEqual(roundTrip(comparison));
    expect(parsed.gate?.plan?.family.length).toBeGreaterThan(0);
    expect(parsed.answered?.candidate).toBeLessThan(parsed.answered?.baseline ?? 0);
    expect(parsed.metrics.find((m) => m.metric === 'groundedness')?.constant).toBe(true);
    expect(parsed.metrics.find((m) => m.metric === 'citation_precision')?.conditional).toBe(true);
    expect(() => comparisonSchema.parse({ ...(roundTrip(comparison) as object), extra: true })).toThrow(/extra/);
  });

  test('leaderboard: read back by latestLeaderboard equal to what was written', async () => {
    const stamp = join(dir, 'experiments', '20260101-000000');
    await mkdir(stamp, { recursive: true });
    const board: Leaderboard = {
      createdAt: '2026-01-01T00:00:00.000Z',
      split: 'dev',
      sortBy: 'hit@5',
      baseline: { label: 'base (first in the grid)', configHash: 'base', runFile: 'runs/base.json', aggregates: base.aggregates },
      rows: [{ label: 'minScore=0.5', combo: { minScore: '0.5' }, configHash: 'abstaining', runFile: 'runs/abstaining.json', aggregates: abstaining.aggregates, comparison }],
      files: { markdown: join(stamp, 'leaderboard.md'), json: join(stamp, 'leaderboard.json') },
    };
    await writeFile(board.files.json, JSON.stringify(board));
    const read = await latestLeaderboard(dir);
    expect(read?.board).toEqual(roundTrip(board));
    expect(read?.board.rows[0]?.comparison.gate?.warnings.join('\n')).toMatch(/citation_precision|answered/);
  });
});
