import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { compareRuns } from '../../evals/compare.ts';
import type { Leaderboard } from '../../evals/experiment.ts';
import { leaderboardTerminal, rankedIntervals, renderLeaderboard } from '../../evals/report/leaderboard.ts';
import type { RunFile, RunRecord } from '../../evals/run-file.ts';
import { syntheticRun } from './reference-run.ts';

const stats = { resamples: 300, seed: 8, alpha: 0.05 };
const metrics = ['hit@5', 'ndcg@10', 'contains'];

function run(label: string, pass: (i: number) => boolean): RunFile {
  const records: RunRecord[] = Array.from({ length: 80 }, (_, i) => ({
    id: `q${i}`,
    type: 'factoid',
    question: `question ${i}`,
    retrieved: [],
    answer: '',
    citations: [],
    abstained: false,
    latencyMs: 1,
    metrics: { 'hit@5': pass(i) ? 1 : 0, 'ndcg@10': pass(i) ? 0.5 + (i % 5) / 10 : 0, contains: pass(i) && i % 2 === 0 ? 1 : 0 },
  }));
  return syntheticRun(label, records, stats);
}

function board(first: RunFile, others: { label: string; combo: Record<string, string>; run: RunFile }[]): Leaderboard {
  return {
    createdAt: '2026-01-01T00:00:00.000Z',
    split: 'dev',
    sortBy: 'hit@5',
    baseline: { label: 'k=3 retriever=hybrid fusion=convex normalization=zscore (first in the grid)', configHash: 'a', runFile: 'a.json', aggregates: first.aggregates },
    rows: others.map((o) => ({
      label: o.label,
      combo: o.combo,
      configHash: o.label,
      runFile: `${o.label}.json`,
      aggregates: o.run.aggregates,
      comparison: compareRuns(first, o.run, { metrics, gate: { metrics }, ...stats }),
    })),
    files: { markdown: 'leaderboard.md', json: 'leaderboard.json' },
    retrievalDepth: 10,
  };
}

const first = run('first', (i) => i % 5 !== 0);
const near = [1, 2, 3].map((s) => ({
  label: `k=${s + 3} retriever=hybrid fusion=convex normalization=zscore minScore=0.${s}`,
  combo: { k: String(s + 3) },
  run: run(`near${s}`, (i) => (i + s) % 5 !== 0),
}));
const dense = { label: 'k=5 retriever=dense', combo: { k: '5', retriever: 'dense' }, run: run('dense', (i) => i % 2 === 0) };

describe('a leaderboard a person can read', () => {
  test('no p-value prints as 0.000; a tiny one reads p < 0.001', () => {
    const md = renderLeaderboard(board(first, [dense]), metrics);
    expect(md).not.toMatch(/p=0\.000|p = 0\.000/);
    expect(md).toMatch(/hit@5 -0\.300 \(worse, p < 0\.001\)/);
  });

  test('the terminal view fits in 120 columns, with long labels and every gated metric', () => {
    const text = leaderboardTerminal(board(first, [...near, dense]), metrics);
    for (const line of text.split('\n')) expect(stripVTControlCharacters(line).length, line).toBeLessThanOrEqual(120);
    expect(text).toMatch(/1 better|worse/);
  });

  test('the ranked interval plot lists every configuration best first, and says when no pair differs', () => {
    const b = board(first, near);
    const lines = rankedIntervals(b, 'hit@5');
    const means = lines.slice(1).map((l) => Number(l.match(/\s(\d\.\d{3}) \[/)?.[1]));
    expect(means).toHaveLength(4);
    expect(means).toEqual([...means].sort((x, y) => y - x));
    expect(renderLeaderboard(b, metrics)).toContain('no pair differs significantly');
    expect(renderLeaderboard(board(first, [dense]), metrics)).not.toContain('no pair differs significantly');
  });

  test('a sweep over k says that retrieval metrics are scored to a fixed depth', () => {
    expect(renderLeaderboard(board(first, near), metrics)).toMatch(/scored on the top 10 passages whatever a configuration's `k`/);
  });
});
