import { stripVTControlCharacters } from 'node:util';
import type { Comparison } from '../compare.ts';
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
  return `latency p50 ${o.latencyMsP50.toFixed(1)} ms · p95 ${o.latencyMsP95.toFixed(1)} ms${tokens}${cost}`;
}

export function comparisonTable(c: Comparison): Table {
  return {
    header: ['metric', c.baselineLabel, c.candidateLabel, 'diff', 'diff 95% CI', 'test', 'p (Holm)', 'verdict', 'n'],
    rows: c.metrics.map((m) => [
      `${m.metric}${m.gated ? ' *' : ''}`,
      fmt(m.baseline),
      fmt(m.candidate),
      fmtSigned(m.diff),
      fmtCi(m.ci95),
      m.test,
      fmtP(m.pAdjusted),
      m.gateFailed ? 'REGRESSED (gate)' : m.verdict,
      String(m.n),
    ]),
  };
}
