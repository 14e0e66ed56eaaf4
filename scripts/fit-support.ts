/**
 * Fit the extractive answerer's support model (starter/answer/support.ts) on the dev splits of the bundled
 * datasets, pooled, and write it to starter/answer/support-model.ts; print (and write to
 * evals/tuning/support-fit.md) each dataset's dev AUROC for answerable vs unanswerable questions before (the best
 * run's score alone) and after, with paired stratified bootstrap intervals, and with each dataset left out of the
 * fit. Reads dev only. Deterministic: same datasets and code → the same model file and report.
 *   npm run fit:support
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadEvalset, selectItems } from '../evals/evalset.ts';
import { UNANSWERABLE_TYPE } from '../evals/metrics/answer.ts';
import { type PairedAuroc, pairedAurocBootstrap } from '../evals/stats/auroc.ts';
import { conformalThreshold } from '../evals/stats/conformal.ts';
import { fitMonotoneLogistic } from '../evals/stats/logistic.ts';
import { SUPPORT_FEATURES, type SupportFeatures, type SupportModel, supportScore } from '../starter/answer/support.ts';
import { CONFIG_FILE, dataDir, loadProjectConfig } from '../starter/config.ts';
import { writeFileAtomic } from '../starter/fs-atomic.ts';
import { ingest } from '../starter/ingest.ts';
import { projectPaths } from '../starter/paths.ts';
import { loadPipeline } from '../starter/pipeline.ts';

/** Every bundled dev split, by kind of corpus: the docs sets a new docs project resembles, and the kit's own speeches. */
export const FIT_DATASETS = [
  { dataset: 'datasets/fastify-docs', kind: 'docs' },
  { dataset: 'datasets/npm-docs', kind: 'docs' },
  { dataset: 'datasets/markdownlint-docs', kind: 'docs' },
  { dataset: 'datasets/sotu', kind: 'speeches' },
] as const;
export const MODEL_FILE = 'starter/answer/support-model.ts';
export const FITTED_ON = `the dev splits of ${FIT_DATASETS.map((d) => d.dataset).join(', ')}`;
export const REPORT_FILE = 'evals/tuning/support-fit.md';
/** Small: five weights on ~300 questions need little shrinkage, but a feature that adds nothing should get 0. */
const L2 = 0.01;
const SEED = 42;
const RESAMPLES = 2000;

export interface SupportRow {
  dataset: string;
  /** Kind of corpus: each kind weighs the same in the fit. */
  kind: string;
  id: string;
  answerable: boolean;
  features: SupportFeatures;
}

/**
 * The model from pooled rows, each kind of corpus weighing the same in the loss and, within a kind, each dataset
 * the same: SOTU's 193 dev questions would otherwise outweigh the three docs sets' ~40 each, and weighing the four
 * sets alike cost SOTU dev twice the false abstentions at its threshold for no gain on docs (docs/month-3-evals.md).
 */
export function fitSupport(rows: readonly SupportRow[]): SupportModel {
  const count = (key: (r: SupportRow) => string) => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
    return counts;
  };
  const perDataset = count((r) => r.dataset);
  const kinds = new Set(rows.map((r) => r.kind));
  const datasetsOfKind = (kind: string) => new Set(rows.filter((r) => r.kind === kind).map((r) => r.dataset)).size;
  const weight = (r: SupportRow) => 1 / (kinds.size * datasetsOfKind(r.kind) * (perDataset.get(r.dataset) as number));
  const fit = fitMonotoneLogistic(
    rows.map((r) => ({ x: SUPPORT_FEATURES.map((f) => r.features[f]), y: r.answerable ? 1 : 0, weight: weight(r) })),
    { l2: L2 },
  );
  const round = (x: number) => Number(x.toPrecision(6));
  const features = Object.fromEntries(
    SUPPORT_FEATURES.map((f, j) => {
      const { mean, sd, weight } = fit.features[j] as { mean: number; sd: number; weight: number };
      return [f, { mean: round(mean), sd: round(sd), weight: round(weight) }];
    }),
  ) as SupportModel['features'];
  return { intercept: round(fit.intercept), features };
}

/** The model as the TypeScript module the answerer imports (formatted as biome would). */
export function supportModelSource(model: SupportModel, fittedOn: string): string {
  const lines = SUPPORT_FEATURES.map((f) => {
    const { mean, sd, weight } = model.features[f];
    return `    ${f}: { mean: ${mean}, sd: ${sd}, weight: ${weight} },`;
  });
  return [
    `// Written by scripts/fit-support.ts (npm run fit:support) from ${fittedOn}: do not edit by hand.`,
    `import type { SupportModel } from './support.ts';`,
    '',
    'export const SUPPORT_MODEL: SupportModel = {',
    `  intercept: ${model.intercept},`,
    '  features: {',
    ...lines,
    '  },',
    '};',
    '',
  ].join('\n');
}

/** Every dev question of one dataset answered by the kit's default answerer (planner off, no threshold), with its support features. */
async function collectRows(kitRoot: string, { dataset, kind }: (typeof FIT_DATASETS)[number]): Promise<SupportRow[]> {
  const kit = await loadProjectConfig(kitRoot);
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-support-'));
  try {
    await writeFile(join(root, CONFIG_FILE), JSON.stringify({ ...kit.config, dataset: resolve(kitRoot, dataset), dataDir: join(dataDir(kit), 'bench', basename(dataset)) }));
    const project = await loadProjectConfig(root, (c) => ({ ...c, planner: { enabled: false }, generator: { ...c.generator, minScore: 0, abstention: undefined } }));
    await ingest(project);
    const pipeline = await loadPipeline(project);
    const evalset = await loadEvalset(projectPaths(project).evalset, new Set(pipeline.corpus.byId.keys()));
    const rows: SupportRow[] = [];
    for (const item of selectItems(evalset, 'dev')) {
      const retrieved = await pipeline.retriever.retrieve(item.question, project.config.retriever.k);
      const answer = await pipeline.answerer.answer(item.question, retrieved);
      if (!answer.support) throw new Error(`${dataset} ${item.id}: the answerer reported no support features (is generator.provider "extractive"?)`);
      rows.push({ dataset, kind, id: item.id, answerable: item.type !== UNANSWERABLE_TYPE, features: answer.support });
    }
    return rows;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const fmt = (c: { auroc: number; lo: number; hi: number }, sign = false) => `${sign && c.auroc >= 0 ? '+' : ''}${c.auroc.toFixed(3)} [${c.lo.toFixed(3)}, ${c.hi.toFixed(3)}]`;

function compare(rows: readonly SupportRow[], model: SupportModel): PairedAuroc {
  return pairedAurocBootstrap(
    rows.map((r) => r.features.sentence),
    rows.map((r) => supportScore(r.features, model)),
    rows.map((r) => r.answerable),
    { resamples: RESAMPLES, seed: SEED },
  );
}

const TARGETS = [0.15, 0.2, 0.25] as const;

/** At the conformal threshold for `target` over `calibration`'s unanswerable scores: `rows`' answerable declined and unanswerable answered. */
function atThreshold(calibration: readonly SupportRow[], rows: readonly SupportRow[], score: (r: SupportRow) => number, target: number): { declined: number; answered: number } {
  const t = conformalThreshold(calibration.filter((r) => !r.answerable).map(score), target);
  if (!t) throw new Error(`too few unanswerable questions for target ${target}`);
  return { declined: rows.filter((r) => r.answerable && score(r) < t.threshold).length, answered: rows.filter((r) => !r.answerable && score(r) >= t.threshold).length };
}

/** The operating points: docs at the fallback (pooled, and each set left out of it), SOTU at its own threshold. */
function operatingPoints(rows: readonly SupportRow[], model: SupportModel): string[] {
  const docs = rows.filter((r) => r.kind === 'docs');
  const speeches = rows.filter((r) => r.kind !== 'docs');
  const docsSets = [...new Set(docs.map((r) => r.dataset))];
  const scores = { before: (r: SupportRow) => r.features.sentence, after: (r: SupportRow) => supportScore(r.features, model) };
  const cell = (points: readonly { declined: number; answered: number }[], of: readonly SupportRow[]) => {
    const declined = points.reduce((s, p) => s + p.declined, 0);
    const answered = points.reduce((s, p) => s + p.answered, 0);
    return `${declined}/${of.filter((r) => r.answerable).length} · ${answered}/${of.filter((r) => !r.answerable).length}`;
  };
  const line = (label: string, of: readonly SupportRow[], points: (score: (r: SupportRow) => number, target: number) => { declined: number; answered: number }[]) =>
    `| ${label} | ${TARGETS.map((t) => `${cell(points(scores.before, t), of)} | ${cell(points(scores.after, t), of)}`).join(' | ')} |`;
  return [
    `Answerable declined · unanswerable answered at the split-conformal threshold for each target (planner off), before → after. Docs: the fallback, pooled over the docs sets' unanswerable questions; "left out": each docs set scored at the threshold of the other two (a new corpus, as a new project meets the fallback), summed. SOTU: its own threshold.`,
    '',
    `| | ${TARGETS.map((t) => `${t} before | ${t} after`).join(' | ')} |`,
    `|---|${TARGETS.map(() => '---|---').join('|')}|`,
    line('docs, pooled fallback', docs, (score, t) => [atThreshold(docs, docs, score, t)]),
    line('docs, each set left out', docs, (score, t) =>
      docsSets.map((d) =>
        atThreshold(
          docs.filter((r) => r.dataset !== d),
          docs.filter((r) => r.dataset === d),
          score,
          t,
        ),
      ),
    ),
    ...(speeches.length > 0 ? [line('SOTU, own threshold', speeches, (score, t) => [atThreshold(speeches, speeches, score, t)])] : []),
    '',
  ];
}

/** The report: the model, then AUROC per dataset before/after, in-sample and with the dataset left out of the fit. */
export function supportReport(rows: readonly SupportRow[], model: SupportModel): string {
  const datasets = [...new Set(rows.map((r) => r.dataset))];
  const table = datasets.map((d) => {
    const own = rows.filter((r) => r.dataset === d);
    const inSample = compare(own, model);
    const heldOut = compare(own, fitSupport(rows.filter((r) => r.dataset !== d)));
    const n = `${own.filter((r) => r.answerable).length}/${own.filter((r) => !r.answerable).length}`;
    return `| ${d} | ${n} | ${fmt(inSample.a)} | ${fmt(inSample.b)} | ${fmt(inSample.diff, true)} | ${fmt(heldOut.b)} | ${fmt(heldOut.diff, true)} |`;
  });
  const pooled = compare(rows, model);
  const weights = SUPPORT_FEATURES.map((f) => `| ${f} | ${model.features[f].mean} | ${model.features[f].sd} | ${model.features[f].weight} |`);
  return [
    '# Support model fit (dev splits only)',
    '',
    `Written by \`npm run fit:support\` (scripts/fit-support.ts). Logistic regression, weights >= 0 on standardised features, L2 ${L2}, each kind of corpus (docs, speeches) and within it each dataset weighing the same; intercept ${model.intercept}.`,
    '',
    '| feature | mean | sd | weight |',
    '|---|---|---|---|',
    ...weights,
    '',
    `AUROC of answerable vs unanswerable dev questions (planner off), 95% stratified bootstrap intervals (${RESAMPLES} resamples, seed ${SEED}), paired for the gain. Before: the best run's score alone (the old confidence). Held out: the model fitted on the other datasets only.`,
    '',
    '| dataset | answerable/unanswerable | before | after | gain | after, held out | gain, held out |',
    '|---|---|---|---|---|---|---|',
    ...table,
    `| pooled | ${rows.filter((r) => r.answerable).length}/${rows.filter((r) => !r.answerable).length} | ${fmt(pooled.a)} | ${fmt(pooled.b)} | ${fmt(pooled.diff, true)} | | |`,
    '',
    ...operatingPoints(rows, model),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const kitRoot = resolve(import.meta.dirname, '..');
  const rows: SupportRow[] = [];
  for (const source of FIT_DATASETS) {
    process.stderr.write(`answering the dev questions of ${source.dataset}…\n`);
    rows.push(...(await collectRows(kitRoot, source)));
  }
  const model = fitSupport(rows);
  await writeFileAtomic(join(kitRoot, MODEL_FILE), supportModelSource(model, FITTED_ON));
  const report = supportReport(rows, model);
  await writeFileAtomic(join(kitRoot, REPORT_FILE), report);
  process.stdout.write(report);
  if (process.env.SUPPORT_ROWS) await writeFileAtomic(process.env.SUPPORT_ROWS, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
}
