import { describe, expect, test } from 'vitest';
import { renderSummary } from '../../../evals/report/summary.ts';
import { agreementReport } from '../../../evals/review/agreement.ts';
import { answerHash, indexLabels, type Label } from '../../../evals/review/labels.ts';
import { orderForReview } from '../../../evals/review/queue.ts';
import { configSchema } from '../../../starter/config.ts';
import { referenceRun } from '../reference-run.ts';

// The write-up's human-review section, from an agreement report as `ragfolio review --report` writes it.
const run = referenceRun();
const labelled = run.records.slice(0, 40);
const labels = indexLabels(
  labelled.map((r, i) => {
    const label: Label = {
      id: r.id,
      answerHash: answerHash(r.answer),
      label: i % 7 === 0 ? 'wrong' : r.metrics.contains === 1 || r.metrics.abstain_correct === 1 ? 'right' : 'wrong',
      category: i % 2 ? 'retrieval miss' : 'wrong sentence chosen',
      note: `note ${i}`,
      labeledAt: '2026-12-07T00:00:00.000Z',
    };
    return label;
  }),
);
const { sample } = orderForReview(run.records, run.riskCoverage?.threshold, run.records.length);
const report = agreementReport(run, 'baseline.json', labels, 'digest', sample, { resamples: 200 });
const files: Record<string, unknown> = { 'evals/baseline.json': run, 'evals/agreement.json': report };

const input = (stale: boolean) => ({
  projectName: 'demo',
  config: configSchema.parse({}),
  corpus: { file: 'data/corpus.jsonl', value: { passages: 10, documents: 2 } },
  evalset: { file: 'data/evalset.jsonl', value: { total: run.records.length, byType: {}, bySplit: {} } },
  baseline: { file: 'evals/baseline.json', value: run },
  agreement: { file: 'evals/agreement.json', value: report, stale },
});

const resolve = (value: unknown, path: readonly (string | number)[]) => path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);

describe('the human-review section of the write-up', () => {
  const summary = renderSummary(input(false));
  const from = summary.markdown.indexOf('## Human review');
  const section = summary.markdown.slice(from, summary.markdown.indexOf('\n## ', from + 1));

  test('shows the agreement table, a sentence per grader, the sample accuracies and the failure categories', () => {
    expect(section).toContain(`| \`contains\` | right | ${report.metrics.contains?.n} |`);
    const contains = report.metrics.contains;
    if (!contains?.ci95 || contains.kappa === null) throw new Error('no contains κ');
    expect(section).toContain(
      `\`contains\` agrees with my labels on ${contains.agreed} of ${contains.n} answers, κ ${contains.kappa.toFixed(2)} [${contains.ci95[0].toFixed(2)}, ${contains.ci95[1].toFixed(2)}].`,
    );
    expect(section).toMatch(/seeded random sample, my labels mark \d+ \(0\.\d\d \[/);
    expect(section).toMatch(/\| retrieval miss \| \d+ \| 0\.\d\d \| \[0\.\d\d, 0\.\d\d\] \| `a?-?\w+`: “note \d+” \|/);
  });

  test('every number it prints resolves to its JSON path in evals/agreement.json', () => {
    const entries = summary.ledger.entries.filter((e) => e.file === 'evals/agreement.json');
    expect(entries.length).toBeGreaterThan(40);
    for (const e of entries) {
      expect(resolve(files[e.file], e.path), `${e.file}#${e.path.join('.')}`).toBe(e.value);
      const decimals = e.text.split('.')[1]?.length ?? 0;
      expect(Math.abs(Number(e.text) - e.value)).toBeLessThanOrEqual(0.5 * 10 ** -decimals + 1e-12);
    }
  });

  test('it prints no number that did not come through the ledger', () => {
    const printed = new Set(summary.ledger.entries.map((e) => e.text));
    const prose = section
      .replace(/`[^`]*`/g, '') // grader names, ids, commands
      .replace(/“[^”]*”/g, '') // quoted notes and questions
      .replace(/95%|κ/g, '');
    const numbers = prose.match(/-?\d+(\.\d+)?/g) ?? [];
    expect(numbers.length).toBeGreaterThan(40);
    expect(numbers.filter((n) => !printed.has(n))).toEqual([]);
  });

  test('labels changed since the report: the section is left out, and `summary --check` lists why', () => {
    const stale = renderSummary(input(true));
    expect(stale.ledger.omitted).toContain('the labels changed after evals/agreement.json was written: run `ragfolio review --report` again');
    expect(stale.markdown).not.toContain('## Human review');
    expect(summary.ledger.omitted.some((p) => p.includes('agreement.json'))).toBe(false);
  });

  test('no labels, no section', () => {
    const { agreement: _none, ...rest } = input(false);
    expect(renderSummary(rest).markdown).not.toContain('## Human review');
  });
});
