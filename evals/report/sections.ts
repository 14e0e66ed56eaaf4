// The evidence sections of the write-up: tables and numbers from run, leaderboard and eval-set files.

import { answersFewer } from '../compare.ts';
import type { LeaderboardRow } from '../experiment.ts';
import { passed } from '../metrics/registry.ts';
import { renderArchitectureSvg } from './architecture-chart.ts';
import { metricCell, resultColumns, type SummaryContext, splitWords } from './context.ts';
import type { Ledger } from './ledger.ts';
import { renderRiskCoverageSvg } from './risk-coverage-chart.ts';
import { renderBarChart } from './svg.ts';
import { markdownTable } from './table.ts';

export function datasetSection(c: SummaryContext): string[] {
  const { L, input, report, primary } = c;
  const r = report.value;
  const types = Object.keys(input.evalset.value.byType);
  const md = ['## Dataset and eval set', '', `Source: \`${input.config.dataset}\` (see its DATASHEET.md). Eval set \`${input.evalset.file}\`:`, ''];
  md.push(
    markdownTable({
      header: ['type', 'questions'],
      rows: types.map((t) => [t, L.count(input.evalset.value.byType[t] ?? 0, input.evalset.file, ['byType', t])]),
    }),
    '',
  );
  md.push(
    `Splits: ${Object.entries(input.evalset.value.bySplit)
      .map(([s, n]) => `${s} ${L.count(n, input.evalset.file, ['bySplit', s])}`)
      .join(', ')}.`,
  );
  const mde = r.aggregates[primary]?.mde;
  const plan = r.gatePlan;
  if (mde !== undefined && mde !== null && plan) {
    md.push(
      `With this many questions (${splitWords(r.split)}), the smallest drop in ${primary} the regression gate detects (power ${L.num(plan.power, report.file, ['gatePlan', 'power'], 2)}, one-sided α/m = ${L.num(plan.level, report.file, ['gatePlan', 'level'], 4)}) is about ${L.num(mde, report.file, ['aggregates', primary, 'mde'])}: smaller differences are noise here.`,
    );
  }
  md.push('');
  return md;
}

export function resultsSection(c: SummaryContext): string[] {
  const { L, baseline } = c;
  const columns = resultColumns(c);
  const b = baseline.value;
  return [
    '## Results',
    '',
    markdownTable({
      header: ['metric', ...columns.map((col) => `${col.value.label} (${col.value.split}, n=${L.count(col.value.records.length, col.file, ['records', 'length'])})`)],
      rows: c.shown.map((m) => [m, ...columns.map((col) => metricCell(c, col, m))]),
    }),
    '',
    `Cells: mean [95% percentile-bootstrap CI, ${L.count(b.stats.resamples, baseline.file, ['stats', 'resamples'])} resamples, seed ${L.count(b.stats.seed, baseline.file, ['stats', 'seed'])}]. Files: ${columns.map((col) => `\`${col.file}\``).join(', ')}.`,
    '',
  ];
}

/**
 * Selective answering: how often the answerer answers and how often it is wrong when it does, at the
 * configured threshold, with the whole curve drawn (a classifier's precision–recall trade-off).
 */
export function riskCoverageSection(c: SummaryContext): string[] {
  const { L, report } = c;
  const rc = report.value.riskCoverage;
  if (!rc) return [];
  const at = (key: 'threshold' | 'coverage' | 'risk') => L.num(rc.operating[key], report.file, ['riskCoverage', 'operating', key], 2);
  return [
    '## When it answers, and when it abstains',
    '',
    `The answerer abstains ("Not found in the corpus.") when its best quote scores below a threshold. At the configured threshold ${at('threshold')} it answered ${at('coverage')} of the ${L.count(rc.n, report.file, ['riskCoverage', 'n'])} questions of ${splitWords(report.value.split)} and was wrong on ${at('risk')} of those it answered (an answer to an unanswerable question counts as wrong). The area under the risk–coverage curve is ${L.num(rc.aurc, report.file, ['riskCoverage', 'aurc'])} (lower is better; 0 would answer every answerable question right and abstain on every other).`,
    '',
    ...thresholdParagraph(c),
    '![risk–coverage curve](charts/risk-coverage.svg)',
    '',
  ];
}

const signed = (text: string) => (text.startsWith('-') ? text : `+${text}`);

/**
 * The iteration log as a table: each kept run's commit and change, then each gated metric's mean and its paired
 * difference from the previous row with a 95% CI. The first row, when it ran on the template's code, says so.
 */
export function iterationSection(c: SummaryContext): string[] {
  const log = c.input.iterations;
  if (!log) return [];
  const { L } = c;
  const { file, value } = log;
  const rows = value.steps.map((step, i) => [
    step.commit ? `\`${step.commit.slice(0, 7)}\`` : '—',
    step.change,
    ...value.metrics.map((m) => {
      const mean = step.means[m];
      if (mean === undefined) return '—';
      const j = step.vsPrevious?.findIndex((d) => d.metric === m) ?? -1;
      const d = step.vsPrevious?.[j];
      const meanText = L.num(mean, file, ['steps', i, 'means', m]);
      if (!d) return meanText;
      const p = ['steps', i, 'vsPrevious', j];
      const mark = d.verdict === 'improved' ? ' ▲' : d.verdict === 'regressed' ? ' ▼' : '';
      return `${meanText} (${signed(L.num(d.diff, file, [...p, 'diff']))} ${L.ci(d.ci95, file, [...p, 'ci95'])}${mark})`;
    }),
  ]);
  const md = [
    '## Iteration log',
    '',
    `Each kept run on ${splitWords(value.split)} (\`${file}\`), oldest first: its commit and change, then each gated metric with its paired difference from the row above (95% bootstrap CI; ▲/▼ a significant change).`,
    '',
    markdownTable({ header: ['commit', 'change', ...value.metrics], rows }),
    '',
  ];
  if (value.steps.length === 1)
    md.push('No change measured yet. After each change, commit it and run `ragfolio eval --label <what changed>`: each such run becomes a row here, compared with the one before.', '');
  return md;
}

/**
 * The named naive baseline against the project's configuration, paired on the same questions: every compared
 * metric with its difference, 95% CI, test and Holm p, each number from the iteration log's copy of the
 * comparison. Without a run of the named baseline, the command that makes one.
 */
export function namedBaselineSection(c: SummaryContext): string[] {
  const { L, input } = c;
  const log = input.iterations;
  const step = log?.value.namedBaseline;
  const md = ['## From the naive first version', ''];
  if (!log || !step) {
    if (input.namedBaseline && !input.namedBaseline.ok) md.push(input.namedBaseline.missing, '');
    return input.namedBaseline && !input.namedBaseline.ok ? md : [];
  }
  const file = log.file;
  const at = (i: number, key: string) => ['namedBaseline', 'metrics', i, key];
  md.push(
    `\`${step.config}\` is the named naive baseline: the first version, kept to measure against. Its run \`${step.naiveRun}\` against the project's configuration (\`${step.candidateRun}\`), paired question by question on ${splitWords(step.split)}: the paired bootstrap 95% CI of the difference, McNemar for pass/fail metrics and a permutation test otherwise, p Holm-adjusted across the metrics (\`ragfolio compare ${step.naiveRun} ${step.candidateRun}\`).`,
    '',
  );
  if (step.candidateFromTemplate)
    md.push(
      L.claim(
        'Both configurations came with the ragfolio template, which chose its defaults on its own dev evidence: this is where the project started, not a change of its own.',
        `file: ${file}, namedBaseline.candidateFromTemplate (the run's commit is not one of this project's own changes)`,
      ),
      '',
    );
  md.push(
    markdownTable({
      header: ['metric', 'n', 'naive', 'this configuration', 'difference [95% CI]', 'test', 'Holm p', 'verdict'],
      rows: step.metrics.map((m, i) => {
        const tested = !m.constant;
        return [
          m.conditional ? `${m.metric} (answered only)` : m.metric,
          L.count(m.n, file, at(i, 'n')),
          L.num(m.baseline, file, at(i, 'baseline')),
          L.num(m.candidate, file, at(i, 'candidate')),
          tested ? `${signed(L.num(m.diff, file, at(i, 'diff')))} ${L.ci(m.ci95, file, at(i, 'ci95'))}` : 'same on every question',
          tested ? m.test : '—',
          tested ? L.num(m.pAdjusted, file, at(i, 'pAdjusted'), 4) : '—',
          tested ? m.verdict : '—',
        ];
      }),
    }),
    '',
  );
  return md;
}

/** At most this many bullets each for what worked and what did not: the largest changes, by size. */
const MAX_BULLETS = 6;

/** Where the threshold came from, and, when calibrated, the guarantee beside what this split observed. */
function thresholdParagraph(c: SummaryContext): string[] {
  const { L, report } = c;
  const a = report.value.abstention;
  const seen = a?.unanswerableAnswered;
  if (!a || !seen) return [];
  const file = report.file;
  const observed = `On ${splitWords(report.value.split)} it answered ${L.count(seen.k, file, ['abstention', 'unanswerableAnswered', 'k'])} of ${L.count(seen.n, file, ['abstention', 'unanswerableAnswered', 'n'])} unanswerable questions (${L.num(seen.p, file, ['abstention', 'unanswerableAnswered', 'p'])}, Wilson 95% [${L.num(seen.lo, file, ['abstention', 'unanswerableAnswered', 'lo'])}, ${L.num(seen.hi, file, ['abstention', 'unanswerableAnswered', 'hi'])}]).`;
  if (a.source === 'manual' || a.bound === undefined || a.target === undefined) return [`The threshold was set by hand, not calibrated on this project's questions. ${observed}`, ''];
  const how =
    a.source === 'conformal'
      ? 'chosen by split-conformal calibration on the dev split'
      : "ragfolio's fallback (too few unanswerable dev questions of this project's own to calibrate on), calibrated on the bundled docs eval sets";
  const spread = a.predicted95
    ? ` For this many questions the calibration predicts ${L.count(a.predicted95.lo, file, ['abstention', 'predicted95', 'lo'])} to ${L.count(a.predicted95.hi, file, ['abstention', 'predicted95', 'hi'])} answered (central 95%).`
    : '';
  return [
    `The threshold was ${how}, for a target of at most ${L.num(a.target, file, ['abstention', 'target'], 2)} of unanswerable questions answered: for a new question exchangeable with the calibration set, P(answered) ≤ ${L.num(a.bound, file, ['abstention', 'bound'])}. ${observed}${spread}`,
    '',
  ];
}

export function experimentsSection(c: SummaryContext): string[] {
  const { L, board, best } = c;
  if (!board) return [];
  const bm = board.value.sortBy;
  const md = ['## Experiments', '', `Leaderboard \`${board.file}\` (split ${board.value.split}, each row compared with the grid's first configuration on the same questions, Holm-adjusted):`, ''];
  md.push(
    markdownTable({
      header: ['configuration', bm, 'significant changes vs baseline'],
      rows: [
        ['baseline', `${L.num(board.value.baseline.aggregates[bm]?.mean ?? Number.NaN, board.file, ['baseline', 'aggregates', bm, 'mean'])}`, '—'],
        ...board.value.rows.map((row, i) => [
          `\`${row.label}\``,
          row.aggregates[bm] ? L.num(row.aggregates[bm].mean, board.file, ['rows', i, 'aggregates', bm, 'mean']) : '—',
          changes(L, board.file, row, i) || 'none',
        ]),
      ],
    }),
    '',
  );
  md.push('## What worked and what did not', '');
  const all = board.value.rows.flatMap((row, i) => row.comparison.metrics.map((m, j) => ({ row, i, m, j })).filter(({ m }) => m.verdict !== 'no significant change'));
  const largest = (verdict: string) =>
    all
      .filter(({ m }) => m.verdict === verdict)
      .sort((a, b) => Math.abs(b.m.diff) - Math.abs(a.m.diff))
      .slice(0, MAX_BULLETS);
  const claims = [...largest('improved'), ...largest('regressed')];
  if (claims.length === 0)
    md.push(`No configuration changed any compared metric significantly after Holm correction: on this eval set, the sweep did not find a better configuration than the baseline.`);
  for (const { row, i, m, j } of claims) {
    const p = ['rows', i, 'comparison', 'metrics', j];
    const a = row.comparison.answered;
    // A metric on answered questions can rise by abstaining more: the same warning `compare` prints.
    const trade =
      m.conditional && m.verdict === 'improved' && a && answersFewer(a)
        ? ` It is computed on answered questions only, and this configuration answered fewer (${L.num(a.baseline, board.file, ['rows', i, 'comparison', 'answered', 'baseline'])} → ${L.num(a.candidate, board.file, ['rows', i, 'comparison', 'answered', 'candidate'])}): a trade, not a win.`
        : '';
    md.push(
      `- ${m.verdict === 'improved' ? (trade ? 'Traded' : 'Worked') : 'Did not work'}: \`${row.label}\` ${m.verdict} ${m.metric} by ${L.num(m.diff, board.file, [...p, 'diff'])} (95% CI ${L.ci(m.ci95, board.file, [...p, 'ci95'])}, ${m.test}, Holm p = ${L.num(m.pAdjusted, board.file, [...p, 'pAdjusted'], 4)}).${trade}`,
    );
  }
  if (all.length > claims.length) md.push(`- Smaller significant changes: see \`${board.file}\`.`);
  md.push(
    '',
    best
      ? `Highest ${bm} on ${board.value.split}: \`${best.label}\`. Confirm it on the test split (\`ragfolio eval --split test\` with that configuration) before claiming it.`
      : `No configuration in the sweep had a higher ${bm} than the baseline.`,
    '',
  );
  return md;
}

function changes(L: Ledger, file: string, row: LeaderboardRow, i: number): string {
  return row.comparison.metrics
    .map((m, j) => ({ m, j }))
    .filter(({ m }) => m.verdict !== 'no significant change')
    .map(({ m, j }) => `${m.metric} ${L.num(m.diff, file, ['rows', i, 'comparison', 'metrics', j, 'diff'])} (${m.verdict === 'improved' ? 'better' : 'worse'})`)
    .join(', ');
}

export function failureSection(c: SummaryContext): string[] {
  const { L, report } = c;
  const r = report.value;
  const md = [
    '## Failure analysis',
    '',
    `Pass rate by question type on ${splitWords(r.split)} (a pass: the answer contains a gold answer, or it abstains on an unanswerable question; Wilson 95% interval):`,
    '',
    markdownTable({
      header: ['type', 'passed', 'rate', '95% CI'],
      rows: Object.entries(r.byType).map(([t, s]) => [
        t,
        `${L.count(s.passed, report.file, ['byType', t, 'passed'])}/${L.count(s.n, report.file, ['byType', t, 'n'])}`,
        L.num(s.rate, report.file, ['byType', t, 'rate']),
        L.ci(s.wilson95, report.file, ['byType', t, 'wilson95']),
      ]),
    }),
    '',
  ];
  for (const type of Object.keys(r.byType)) {
    const failures = r.records.filter((rec) => rec.type === type && passed(rec) === false).slice(0, 2);
    for (const f of failures) md.push(`- ${type} \`${f.id}\`: “${f.question}” → “${truncate(f.answer, 160)}”`);
  }
  md.push('');
  return md;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export function latencySection(c: SummaryContext): string[] {
  const { L, report } = c;
  const o = report.value.operational;
  return [
    '## Latency and cost',
    '',
    `Per question on this machine: p50 ${L.num(o.latencyMsP50, report.file, ['operational', 'latencyMsP50'], 1)} ms, p95 ${L.num(o.latencyMsP95, report.file, ['operational', 'latencyMsP95'], 1)} ms.` +
      (o.questionVectors && o.questionVectors.shipped > 0
        ? ` For ${L.count(o.questionVectors.shipped, report.file, ['operational', 'questionVectors', 'shipped'])} questions the question's vector shipped with the dataset, so their latency does not include embedding it (${L.count(o.questionVectors.embedded, report.file, ['operational', 'questionVectors', 'embedded'])} were embedded).`
        : '') +
      (o.inputTokens + o.outputTokens > 0
        ? ` Tokens: ${L.count(o.inputTokens, report.file, ['operational', 'inputTokens'])} in, ${L.count(o.outputTokens, report.file, ['operational', 'outputTokens'])} out.`
        : ' No model tokens: the offline pipeline costs nothing per query.') +
      (o.costUsd !== undefined ? ` Estimated cost $${L.num(o.costUsd, report.file, ['operational', 'costUsd'], 4)}.` : ''),
    '',
  ];
}

export function charts(c: SummaryContext): { name: string; svg: string }[] {
  const r = c.report.value;
  return [
    { name: 'architecture.svg', svg: renderArchitectureSvg(c.input.config) },
    {
      name: 'metrics.svg',
      svg: renderBarChart({
        title: `${r.label} on ${r.split}: metrics with 95% CIs`,
        max: 1,
        bars: c.shown.flatMap((m) => {
          const a = r.aggregates[m];
          return a ? [{ label: m, value: a.mean, lo: a.ci95[0], hi: a.ci95[1] }] : [];
        }),
      }),
    },
    {
      name: 'by-type.svg',
      svg: renderBarChart({
        title: `pass rate by question type (${r.split}, Wilson 95%)`,
        max: 1,
        bars: Object.entries(r.byType).map(([t, s]) => ({ label: t, value: s.rate, lo: s.wilson95[0], hi: s.wilson95[1] })),
      }),
    },
    ...(r.riskCoverage ? [{ name: 'risk-coverage.svg', svg: renderRiskCoverageSvg(r.riskCoverage, r.riskCoverage.operating, `risk–coverage (${r.split}), threshold marked`) }] : []),
  ];
}
