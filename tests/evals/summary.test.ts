import { describe, expect, test } from 'vitest';
import { aggregateRecords, operationalStats, passRateByType } from '../../evals/aggregate.ts';
import { compareRuns, passed } from '../../evals/compare.ts';
import type { EvalItem } from '../../evals/evalset.ts';
import type { Leaderboard } from '../../evals/experiment.ts';
import { evalsetStats, missingArtefacts, renderSummary, type SummaryInput } from '../../evals/report/summary.ts';
import type { RunFile, RunRecord } from '../../evals/run-file.ts';
import { configSchema } from '../../starter/config.ts';

const stats = { resamples: 1000, seed: 3, alpha: 0.05 };
const types = ['factoid', 'numeric', 'comparison', 'paraphrase', 'unanswerable'] as const;

function makeRecords(passRate: (i: number) => boolean): RunRecord[] {
  return Array.from({ length: 40 }, (_, i) => {
    const type = types[i % types.length] ?? 'factoid';
    const ok = passRate(i);
    const metrics: Record<string, number> =
      type === 'unanswerable'
        ? { abstain_correct: ok ? 1 : 0 }
        : { 'hit@5': ok || i % 3 === 0 ? 1 : 0, 'mrr@10': ok ? 1 / (1 + (i % 4)) : 0, 'ndcg@10': ok ? 0.5 + (i % 5) / 10 : 0.1, contains: ok ? 1 : 0, groundedness: 0.75 + (i % 4) / 16 };
    return {
      id: `q${i}`,
      type,
      question: `Question number ${i} about year 1991?`,
      retrieved: [],
      answer: ok ? `Answer ${i} [p${i}]` : 'Not found in the corpus.',
      citations: [],
      abstained: !ok,
      latencyMs: 20 + (i % 7),
      metrics,
    };
  });
}

function makeRun(label: string, split: 'dev' | 'test', records: RunRecord[]): RunFile {
  return {
    version: 1,
    label,
    startedAt: '2026-11-01T00:00:00.000Z',
    finishedAt: '2026-11-01T00:01:00.000Z',
    config: {},
    configHash: label,
    evalsetHash: 'fixture',
    split,
    generator: 'extractive',
    records,
    aggregates: aggregateRecords(records, stats),
    operational: operationalStats(records),
    stats,
    byType: passRateByType(records.map((r) => ({ type: r.type, passed: passed(r) }))),
  };
}

const baseline = makeRun(
  'hybrid',
  'dev',
  makeRecords((i) => i % 4 !== 0),
);
const testRun = makeRun(
  'hybrid',
  'test',
  makeRecords((i) => i % 3 !== 0),
);
const worse = makeRun(
  'bm25',
  'dev',
  makeRecords((i) => i % 5 === 4),
);
const compareOptions = { metrics: ['hit@5', 'contains', 'ndcg@10'], gate: { metrics: ['hit@5'], tolerance: 0 }, ...stats };
const board: Leaderboard = {
  createdAt: '2026-11-02T00:00:00.000Z',
  split: 'dev',
  sortBy: 'hit@5',
  baseline: { label: 'baseline', configHash: 'b', runFile: 'runs/x/baseline.json', aggregates: baseline.aggregates },
  rows: [
    { label: 'retriever=bm25', combo: { retriever: 'bm25' }, configHash: 'w', runFile: 'runs/x/bm25.json', aggregates: worse.aggregates, comparison: compareRuns(baseline, worse, compareOptions) },
  ],
  files: { markdown: 'runs/experiments/x/leaderboard.md', json: 'runs/experiments/x/leaderboard.json' },
};
const items: EvalItem[] = baseline.records.map((r) => ({ id: r.id, question: r.question, answers: ['x'], gold: [], type: r.type, split: 'dev' }));

const input: SummaryInput = {
  projectName: 'my-rag',
  config: configSchema.parse({}),
  corpus: { file: 'datasets/sotu/corpus.jsonl', value: { passages: 1764, documents: 32 } },
  evalset: { file: 'datasets/sotu/evalset.jsonl', value: evalsetStats(items) },
  baseline: { file: 'evals/baseline.json', value: baseline },
  test: { file: 'runs/20261101-000100-hybrid.json', value: testRun },
  leaderboard: { file: 'runs/experiments/x/leaderboard.json', value: board },
};
const files: Record<string, unknown> = {
  'datasets/sotu/corpus.jsonl': input.corpus.value,
  'datasets/sotu/evalset.jsonl': input.evalset.value,
  'evals/baseline.json': baseline,
  'runs/20261101-000100-hybrid.json': testRun,
  'runs/experiments/x/leaderboard.json': board,
};

function resolvePath(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);
}

describe('renderSummary', () => {
  const summary = renderSummary(input);

  test('every number it prints resolves to the value at its file and JSON path', () => {
    expect(summary.ledger.entries.length).toBeGreaterThan(50);
    for (const entry of summary.ledger.entries) {
      const actual = resolvePath(files[entry.file], entry.path);
      expect(actual, `${entry.file}#${entry.path.join('.')}`).toBe(entry.value);
      // The printed text is the value rounded to the digits shown, no more.
      const decimals = entry.text.split('.')[1]?.length ?? 0;
      expect(Math.abs(Number(entry.text) - entry.value), entry.text).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
    }
  });

  test('the write-up contains no number that did not come through the ledger', () => {
    const printed = new Set(summary.ledger.entries.map((e) => e.text));
    const prose = summary.markdown
      .replace(/```[\s\S]*?```/g, '') // Mermaid diagram
      .replace(/`[^`]*`/g, '') // ids, commands and file names
      .replace(/“[^”]*”/g, '') // quoted questions and answers from the eval set
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '') // chart links
      .replace(/95%|α|power 0\.8|@\d+|BM25|p50|p95/g, ''); // conventions and names in prose: hit@5, BM25, p95
    const numbers = prose.match(/-?\d+(\.\d+)?/g) ?? [];
    expect(numbers.length).toBeGreaterThan(20);
    expect(numbers.filter((n) => !printed.has(n))).toEqual([]);
  });

  test('reports the test split, the baseline, the leaderboard and a claim per significant change with its p-value', () => {
    expect(summary.markdown).toContain('the held-out test split');
    expect(summary.markdown).toContain('`evals/baseline.json`');
    expect(summary.markdown).toContain('## What worked and what did not');
    const regressed = board.rows[0]?.comparison.metrics.filter((m) => m.verdict === 'regressed') ?? [];
    expect(regressed.length).toBeGreaterThan(0);
    for (const m of regressed) expect(summary.markdown).toMatch(new RegExp(`Did not work: \`retriever=bm25\` regressed ${m.metric} by ${m.diff.toFixed(3)}.*Holm p = ${m.pAdjusted.toFixed(4)}`));
  });

  test('renders the same sections as HTML and two SVG charts with error bars', () => {
    expect(summary.html).toContain('<h2>Results</h2>');
    expect(summary.html).toContain('<table>');
    expect(summary.charts.map((c) => c.name)).toEqual(['metrics.svg', 'by-type.svg']);
    for (const c of summary.charts) {
      expect(c.svg.startsWith('<svg')).toBe(true);
      expect(c.svg.match(/<rect /g)?.length).toBeGreaterThan(1);
    }
  });

  test('with no baseline it says what to run instead of writing placeholders', () => {
    const empty = { ...input, baseline: undefined, test: undefined, leaderboard: undefined };
    expect(missingArtefacts(empty).join(' ')).toMatch(/ragfolio eval --save-baseline.*ragfolio experiment/);
    expect(() => renderSummary(empty)).toThrow(/baseline/);
  });
});
