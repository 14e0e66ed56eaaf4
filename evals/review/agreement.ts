import type { RunFile, RunRecord } from '../run-file.ts';
import { bootstrapKappaCi, type Confusion, cohenKappa, confusionOf } from '../stats/kappa.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { GRADERS, humanVerdict } from './graders.ts';
import { findLabel, type Label } from './labels.ts';

export interface GraderAgreement {
  /** Labelled records where both the grader and the label say something. */
  n: number;
  rule: string;
  target: 'right' | 'should_abstain';
  /** Share of those records where grader and person agree. */
  agreement: number;
  kappa: number | null;
  ci95: [number, number] | null;
  confusion: Confusion;
  /** Of the answers the grader passes, the share the person also says yes to; null when it passes none. */
  precision: number | null;
  /** Of the answers the person says yes to, the share the grader passes. */
  recall: number | null;
}

export interface CategoryCount {
  category: string;
  count: number;
  share: number;
  wilson95: [number, number];
  example: { id: string; question: string; answer: string; note: string };
}

export interface AgreementReport {
  run: string;
  /** Records of the run that carry a label (same id and answer hash). */
  n: number;
  labels: Record<Label['label'], number>;
  metrics: Record<string, GraderAgreement>;
  /** Failure categories over the labelled records not marked right. */
  categories: CategoryCount[];
  /** Human against automatic accuracy on the labelled part of the random sample (the unbiased estimate). */
  sample?: { n: number; human: { rate: number; wilson95: [number, number] }; automatic: { rate: number; wilson95: [number, number] } };
}

/** The run's own pass (as in its pass rate by type): a gold answer contained, or a correct abstention. */
export const AUTOMATIC_PASS_RULE = '`contains`, or a correct abstention on an unanswerable question';
const automaticPass = (r: RunRecord) => (r.metrics.contains ?? r.metrics.abstain_correct ?? 0) >= 0.5;

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** How far each automatic grader agrees with the person's labels on one run. Pure: labels and run in, numbers out. */
export function agreementReport(run: RunFile, runName: string, labels: ReadonlyMap<string, Label>, sample: ReadonlySet<string>, opts: { resamples?: number; seed?: number } = {}): AgreementReport {
  const labelled: { record: RunRecord; label: Label }[] = run.records.flatMap((record) => {
    const label = findLabel(labels, record.id, record.answer);
    return label ? [{ record, label }] : [];
  });
  const counts: AgreementReport['labels'] = { right: 0, wrong: 0, should_abstain: 0, gold_wrong: 0 };
  for (const { label } of labelled) counts[label.label]++;

  const metrics: AgreementReport['metrics'] = {};
  for (const grader of GRADERS) {
    const pairs = labelled.flatMap(({ record, label }) => {
      const g = grader.pass(record);
      const h = humanVerdict(grader.target, label.label, record);
      return g === undefined || h === undefined ? [] : [[g, h] as const];
    });
    if (pairs.length === 0) continue;
    const confusion = confusionOf(pairs);
    metrics[grader.name] = {
      n: pairs.length,
      rule: grader.rule,
      target: grader.target,
      agreement: (confusion.tp + confusion.tn) / pairs.length,
      kappa: cohenKappa(confusion),
      ci95: bootstrapKappaCi(pairs, { resamples: opts.resamples ?? run.stats.resamples, seed: opts.seed ?? run.stats.seed }),
      confusion,
      precision: ratio(confusion.tp, confusion.tp + confusion.fp),
      recall: ratio(confusion.tp, confusion.tp + confusion.fn),
    };
  }

  const failures = labelled.filter(({ label }) => label.label !== 'right');
  const byCategory = new Map<string, { record: RunRecord; label: Label }[]>();
  for (const f of failures) {
    const name = f.label.category || '(no category)';
    byCategory.set(name, [...(byCategory.get(name) ?? []), f]);
  }
  const categories = [...byCategory.entries()]
    .map(([category, items]) => {
      const w = wilsonInterval(items.length, failures.length);
      const first = items[0] as { record: RunRecord; label: Label };
      return {
        category,
        count: items.length,
        share: items.length / failures.length,
        wilson95: [w.lo, w.hi] as [number, number],
        example: { id: first.record.id, question: first.record.question, answer: first.record.answer, note: first.label.note },
      };
    })
    .sort((a, b) => b.count - a.count || a.category.localeCompare(b.category));

  const sampled = labelled.filter(({ record, label }) => sample.has(record.id) && label.label !== 'gold_wrong');
  let sampleSummary: AgreementReport['sample'];
  if (sampled.length > 0) {
    const right = sampled.filter(({ label }) => label.label === 'right').length;
    const w = wilsonInterval(right, sampled.length);
    const passed = sampled.filter(({ record }) => automaticPass(record)).length;
    const a = wilsonInterval(passed, sampled.length);
    sampleSummary = { n: sampled.length, human: { rate: right / sampled.length, wilson95: [w.lo, w.hi] }, automatic: { rate: passed / sampled.length, wilson95: [a.lo, a.hi] } };
  }
  return { run: runName, n: labelled.length, labels: counts, metrics, categories, ...(sampleSummary ? { sample: sampleSummary } : {}) };
}
