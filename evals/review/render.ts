import type { Table } from '../report/table.ts';
import { type AgreementReport, AUTOMATIC_PASS_RULE, type GraderAgreement } from './agreement.ts';

/**
 * How a number of the report is printed: plainly in the terminal, through the write-up's ledger (with its
 * JSON path in evals/agreement.json) in the summary. One layout for both.
 */
export interface ReportNumbers {
  num(value: number, path: (string | number)[], digits: number): string;
  count(value: number, path: (string | number)[]): string;
}

export const plainNumbers: ReportNumbers = {
  num: (value, _path, digits) => value.toFixed(digits),
  count: (value) => String(value),
};

const ci = (N: ReportNumbers, pair: readonly [number, number], path: (string | number)[]) => `[${N.num(pair[0], [...path, 0], 2)}, ${N.num(pair[1], [...path, 1], 2)}]`;
const orDash = (N: ReportNumbers, x: number | null, path: (string | number)[]) => (x === null ? '—' : N.num(x, path, 2));

/** One row per automatic grader: how it agrees with the person's labels. */
export function agreementTable(report: AgreementReport, N: ReportNumbers = plainNumbers, code: (name: string) => string = (name) => name): Table {
  return {
    header: ['grader', 'against', 'n', 'agree', 'κ', 'κ 95% CI', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall'],
    rows: Object.entries(report.metrics).map(([name, m]) => {
      const at = (...rest: string[]) => ['metrics', name, ...rest];
      return [
        code(name),
        m.target === 'right' ? 'right' : 'should abstain',
        N.count(m.n, at('n')),
        N.num(m.agreement, at('agreement'), 2),
        orDash(N, m.kappa, at('kappa')),
        m.ci95 ? ci(N, m.ci95, at('ci95')) : '—',
        ...(['tp', 'fp', 'fn', 'tn'] as const).map((k) => N.count(m.confusion[k], at('confusion', k))),
        orDash(N, m.precision, at('precision')),
        orDash(N, m.recall, at('recall')),
      ];
    }),
  };
}

/** "`contains` agrees with my labels on 56 of 60 answers, κ 0.84 [0.71, 0.94]." */
export function agreementSentence(name: string, m: GraderAgreement, N: ReportNumbers = plainNumbers): string {
  const at = (...rest: string[]) => ['metrics', name, ...rest];
  const what = m.target === 'right' ? 'answers' : 'answers on whether to abstain';
  const kappa = m.kappa === null ? 'κ undefined (one class only)' : `κ ${N.num(m.kappa, at('kappa'), 2)}${m.ci95 ? ` ${ci(N, m.ci95, at('ci95'))}` : ''}`;
  return `\`${name}\` agrees with my labels on ${N.count(m.agreed, at('agreed'))} of ${N.count(m.n, at('n'))} ${what}, ${kappa}.`;
}

/** Failure categories with counts, shares (Wilson 95% CI) and the first example of each. */
export function categoryTable(report: AgreementReport, N: ReportNumbers = plainNumbers, quote: (s: string) => string = (s) => s): Table {
  return {
    header: ['category', 'count', 'share', 'Wilson 95% CI', 'example'],
    rows: report.categories.map((c, i) => [
      c.category,
      N.count(c.count, ['categories', i, 'count']),
      N.num(c.share, ['categories', i, 'share'], 2),
      ci(N, c.wilson95, ['categories', i, 'wilson95']),
      `\`${c.example.id}\`: ${quote(truncate(c.example.note || c.example.question, 100))}`,
    ]),
  };
}

/** Human against automatic accuracy on the random sample, or nothing when no sampled record is labelled. */
export function sampleSentence(report: AgreementReport, N: ReportNumbers = plainNumbers): string | undefined {
  const s = report.sample;
  if (!s) return undefined;
  const rate = (which: 'human' | 'automatic') =>
    `${N.count(s[which].count, ['sample', which, 'count'])} (${N.num(s[which].rate, ['sample', which, 'rate'], 2)} ${ci(N, s[which].wilson95, ['sample', which, 'wilson95'])})`;
  return `On the ${N.count(s.n, ['sample', 'n'])} labelled answers of the seeded random sample, my labels mark ${rate('human')} right; the automatic pass (${AUTOMATIC_PASS_RULE}) passes ${rate('automatic')} (Wilson 95% intervals).`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
