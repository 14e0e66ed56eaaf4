// A leaderboard a person can read: the markdown file, the terminal view (at most 120 columns), and a ranked
// interval plot with the one sentence that says whether any difference is real.

import type { Comparison } from '../compare.ts';
import type { Leaderboard } from '../experiment.ts';
import type { StageCount } from '../grid/stages.ts';
import type { RunFile } from '../run-file.ts';
import { fmt, fmtCi, formatTable, markdownTable, type Table } from './table.ts';

/** "p = 0.012", "p < 0.001": a p-value is never printed as 0.000. */
export const pPhrase = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

const changes = (c: Comparison): string[] =>
  c.metrics
    .filter((m) => m.verdict !== 'no significant change')
    .map((m) => `${m.metric} ${m.diff >= 0 ? '+' : ''}${m.diff.toFixed(3)} (${m.verdict === 'improved' ? 'better' : 'worse'}, ${pPhrase(m.pAdjusted)})`);

export function leaderboardTable(board: Leaderboard, metrics: readonly string[]): Table {
  const shown = metrics.filter((m) => board.baseline.aggregates[m] !== undefined);
  const cell = (a: RunFile['aggregates'], m: string) => {
    const x = a[m];
    return x ? `${fmt(x.mean)} ${fmtCi(x.ci95, 2)}` : '—';
  };
  return {
    header: ['configuration', ...shown, 'vs the first configuration (paired, Holm-adjusted)'],
    rows: [
      [board.baseline.label, ...shown.map((m) => cell(board.baseline.aggregates, m)), '—'],
      ...board.rows.map((r) => [r.label, ...shown.map((m) => cell(r.aggregates, m)), changes(r.comparison).join(', ') || 'no significant change']),
    ],
  };
}

const clip = (s: string, width: number): string => (s.length <= width ? s : `${s.slice(0, Math.max(1, width - 1))}…`);

/**
 * Every configuration's 95% CI of `metric` on one axis, best first: `label  [---o---]  0.942 [0.90, 0.98]`.
 * Overlapping bars do not prove "no difference" (the paired tests decide that); they show the spread.
 */
export function rankedIntervals(board: Leaderboard, metric: string, width = 120): string[] {
  const entries = [{ label: board.baseline.label, a: board.baseline.aggregates[metric] }, ...board.rows.map((r) => ({ label: r.label, a: r.aggregates[metric] }))].flatMap((e) =>
    e.a ? [{ label: e.label, mean: e.a.mean, lo: e.a.ci95[0], hi: e.a.ci95[1] }] : [],
  );
  if (entries.length === 0) return [];
  entries.sort((x, y) => y.mean - x.mean);
  const labelWidth = Math.min(32, Math.max(...entries.map((e) => e.label.length)));
  const numbers = (e: (typeof entries)[number]) => `${fmt(e.mean)} ${fmtCi([e.lo, e.hi], 2)}`;
  const plotWidth = Math.max(10, width - labelWidth - 4 - Math.max(...entries.map((e) => numbers(e).length)));
  const min = Math.min(...entries.map((e) => e.lo));
  const max = Math.max(...entries.map((e) => e.hi));
  const at = (x: number) => (max > min ? Math.round(((x - min) / (max - min)) * (plotWidth - 1)) : Math.floor(plotWidth / 2));
  return [
    `${metric}, 95% CI, best first (axis ${fmt(min, 2)} to ${fmt(max, 2)}):`,
    ...entries.map((e) => {
      const bar = Array.from({ length: plotWidth }, () => ' ');
      for (let i = at(e.lo); i <= at(e.hi); i++) bar[i] = '-';
      bar[at(e.lo)] = '[';
      bar[at(e.hi)] = ']';
      bar[at(e.mean)] = 'o';
      return `${clip(e.label, labelWidth).padEnd(labelWidth)}  ${bar.join('')}  ${numbers(e)}`;
    }),
  ];
}

/** Whether any configuration differs significantly from the first on `metric`, in one plain sentence. */
export function significanceSentence(board: Leaderboard, metric: string): string {
  const differing = board.rows.flatMap((r) => {
    const m = r.comparison.metrics.find((x) => x.metric === metric);
    return m && m.verdict !== 'no significant change' ? [`${r.label} (${m.verdict === 'improved' ? 'better' : 'worse'}, ${pPhrase(m.pAdjusted)})`] : [];
  });
  return differing.length === 0
    ? `On ${metric}, no pair differs significantly: each configuration was tested against the first (paired, Holm within each row), so the ranking above is within noise.`
    : `On ${metric}, differing significantly from the first configuration: ${differing.join('; ')}. Pairs not involving the first were not tested.`;
}

/** The note a sweep over `k` needs: retrieval metrics are scored to a fixed depth, not at each configuration's k. */
function depthNote(board: Leaderboard): string[] {
  const sweepsK = board.rows.some((r) => 'k' in r.combo);
  if (!sweepsK) return [];
  const depth = board.retrievalDepth === undefined ? 'the deepest of `eval.ks`' : `${board.retrievalDepth} passages`;
  return [
    `Retrieval metrics (hit@k, ndcg@k, …) are scored on the top ${depth} whatever a configuration's \`k\`, which sets how many passages the answerer reads: configurations that differ only in \`k\` share their retrieval metrics, and \`k\` shows in the answer metrics.`,
  ];
}

export function renderLeaderboard(board: Leaderboard, metrics: readonly string[]): string {
  const n = board.rows.length;
  return [
    `# Experiment leaderboard (${board.createdAt})`,
    '',
    `Split: **${board.split}** · sorted by **${board.sortBy}** · ${n} configurations compared with the grid's first, **${board.baseline.label}** (top row). Cells: mean [95% bootstrap CI].`,
    '',
    markdownTable(leaderboardTable(board, metrics)),
    '',
    ...depthNote(board),
    '```text',
    ...rankedIntervals(board, board.sortBy),
    '```',
    '',
    significanceSentence(board, board.sortBy),
    '',
    `Each row is compared with the first configuration on the same questions (paired bootstrap CI, McNemar or permutation test, Holm across metrics within the row).`,
    ...(board.stages ? [stagesLine(board.stages), ''] : []),
    `With ${n} rows, about ${(n * 0.05).toFixed(1)} rows per metric would show a "significant" change by chance alone if nothing differed: confirm a winner on the test split before you claim it.`,
    '',
  ].join('\n');
}

/** The terminal view: means of the given metrics and a count of significant changes, then the ranked intervals; at most `width` columns. */
export function leaderboardTerminal(board: Leaderboard, metrics: readonly string[], width = 120): string {
  const shown = metrics.filter((m) => board.baseline.aggregates[m] !== undefined);
  const summary = (c: Comparison) => {
    const better = c.metrics.filter((m) => m.verdict === 'improved').length;
    const worse = c.metrics.filter((m) => m.verdict === 'regressed').length;
    return better + worse === 0 ? 'no significant change' : `${better} better, ${worse} worse`;
  };
  const rows = [
    [board.baseline.label, ...shown.map((m) => fmt(board.baseline.aggregates[m]?.mean ?? Number.NaN)), 'reference'],
    ...board.rows.map((r) => [r.label, ...shown.map((m) => fmt(r.aggregates[m]?.mean ?? Number.NaN)), summary(r.comparison)]),
  ];
  // The label column takes what the other columns leave (two spaces between columns).
  const rest = ['vs the first (Holm)', ...shown].reduce((s, h, i) => s + Math.max(h.length, ...rows.map((r) => (r[i + 1] ?? '').length)) + 2, 0);
  const labelWidth = Math.max(12, width - rest);
  const table = formatTable({ header: ['configuration', ...shown, 'vs the first (Holm)'], rows: rows.map(([label, ...cells]) => [clip(label ?? '', labelWidth), ...cells]) });
  const prose = (text: string) => wrap(text, width);
  return [table, '', ...depthNote(board).flatMap(prose), ...rankedIntervals(board, board.sortBy, width), '', ...prose(significanceSentence(board, board.sortBy))].join('\n');
}

/** Greedy word wrap of one paragraph at `width` columns. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

function stagesLine(s: NonNullable<Leaderboard['stages']>): string {
  const ratio = (c: StageCount) => `${c.hits}/${c.hits + c.misses}`;
  return (
    `Computed once and shared: ${s.indexes} index(es) for ${s.configs} configurations; question vectors from the query cache ${ratio(s.queries)}, ` +
    `retrievals ${ratio(s.retrieval)}, answers ${ratio(s.answers)} and scores ${ratio(s.scores)} reused. Run-file latencies time these cache lookups (operational.latencySource = stage-cache); \`ragfolio eval\` measures the pipeline's.`
  );
}
