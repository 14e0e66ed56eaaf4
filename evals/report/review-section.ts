// The write-up's human-review section: how far each automatic grader agrees with the author's labels, and
// what the labelled failures were. Numbers come from evals/agreement.json (`ragfolio review --report`).
import { AUTOMATIC_PASS_RULE } from '../review/agreement.ts';
import { agreementSentence, agreementTable, categoryTable, type ReportNumbers, sampleSentence } from '../review/render.ts';
import type { SummaryContext } from './context.ts';
import { markdownTable } from './table.ts';

export function humanReviewSection(c: SummaryContext): string[] {
  const source = c.input.agreement;
  if (!source) return [];
  const { L } = c;
  const { file, value: r } = source;
  const N: ReportNumbers = { num: (v, path, digits) => L.num(v, file, path, digits), count: (v, path) => L.count(v, file, path) };
  // Numbers older than the labels would be true of the file but not of the labels: left out, and listed.
  if (source.stale) {
    L.omit(`the labels changed after ${file} was written: run \`ragfolio review --report\` again`);
    return [];
  }
  const md = ['## Human review: how far the automatic metrics agree with me', ''];
  md.push(
    `I labelled ${N.count(r.n, ['n'])} answers of \`${r.run}\` by hand (\`ragfolio review\`): ${N.count(r.labels.right, ['labels', 'right'])} right, ${N.count(r.labels.wrong, ['labels', 'wrong'])} wrong, ${N.count(r.labels.should_abstain, ['labels', 'should_abstain'])} that should have abstained, ${N.count(r.labels.gold_wrong, ['labels', 'gold_wrong'])} where the gold answer was wrong. Each automatic pass/fail grader, read as a classifier of my label (Cohen's κ with a percentile bootstrap 95% CI; “gold wrong” labels left out):`,
    '',
    markdownTable(agreementTable(r, N, (name) => `\`${name}\``)),
    '',
    ...Object.entries(r.metrics).map(([name, m]) => `- ${agreementSentence(name, m, N)}`),
    '',
  );
  const sample = sampleSentence(r, N);
  if (sample) md.push(sample, '');
  else md.push(`No answer of the random sample is labelled yet, so there is no unbiased human accuracy to set beside the automatic one (${AUTOMATIC_PASS_RULE}).`, '');
  if (r.categories.length > 0) {
    md.push(
      `Failure categories of the ${N.count(r.failures, ['failures'])} labelled answers not marked right (share with a Wilson 95% interval, the first example of each):`,
      '',
      markdownTable(categoryTable(r, N, (s) => `“${s}”`)),
      '',
    );
  }
  return md;
}
