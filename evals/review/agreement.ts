import { z } from 'zod';
import type { RunFile, RunRecord } from '../run-file.ts';
import { bootstrapKappaCi, cohenKappa, confusionOf } from '../stats/kappa.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import { GRADERS, humanVerdict } from './graders.ts';
import { findLabel, type Label } from './labels.ts';

const pair = z.tuple([z.number(), z.number()]);
const graderAgreementSchema = z.object({
  /** Labelled records where both the grader and the label say something. */
  n: z.number().int(),
  rule: z.string(),
  target: z.enum(['right', 'should_abstain']),
  /** Records where grader and person agree (tp + tn), and their share of n. */
  agreed: z.number().int(),
  agreement: z.number(),
  kappa: z.number().nullable(),
  ci95: pair.nullable(),
  confusion: z.object({ tp: z.number().int(), fp: z.number().int(), fn: z.number().int(), tn: z.number().int() }),
  /** Of the answers the grader passes, the share the person also says yes to; null when it passes none. */
  precision: z.number().nullable(),
  /** Of the answers the person says yes to, the share the grader passes. */
  recall: z.number().nullable(),
});
export type GraderAgreement = z.infer<typeof graderAgreementSchema>;

const rateSchema = z.object({ count: z.number().int(), rate: z.number(), wilson95: pair });

/** What `ragfolio review --report` computes and writes to evals/agreement.json, where the write-up reads it. */
export const agreementReportSchema = z.object({
  run: z.string(),
  /** sha256 of the labels file the report was computed from: the write-up flags a report older than the labels. */
  labelsSha256: z.string(),
  /** Records of the run that carry a label (same id and answer hash). */
  n: z.number().int(),
  labels: z.object({ right: z.number().int(), wrong: z.number().int(), should_abstain: z.number().int(), gold_wrong: z.number().int() }),
  metrics: z.record(z.string(), graderAgreementSchema),
  /** Failure categories over the labelled records not marked right. */
  failures: z.number().int(),
  categories: z.array(
    z.object({ category: z.string(), count: z.number().int(), share: z.number(), wilson95: pair, example: z.object({ id: z.string(), question: z.string(), answer: z.string(), note: z.string() }) }),
  ),
  /** Human against automatic accuracy on the labelled part of the random sample (the unbiased estimate). */
  sample: z.object({ n: z.number().int(), human: rateSchema, automatic: rateSchema }).optional(),
});
export type AgreementReport = z.infer<typeof agreementReportSchema>;

/** The run's own pass (as in its pass rate by type): a gold answer contained, or a correct abstention. */
export const AUTOMATIC_PASS_RULE = '`contains`, or a correct abstention on an unanswerable question';
const automaticPass = (r: RunRecord) => (r.metrics.contains ?? r.metrics.abstain_correct ?? 0) >= 0.5;

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** How far each automatic grader agrees with the person's labels on one run. Pure: labels and run in, numbers out. */
export function agreementReport(
  run: RunFile,
  runName: string,
  labels: ReadonlyMap<string, Label>,
  labelsSha256: string,
  sample: ReadonlySet<string>,
  opts: { resamples?: number; seed?: number } = {},
): AgreementReport {
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
      agreed: confusion.tp + confusion.tn,
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
    sampleSummary = {
      n: sampled.length,
      human: { count: right, rate: right / sampled.length, wilson95: [w.lo, w.hi] },
      automatic: { count: passed, rate: passed / sampled.length, wilson95: [a.lo, a.hi] },
    };
  }
  return { run: runName, labelsSha256, n: labelled.length, labels: counts, metrics, failures: failures.length, categories, ...(sampleSummary ? { sample: sampleSummary } : {}) };
}
