import { fmt, fmtCi, type Table } from '../report/table.ts';
import { type AgreementReport, AUTOMATIC_PASS_RULE, type GraderAgreement } from './agreement.ts';

const pct = (x: number) => `${Math.round(100 * x)}%`;
const maybe = (x: number | null) => (x === null ? '—' : fmt(x, 2));

/** One row per automatic grader: how it agrees with the person's labels. */
export function agreementTable(report: AgreementReport): Table {
  return {
    header: ['grader', 'against', 'n', 'agree', 'κ', 'κ 95% CI', 'tp', 'fp', 'fn', 'tn', 'precision', 'recall'],
    rows: Object.entries(report.metrics).map(([name, m]) => [
      name,
      m.target === 'right' ? 'right' : 'should abstain',
      String(m.n),
      pct(m.agreement),
      maybe(m.kappa),
      m.ci95 ? fmtCi(m.ci95, 2) : '—',
      String(m.confusion.tp),
      String(m.confusion.fp),
      String(m.confusion.fn),
      String(m.confusion.tn),
      maybe(m.precision),
      maybe(m.recall),
    ]),
  };
}

/** "`contains` agrees with my labels on 93% of 60 answers, κ 0.84 [0.71, 0.94]." */
export function agreementSentence(name: string, m: GraderAgreement): string {
  const what = m.target === 'right' ? 'answers' : 'answers (abstain or not)';
  const kappa = m.kappa === null ? 'κ undefined (one class only)' : `κ ${fmt(m.kappa, 2)}${m.ci95 ? ` ${fmtCi(m.ci95, 2)}` : ''}`;
  return `\`${name}\` agrees with my labels on ${pct(m.agreement)} of ${m.n} ${what}, ${kappa}.`;
}

export function categoryTable(report: AgreementReport): Table {
  return {
    header: ['category', 'count', 'share', 'Wilson 95% CI', 'example'],
    rows: report.categories.map((c) => [c.category, String(c.count), pct(c.share), fmtCi(c.wilson95, 2), `${c.example.id}: ${c.example.note || c.example.question}`.slice(0, 100)]),
  };
}

/** Human against automatic accuracy on the random sample, or nothing when no sampled record is labelled. */
export function sampleSentence(report: AgreementReport): string | undefined {
  const s = report.sample;
  if (!s) return undefined;
  const human = `${pct(s.human.rate)} ${fmtCi(s.human.wilson95, 2)}`;
  const auto = `${pct(s.automatic.rate)} ${fmtCi(s.automatic.wilson95, 2)}`;
  return `On the ${s.n} labelled answers of the random sample, my labels say ${human} are right; the automatic pass (${AUTOMATIC_PASS_RULE}) says ${auto} (Wilson 95% intervals).`;
}
