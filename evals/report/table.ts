import { stripVTControlCharacters } from 'node:util';
import { flakyQuestions } from '../aggregate.ts';
import type { AnsweredRate, Comparison } from '../compare.ts';
import type { GateResult } from '../gate.ts';
import type { RunFile } from '../run-file.ts';

export interface Table {
  header: string[];
  rows: string[][];
}

/** Aligned plain-text columns, for terminals and logs. */
export function formatTable({ header, rows }: Table): string {
  // Width ignores colour escape codes, so coloured cells still line up.
  const width = (s: string) => stripVTControlCharacters(s).length;
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c))))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function markdownTable({ header, rows }: Table): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
export const fmtCi = ([lo, hi]: readonly [number, number], digits = 3): string => `[${fmt(lo, digits)}, ${fmt(hi, digits)}]`;
const fmtSigned = (x: number): string => `${x >= 0 ? '+' : ''}${fmt(x)}`;
const fmtP = (p: number): string => (p < 0.001 ? '<0.001' : p.toFixed(3));

export function runTable(run: RunFile): Table {
  return {
    header: ['metric', 'value', '95% CI', 'n', 'MDE'],
    rows: Object.entries(run.aggregates).map(([metric, a]) => [metric, fmt(a.mean), fmtCi(a.ci95), String(a.n), a.mde === null ? '—' : `±${fmt(a.mde)}`]),
  };
}

export function operationalLine(run: RunFile): string {
  const o = run.operational;
  const tokens = o.inputTokens + o.outputTokens > 0 ? ` · tokens ${o.inputTokens} in / ${o.outputTokens} out` : '';
  const cost = o.costUsd === undefined ? '' : ` · est. cost $${o.costUsd.toFixed(4)}`;
  const q = o.questionVectors;
  const shipped = q && q.shipped > 0 ? ` (${q.shipped} of ${q.shipped + q.embedded} questions' vectors shipped with the dataset: no embedding in their latency)` : '';
  return `latency p50 ${o.latencyMsP50.toFixed(1)} ms · p95 ${o.latencyMsP95.toFixed(1)} ms${shipped}${tokens}${cost}`;
}

/** Every compared metric, descriptive: two-sided 95% paired-bootstrap CI, p Holm-adjusted over the non-constant ones. */
export function comparisonTable(c: Comparison): Table {
  return {
    header: ['metric', c.baselineLabel, c.candidateLabel, 'diff', 'diff 95% CI', 'test', 'p (Holm)', 'verdict (two-sided)', 'n'],
    rows: c.metrics.map((m) => [
      `${m.metric}${m.gated ? ' *' : ''}${m.conditional ? ' †' : ''}`,
      fmt(m.baseline),
      fmt(m.candidate),
      fmtSigned(m.diff),
      m.constant ? '—' : fmtCi(m.ci95),
      m.constant ? '—' : m.test,
      m.constant ? '—' : fmtP(m.pAdjusted),
      m.constant ? 'constant (not tested)' : m.verdict,
      String(m.n),
    ]),
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The gate: one-sided bounds at each metric's Holm level, the margin, and the baseline's plan: MDE and power to catch a drop of the margin. */
export function gateTable(g: GateResult): Table {
  return {
    header: ['gated metric', 'baseline', 'candidate', 'diff', 'one-sided bounds', 'level', 'p (Holm)', 'MDE', `power at −${fmt(g.margin, 2)}`, 'verdict', 'n'],
    rows: g.metrics.map((m) => {
      const tested = m.verdict !== 'constant';
      return [
        `${m.metric}${m.conditional ? ' †' : ''}`,
        fmt(m.baseline),
        fmt(m.candidate),
        fmtSigned(m.diff),
        tested ? fmtCi([m.lower, m.upper]) : '—',
        m.level === null ? '—' : pct(1 - m.level),
        tested ? fmtP(m.pAdjusted) : '—',
        m.mde === null ? '—' : fmt(m.mde),
        m.powerAtMargin === null ? '—' : fmt(m.powerAtMargin, 2),
        m.failed ? `${m.verdict.toUpperCase()} (gate)` : m.verdict,
        String(m.n),
      ];
    }),
  };
}

/** "answered 39.5% → 37.0% (−2.5 points, 95% CI …, p …)": abstaining more can raise the conditional metrics. */
export function answeredLine(a: AnsweredRate, alpha: number): string {
  return `answered (did not abstain): ${pct(a.baseline)} → ${pct(a.candidate)} of ${a.n} questions, diff ${fmtSigned(a.diff)} ${fmtCi(a.ci)} (${pct(1 - alpha)} CI), p ${fmtP(a.pValue)}`;
}

/** A repeated run: how many repeats, each question's pass rate, and the flaky ones (passed in some repeats only). */
export function repeatReport(run: RunFile): string {
  const repeats = run.repeats?.length ?? 1;
  const rated = run.records.filter((r) => r.passRate !== undefined);
  const flaky = flakyQuestions(run.records);
  const lines = [
    `${repeats} repeats per question; each question counts once, by its mean over the repeats (CIs: bootstrap over questions); \`compare\` pairs those means.`,
    `pass rate per question: ${rated.map((r) => `${r.id} ${fmt(r.passRate ?? 0, 2)}`).join(', ')}`,
    flaky.length === 0
      ? 'no flaky questions (each passed in every repeat or in none)'
      : `${flaky.length} flaky questions (passed in some repeats only): ${flaky.map((f) => `${f.id} (${fmt(f.passRate, 2)})`).join(', ')}`,
  ];
  return lines.join('\n');
}
