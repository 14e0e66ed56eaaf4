// The pages of the published site, rendered from what site-data.ts read. Pure: no I/O. Every number goes
// through a Ledger with the file (and JSON path) it came from, and the Sources page lists them all.
import { mdeMeaning } from '../../evals/gate-plan.ts';
import { headlineMetrics, metricSpec, passed, sortMetrics } from '../../evals/metrics/registry.ts';
import type { Sourced } from '../../evals/report/context.ts';
import { Ledger } from '../../evals/report/ledger.ts';
import { NAMED_BASELINE_CONFIG, type NamedBaselineComparison } from '../../evals/report/named-baseline.ts';
import type { Summary } from '../../evals/report/summary.ts';
import type { RunFile } from '../../evals/run-file.ts';
import type { DemoBuild } from './demo.ts';
import { createMarkdown, escapeHtml, type NavItem, renderPage } from './site-html.ts';

export interface SiteInput {
  projectName: string;
  description?: string;
  /** The "## Pitch" section of docs/PITCH.md in the author's words (Markdown), when written. */
  pitch?: Sourced<string>;
  /** The write-up (renderSummary), or what to run before there can be one. */
  summary: { ok: true; value: Summary } | { ok: false; missing: string };
  /** The run whose numbers the site reports: the newest test run of the project's config, else the baseline. */
  report?: Sourced<RunFile>;
  /** The named baseline (configs/naive.json) against the project's configuration, or why there is none: the write-up's comparison. */
  comparison: NamedBaselineComparison;
  charts: readonly { name: string; svg: string }[];
  dataset: { dir: string; datasheet?: Sourced<string>; licences: Sourced<string>[] };
  /** The in-browser demo (scripts/publish/demo.ts), or why it was not built. */
  demo: { ok: true; value: DemoBuild } | { ok: false; missing: string };
}

export interface SiteFile {
  path: string;
  content: string;
}

export const PAGES = { home: 'index.html', summary: 'summary.html', results: 'results.html', data: 'data.html', sources: 'sources.html' } as const;

/** The site's HTML pages and charts (the stylesheet and the demo come from elsewhere). */
export function renderSitePages(input: SiteInput, otherFiles: readonly string[]): SiteFile[] {
  const L = new Ledger();
  const charts = input.charts.map((c) => ({ path: `charts/${c.name}`, content: c.svg }));
  const files = new Set([...Object.values(PAGES), ...otherFiles, ...charts.map((c) => c.path)]);
  const md = createMarkdown(files);
  const nav: NavItem[] = [
    { href: PAGES.home, label: 'Overview' },
    ...(input.demo.ok ? [{ href: input.demo.value.entry, label: 'Live demo' }] : []),
    { href: PAGES.summary, label: 'Write-up' },
    { href: PAGES.results, label: 'Results' },
    { href: PAGES.data, label: 'Data' },
    { href: PAGES.sources, label: 'Sources' },
  ];
  const page = (path: string, title: string, body: string): SiteFile => ({ path, content: renderPage({ title, projectName: input.projectName, nav, current: path, body }) });
  // Sources last: it lists the numbers every other page put in the ledger.
  const pages = [
    page(PAGES.home, 'Overview', homeBody(input, L, md)),
    page(PAGES.summary, 'Write-up', summaryBody(input, md)),
    page(PAGES.results, 'Results', resultsBody(input, L, files)),
    page(PAGES.data, 'Data', dataBody(input, md)),
  ];
  pages.push(page(PAGES.sources, 'Sources', sourcesBody(input, L)));
  return [...pages, ...charts];
}

const code = (s: string) => `<code>${escapeHtml(s)}</code>`;
const notice = (html: string) => `<p class="notice">${html}</p>`;
/** A missing-artefact message: its `commands` in backticks become <code>. */
const missingNotice = (text: string) => notice(escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>'));

/** The registry's one-line meaning, with the depth of an `@k` metric written in ("in the top 5"). */
function plainMeaning(metric: string): string {
  const spec = metricSpec(metric);
  return spec.k === undefined ? spec.meaning : spec.meaning.replace(/\btop k\b/g, `top ${spec.k}`).replace(/\bk\b/g, String(spec.k));
}

const EXAMPLE_ANSWERS = 3;

/**
 * What the system does, shown before any number: a few of the reported run's questions it answered right,
 * shortest first, each with its answer and the passages it cites.
 */
function exampleAnswers(report: Sourced<RunFile>): string[] {
  const shown = report.value.records
    .filter((r) => r.type !== 'unanswerable' && !r.abstained && passed(r) === true && r.citations.length > 0)
    .sort((a, b) => a.question.length - b.question.length || (a.id < b.id ? -1 : 1))
    .slice(0, EXAMPLE_ANSWERS);
  if (shown.length === 0) return [];
  return [
    `<h2>Examples</h2>`,
    `<p>Questions from the eval set and the answers the system gave in run ${code(report.file)}, each citing the passages it quotes.</p>`,
    '<dl class="examples">',
    ...shown.map((r) => `<dt>${escapeHtml(r.question)}</dt><dd>${escapeHtml(r.answer)}<br><span class="muted small">cites ${r.citations.map(code).join(', ')}</span></dd>`),
    '</dl>',
  ];
}

function homeBody(input: SiteInput, L: Ledger, md: ReturnType<typeof createMarkdown>): string {
  const { report } = input;
  const lines = [`<h1>${escapeHtml(input.projectName)}</h1>`];
  if (input.description) lines.push(`<p class="lead">${escapeHtml(input.description)}</p>`);
  if (input.pitch) lines.push(`<div class="pitch">${md.render(input.pitch.value)}</div>`);
  if (report) {
    const r = report.value;
    const headline = headlineMetrics((m) => r.aggregates[m] !== undefined).slice(0, 4);
    lines.push(
      `<p>Measured on ${splitName(r.split)} (${L.count(r.records.length, report.file, ['records', 'length'])} questions, run ${code(report.file)}), each mean with its 95% bootstrap interval:</p>`,
      '<div class="cards">',
      ...headline.map((m) => {
        const a = r.aggregates[m];
        return a
          ? `<div class="card"><h3>${escapeHtml(m)}</h3><p>${L.num(a.mean, report.file, ['aggregates', m, 'mean'])} ${L.ci(a.ci95, report.file, ['aggregates', m, 'ci95'])}</p><p class="muted small">${escapeHtml(plainMeaning(m))}</p></div>`
          : '';
      }),
      '</div>',
      ...exampleAnswers(report),
    );
    if (r.split !== 'test') lines.push(missingNotice(TUNED_SPLIT));
  } else lines.push(missingNotice('No eval run yet: run `npx ragfolio eval --save-baseline`, then publish again.'));
  const cards = [
    ...(input.demo.ok ? [[input.demo.value.entry, 'Live demo', 'Ask the corpus a question. It runs in your browser: no server, nothing sent anywhere.']] : []),
    [PAGES.summary, 'Write-up', 'The project summary: what was built, how it was measured, what worked and what did not.'],
    [PAGES.results, 'Results', 'Every metric with its confidence interval, the risk–coverage curve, and the first version against the current one.'],
    [PAGES.data, 'Data', 'The dataset’s datasheet and licence.'],
    [PAGES.sources, 'Sources', 'Each number on this site with the file and field it was read from.'],
  ];
  lines.push('<div class="cards">', ...cards.map(([href, title, text]) => `<a class="card" href="${href}"><h3>${title}</h3><p>${text}</p></a>`), '</div>');
  if (!input.demo.ok) lines.push(missingNotice(input.demo.missing));
  return lines.join('\n');
}

function summaryBody(input: SiteInput, md: ReturnType<typeof createMarkdown>): string {
  if (!input.summary.ok) return `<h1>Write-up</h1>\n${missingNotice(input.summary.missing)}`;
  const { markdown, ledger } = input.summary.value;
  const claims = ledger.claims.map((c) => `<tr><td>${escapeHtml(c.text)}</td><td>${code(c.evidence)}</td></tr>`);
  const omitted = ledger.omitted.map((p) => `<li>${escapeHtml(p)}</li>`);
  return [
    md.render(markdown),
    '<h2 id="claims">Claim ledger</h2>',
    `<p>Each factual sentence of the write-up and the artefact that shows it (from <code>ragfolio summary</code>).</p>`,
    claims.length ? `<table><thead><tr><th>claim</th><th>evidence</th></tr></thead><tbody>\n${claims.join('\n')}\n</tbody></table>` : '<p class="muted">No claims with evidence yet.</p>',
    omitted.length
      ? `<p>Left out of the write-up for lack of evidence in the project (<code>ragfolio summary --check</code> lists them):</p>\n<ul>\n${omitted.join('\n')}\n</ul>`
      : '<p>Nothing was left out for lack of evidence.</p>',
  ].join('\n');
}

const splitName = (split: string) => (split === 'all' ? 'all questions' : split === 'test' ? 'the held-out test split' : `the ${split} split`);
/** Said wherever the reported run is not a test run: settings chosen on a split flatter it. */
const TUNED_SPLIT =
  'These numbers are not from the held-out test split: settings tuned on a split look better on it than on new questions. Run `npx ragfolio eval --split test` for the numbers to report, then publish again.';

function resultsBody(input: SiteInput, L: Ledger, files: ReadonlySet<string>): string {
  const { report } = input;
  const out = ['<h1>Results</h1>'];
  if (!report) return [...out, missingNotice('No eval run yet: run `npx ragfolio eval --save-baseline`, then publish again.')].join('\n');
  const r = report.value;
  const f = report.file;
  out.push(
    '<h2 id="metrics">Metrics with 95% confidence intervals</h2>',
    `<p>Run ${code(f)}: label ${code(r.label)}, ${splitName(r.split)}, ${L.count(r.records.length, f, ['records', 'length'])} questions, percentile bootstrap with ${L.count(r.stats.resamples, f, ['stats', 'resamples'])} resamples (seed ${L.count(r.stats.seed, f, ['stats', 'seed'])}). ${r.gatePlan ? escapeHtml(mdeMeaning(r.gatePlan)) : ''}</p>`,
    '<table><thead><tr><th>metric</th><th>mean</th><th>95% CI</th><th>n</th><th>MDE</th></tr></thead><tbody>',
    ...sortMetrics(Object.keys(r.aggregates)).map((m) => {
      const a = r.aggregates[m];
      if (!a) return '';
      const p = ['aggregates', m];
      const mde = a.mde === null ? '—' : `±${L.num(a.mde, f, [...p, 'mde'])}`;
      return `<tr data-metric="${escapeHtml(m)}"><td>${escapeHtml(m)}</td><td class="num">${L.num(a.mean, f, [...p, 'mean'])}</td><td class="num">${L.ci(a.ci95, f, [...p, 'ci95'])}</td><td class="num">${L.count(a.n, f, [...p, 'n'])}</td><td class="num">${mde}</td></tr>`;
    }),
    '</tbody></table>',
  );
  if (r.split !== 'test') out.push(missingNotice(TUNED_SPLIT));
  if (files.has('charts/metrics.svg')) out.push('<p><img src="charts/metrics.svg" alt="metrics with 95% confidence intervals"></p>');

  out.push('<h2 id="risk-coverage">When it answers, and when it abstains</h2>');
  const rc = r.riskCoverage;
  if (rc && files.has('charts/risk-coverage.svg')) {
    const at = (key: 'threshold' | 'coverage' | 'risk') => L.num(rc.operating[key], f, ['riskCoverage', 'operating', key], 2);
    out.push(
      `<p>At its threshold ${at('threshold')} the answerer answered ${at('coverage')} of the ${L.count(rc.n, f, ['riskCoverage', 'n'])} questions and was wrong on ${at('risk')} of those it answered; area under the risk–coverage curve ${L.num(rc.aurc, f, ['riskCoverage', 'aurc'])} (lower is better).</p>`,
      '<p><img src="charts/risk-coverage.svg" alt="risk–coverage curve with the operating threshold marked"></p>',
    );
  } else out.push(missingNotice(`${f} has no risk–coverage curve (its answerer reports no confidence): re-run \`npx ragfolio eval\` with the extractive answerer.`));

  out.push('<h2 id="comparison">The first version against the current one</h2>');
  out.push(comparisonHtml(input, L));
  return out.join('\n');
}

function comparisonHtml(input: SiteInput, L: Ledger): string {
  const c = input.comparison;
  if (!c.ok) return missingNotice(c.missing);
  const { result } = c;
  const src = `${c.naive.file} → ${c.candidate.file}`;
  const rows = result.metrics.map((m, i) => {
    const p = ['metrics', i];
    const tested = !m.constant;
    const verdict = m.constant ? 'constant' : m.verdict;
    return `<tr data-metric="${escapeHtml(m.metric)}"><td>${escapeHtml(m.metric)}</td><td class="num">${L.num(m.baseline, src, [...p, 'baseline'])}</td><td class="num">${L.num(m.candidate, src, [...p, 'candidate'])}</td><td class="num">${m.diff >= 0 ? '+' : ''}${L.num(m.diff, src, [...p, 'diff'])}</td><td class="num">${tested ? L.ci(m.ci95, src, [...p, 'ci95']) : '—'}</td><td>${tested ? m.test : '—'}</td><td class="num">${tested ? pValue(L, m.pAdjusted, src, [...p, 'pAdjusted']) : '—'}</td><td${verdict === 'improved' || verdict === 'regressed' ? ` class="${verdict}"` : ''}>${verdict}</td><td class="num">${L.count(m.n, src, [...p, 'n'])}</td></tr>`;
  });
  return [
    `<p>The named baseline ${code(NAMED_BASELINE_CONFIG)} (run ${code(c.naive.file)}) against the project's configuration (run ${code(c.candidate.file)}), paired on the same ${L.count(c.candidate.value.records.length, c.candidate.file, ['records', 'length'])} questions of ${splitName(result.split)}: as <code>ragfolio compare ${escapeHtml(c.naive.file)} ${escapeHtml(c.candidate.file)}</code> computes it (paired bootstrap 95% CI of the difference; McNemar for 0/1 metrics, permutation test otherwise; p Holm-adjusted).</p>`,
    `<table class="comparison"><thead><tr><th>metric</th><th>${escapeHtml(result.baselineLabel)}</th><th>${escapeHtml(result.candidateLabel)}</th><th>diff</th><th>diff 95% CI</th><th>test</th><th>p (Holm)</th><th>verdict</th><th>n</th></tr></thead><tbody>`,
    ...rows,
    '</tbody></table>',
  ].join('\n');
}

/** A p-value as `ragfolio compare` prints it: below 0.001 only the bound is worth showing. */
const pValue = (L: Ledger, p: number, file: string, path: (string | number)[]) => (p < 0.001 ? '&lt;0.001' : L.num(p, file, path));

function dataBody(input: SiteInput, md: ReturnType<typeof createMarkdown>): string {
  const { dataset } = input;
  const out = ['<h1>Data</h1>', `<p>The dataset is ${code(dataset.dir)} in the repository.</p>`];
  out.push('<h2 id="datasheet">Datasheet</h2>');
  // The datasheet's own title would repeat the heading: demote its headings one level.
  if (dataset.datasheet) out.push(`<p class="muted">From ${code(dataset.datasheet.file)}.</p>`, md.render(dataset.datasheet.value.replace(/^(#{1,5}) /gm, '#$1 ')));
  else out.push(missingNotice(`No datasheet: write ${dataset.dir}/DATASHEET.md (what the data is, where it comes from, how the eval set was written).`));
  out.push('<h2 id="licence">Licence</h2>');
  if (dataset.licences.length === 0) out.push(missingNotice(`No licence file in ${dataset.dir}: add a LICENSE or NOTICE file stating the terms the data may be shared under.`));
  for (const l of dataset.licences) out.push(`<h3>${code(l.file)}</h3>`, `<pre>${escapeHtml(l.value)}</pre>`);
  return out.join('\n');
}

function sourcesBody(input: SiteInput, L: Ledger): string {
  const entries = [...L.entries, ...(input.summary.ok ? input.summary.value.ledger.entries : [])];
  const byFile = new Map<string, typeof entries>();
  for (const e of entries) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out = [
    '<h1>Sources</h1>',
    `<p>Every number on this site, with the file it was read from and its place in that file (JSON path). Two files joined by → are a paired comparison computed from those two run files, as <code>ragfolio compare</code> does.</p>`,
  ];
  for (const [file, list] of byFile) {
    out.push(`<h2>${code(file)}</h2>`, '<table><thead><tr><th>printed</th><th>value</th><th>JSON path</th></tr></thead><tbody>');
    // A number printed on several pages is listed once.
    const seen = new Set<string>();
    for (const e of list) {
      const path = e.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
      if (seen.has(path)) continue;
      seen.add(path);
      out.push(`<tr><td class="num">${escapeHtml(e.text)}</td><td class="num">${e.value}</td><td>${code(path)}</td></tr>`);
    }
    out.push('</tbody></table>');
  }
  return out.join('\n');
}
