/**
 * npm run bench [-- --only ingest,eval]
 * Every figure is a pair or ratio measured side by side in this one run (these machines are shared and noisy).
 * Writes bench/results/latest.json and latest.md (latest-<sections>.* when --only picks some sections).
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command } from 'commander';
import type { MetricComparison } from '../evals/compare.ts';
import { fmt, markdownTable } from '../evals/report/table.ts';
import { chunkCorpus, searchText } from '../starter/chunk.ts';
import { datasetDir, findProjectRoot, loadProjectConfig } from '../starter/config.ts';
import { loadCorpus } from '../starter/corpus.ts';
import { EmbeddingCache } from '../starter/embeddings/cache.ts';
import { loadShippedEmbeddings } from '../starter/embeddings/shipped.ts';
import { USE_LITE_MODEL_ID } from '../starter/embeddings/use-lite.ts';
import { writeFileAtomic, writeJsonAtomic } from '../starter/fs-atomic.ts';
import { projectPaths } from '../starter/paths.ts';
import { machineInfo } from './machine.ts';
import { ANSWER_METRICS, type AnswerBench, benchAnswers, VARIANTS } from './sections/answers.ts';
import { BEIR_METRICS, benchBeir, benchBundledRetrievers, type RetrieverBench } from './sections/beir.ts';
import { benchCli } from './sections/cli.ts';
import { benchEvalThroughput, type EvalThroughputBench } from './sections/eval-throughput.ts';
import { benchExperimentGrid, experimentGridMarkdown } from './sections/experiment-grid.ts';
import { benchIngest } from './sections/ingest.ts';
import { benchScaling } from './sections/scaling.ts';
import { benchServeLoad } from './sections/serve-load.ts';
import { benchSite, siteMarkdown } from './sections/site.ts';
import { benchVectorSearch } from './sections/vector-search.ts';

const SECTIONS = ['cli', 'ingest', 'eval', 'vectors', 'retrievers', 'answers', 'serve', 'scaling', 'experimentGrid', 'site'] as const;
type Section = (typeof SECTIONS)[number];

const options = new Command()
  .option('--only <sections>', `comma-separated: ${SECTIONS.join(',')}`, SECTIONS.join(','))
  .option('--cases <n>', 'eval throughput cases', '200')
  .option('--beir <folder>', 'also score bm25/dense/hybrid on a BEIR-format folder')
  .parse()
  .opts<{ only: string; cases: string; beir?: string }>();
const only = new Set(options.only.split(',') as Section[]);
const project = await loadProjectConfig(findProjectRoot(process.cwd()));
const results: Record<string, unknown> = { machine: machineInfo(), startedAt: new Date().toISOString() };
const md: string[] = [`# Benchmarks (${results.startedAt})`, '', `Machine: ${JSON.stringify(results.machine)}`, ''];

if (only.has('cli')) {
  process.stderr.write('cli: --help, ask and eval as new processes against node -e 0…\n');
  const r = await benchCli(project);
  results.cli = r;
  md.push(
    `## CLI start-up: each command as a new process (median of ${r.rounds} rounds; ratio to \`node -e 0\` in the same round)`,
    '',
    markdownTable({
      header: ['command', 'median', '× node -e 0'],
      rows: [['node -e 0', `${fmt(r.nodeSeconds, 2)} s`, '1.0'], ...r.commands.map((c) => [c.name, `${fmt(c.medianSeconds, 2)} s`, fmt(c.overNode, 1)])],
    }),
    '',
    `The first command after a clean checkout builds the CLI into .ragfolio/cli/ once: ${fmt(r.firstRunSeconds, 2)} s for \`--help\`. "tsx, no build" runs the same TypeScript entry compiled file by file on load.`,
    '',
  );
}

if (only.has('ingest')) {
  process.stderr.write('ingest: cold, warm, ask latency…\n');
  const r = await benchIngest(project);
  results.ingest = r;
  md.push(
    '## Ingest and query (bundled dataset)',
    '',
    markdownTable({
      header: ['measure', 'value'],
      rows: [
        ['passages', String(r.passages)],
        ['cold ingest (empty embedding cache)', `${fmt(r.coldSeconds, 1)} s · ${fmt(r.coldPassagesPerSecond, 1)} passages/s`],
        ['first ingest from the shipped vectors (empty cache)', `${fmt(r.shippedSeconds, 2)} s (${fmt((r.shippedSeconds / r.coldSeconds) * 100, 1)}% of cold)`],
        ['warm re-ingest (cache full, index rebuilt)', `${fmt(r.warmSeconds, 2)} s (${fmt(r.warmOverCold * 100, 1)}% of cold)`],
        ['ingest when up to date', `${fmt(r.upToDateSeconds, 2)} s`],
        [`ask, offline, after warm-up (${r.askQueries} eval questions)`, `p50 ${fmt(r.askP50Ms, 1)} ms · p95 ${fmt(r.askP95Ms, 1)} ms`],
      ],
    }),
    '',
  );
}

function throughputRow(name: string, x: EvalThroughputBench['ours'], overheadMs: number): string[] {
  return [name, fmt(x.questionsPerSecond, 1), `${fmt(x.evalMs / 1000, 2)} s`, `${fmt(overheadMs, 1)} ms`, `${fmt(x.wallMs / 1000, 2)} s`, `${fmt(x.maxRssMB, 0)} MB`];
}

if (only.has('eval')) {
  // The project's retriever, and BM25 alone: without the ~20 ms query embedding, what remains is mostly the harnesses.
  const kinds = [...new Set([project.config.retriever.kind, 'bm25' as const])];
  const throughput: EvalThroughputBench[] = [];
  results.evalThroughput = throughput;
  md.push(`## Eval throughput: \`ragfolio eval\` vs \`promptfoo eval\` (${options.cases} cases, same pipeline, concurrency 1)`, '');
  for (const kind of kinds) {
    process.stderr.write(`eval throughput (${kind}): ours vs promptfoo…\n`);
    const r = await benchEvalThroughput(project, Number(options.cases), kind);
    throughput.push(r);
    md.push(
      `### Retriever: ${kind}${kind === project.config.retriever.kind ? ' (the project default)' : ''}`,
      '',
      markdownTable({
        header: ['harness', 'questions/s', 'eval time', 'beyond the pipeline, per case', 'process wall time', 'peak RSS'],
        rows: [throughputRow('ours', r.ours, r.overheadMsPerCase.ours), throughputRow('promptfoo', r.promptfoo, r.overheadMsPerCase.promptfoo), throughputRow('pipeline alone (floor)', r.pipeline, 0)],
      }),
      '',
      `ours is **${fmt(r.speedup, 1)}×** faster on eval time (${fmt(r.wallSpeedup, 1)}× on process wall time) and uses ${fmt(1 / r.memoryRatio, 2)}× promptfoo's peak memory. ` +
        `Both harnesses run the same pipeline once per case, one case at a time, so no such harness can beat promptfoo by more than ${fmt(r.speedupCeiling, 1)}× here ` +
        `(promptfoo's eval time / the pipeline alone; two worker threads on this 2-core machine could at most double it). ` +
        overheadSentence(r.overheadMsPerCase),
      '',
    );
  }
}

/** Compare what each harness adds to the pipeline; a negative cost is run-to-run noise, and a ratio to it means nothing. */
function overheadSentence(overhead: { ours: number; promptfoo: number }): string {
  if (overhead.ours <= 0) {
    return `Ours measured faster than the pipeline alone (${fmt(overhead.ours, 1)} ms a case): what ours adds is below this run's noise, so no ratio to promptfoo's ${fmt(overhead.promptfoo, 1)} ms is given.`;
  }
  return `Beyond the pipeline, promptfoo costs ${fmt(overhead.promptfoo / overhead.ours, 1)}× what ours does per case (ours includes scoring, 10k-resample CIs on every metric and checkpoints).`;
}

if (only.has('vectors')) {
  process.stderr.write('vector search: hnswlib vs pgvector (PGlite) vs MemoryVectorStore at matched recall…\n');
  const paths = projectPaths(project);
  const corpus = await loadCorpus(paths.corpus);
  // The vectors ingest stored in the embedding cache or read from the shipped ones: this section embeds nothing.
  const shipped = await loadShippedEmbeddings(datasetDir(project), USE_LITE_MODEL_ID);
  const cache = await EmbeddingCache.open(paths.embeddingCache(USE_LITE_MODEL_ID), USE_LITE_MODEL_ID, { seed: shipped?.ok ? shipped.shipped : undefined });
  const bundled = (await chunkCorpus(corpus.passages, project.config.chunk)).map((c) => cache.get(searchText(c)) ?? []).filter((v) => v.length > 0);
  const r = await benchVectorSearch(bundled, { queries: 200, seed: 1, targetRecall: 0.95 });
  results.vectorSearch = r;
  md.push(
    `## Vector search at matched recall: ${r.queries} held-out bundled vectors querying the other ${r.vectors} (${r.dims}-d)`,
    '',
    markdownTable({
      header: ['store', 'setting', `recall@10 (target ${r.targetRecall})`, 'build', 'query p50', 'query p95', 'index size', 'memory added'],
      rows: r.stores.map((x) => [
        x.store,
        x.knob ? `${x.knob.name} ${x.knob.value}${x.reached ? '' : ' (target not reached)'}` : 'exact',
        fmt(x.recallAt10),
        `${fmt(x.buildMs / 1000, 2)} s${x.startupMs === undefined ? '' : ` (+ ${fmt(x.startupMs / 1000, 1)} s to create the database)`}`,
        `${fmt(x.p50Ms, 2)} ms`,
        `${fmt(x.p95Ms, 2)} ms`,
        x.indexBytes === undefined ? '—' : `${fmt(x.indexBytes / 2 ** 20, 1)} MB`,
        `${fmt(x.memoryMb, 0)} MB`,
      ]),
    }),
    '',
    'Each approximate store is swept upwards (hnswlib `ef`, pgvector `hnsw.ef_search`) to the first setting whose recall@10 against the exact store reaches the target; both graphs are built with M=16, ef_construction=200. pgvector runs in PGlite (Postgres compiled to WebAssembly) in this process, queried through the app\'s own store (a transaction per query); a native Postgres server was not measured here. "Memory added" is the growth of the process\'s resident set over the build (PGlite included; MemoryVectorStore keeps the arrays it is given, so it adds little), a rough figure.',
    '',
  );
}

function retrieverTable(r: RetrieverBench): string {
  const rows = Object.entries(r.results).map(([kind, metrics]) => [
    kind,
    ...BEIR_METRICS.map((m) => (metrics[m] ? `${fmt(metrics[m].mean)} ${`[${fmt(metrics[m].ci95[0])}, ${fmt(metrics[m].ci95[1])}]`}` : '—')),
  ]);
  const paired = r.defaultVsBm25.map((m) => `${m.metric} ${m.diff >= 0 ? '+' : ''}${fmt(m.diff)} [${fmt(m.ci95[0])}, ${fmt(m.ci95[1])}], Holm p = ${fmt(m.pAdjusted, 4)} (${m.verdict})`).join('; ');
  const fusion = r.defaultRetriever.kind === 'hybrid' ? ` (${JSON.stringify(r.defaultRetriever.fusion)})` : '';
  return `${markdownTable({ header: ['retriever', ...BEIR_METRICS], rows })}\n\n\`default\` is the shipped config's retriever: ${r.defaultRetriever.kind}${fusion}. default vs bm25, paired on the same questions (n = ${r.defaultVsBm25[0]?.n ?? 0}): ${paired}.\n`;
}

if (only.has('retrievers')) {
  process.stderr.write('retrievers on the bundled eval set…\n');
  const r = await benchBundledRetrievers(project);
  results.retrievers = r;
  md.push('## Retrievers on the bundled eval set (all answerable questions; mean [95% bootstrap CI])', '', retrieverTable(r));
}

if (options.beir) {
  process.stderr.write(`BEIR folder ${options.beir}…\n`);
  const r = await benchBeir(options.beir, project.config.retriever);
  results.beir = r;
  md.push(`## BEIR: ${r.folder} (${r.documents} documents, ${r.questions} judged test queries)`, '', retrieverTable(r), ...r.notes.map((n) => `Note: ${n}.`), '');
}

if (only.has('answers')) {
  // The bundled speeches and every bundled docs collection, each as its own project would see it.
  const datasets = [
    datasetDir(project),
    ...readdirSync(join(project.root, 'datasets'))
      .filter((d) => existsSync(join(project.root, 'datasets', d, 'source')))
      .map((d) => join(project.root, 'datasets', d)),
  ];
  const answers: AnswerBench[] = [];
  results.answers = answers;
  md.push('## Answers: the default vs BM25 alone vs the naive first version, per bundled dataset (dev and test)', '');
  for (const dataset of datasets) {
    process.stderr.write(`answers: ${basename(dataset)} (default, bm25, naive; dev and test)…\n`);
    const r = await benchAnswers(project, dataset);
    answers.push(r);
    const cell = (m: { mean: number; ci95: [number, number]; n: number } | undefined) => (m ? `${fmt(m.mean, 3)} [${fmt(m.ci95[0], 3)}, ${fmt(m.ci95[1], 3)}] (n ${m.n})` : '–');
    const diff = (c: MetricComparison | undefined) =>
      c ? `${c.diff >= 0 ? '+' : ''}${fmt(c.diff, 3)} [${fmt(c.ci95[0], 3)}, ${fmt(c.ci95[1], 3)}] p=${c.pAdjusted < 0.001 ? '<0.001' : fmt(c.pAdjusted, 3)}` : '–';
    md.push(
      `### ${basename(dataset)}`,
      '',
      `Thresholds: ${VARIANTS.map((v) => `${v} ${fmt(r.thresholds[v].minScore, 4)} (${r.thresholds[v].how})`).join('; ')}.`,
      '',
      markdownTable({
        header: ['variant', 'split', ...ANSWER_METRICS],
        rows: VARIANTS.flatMap((v) => (['dev', 'test'] as const).map((s) => [v, s, ...ANSWER_METRICS.map((m) => cell(r.results[v][s][m]))])),
      }),
      '',
      markdownTable({
        header: ['default minus', 'split', ...ANSWER_METRICS],
        rows: (['dev', 'test'] as const).flatMap((s) => [
          ['naive', s, ...ANSWER_METRICS.map((m) => diff(r.comparisons[s].vsNaive.find((c) => c.metric === m)))],
          ['bm25', s, ...ANSWER_METRICS.map((m) => diff(r.comparisons[s].vsBm25.find((c) => c.metric === m)))],
        ]),
      }),
      '',
    );
  }
  md.push("Paired bootstrap 95% CIs of the difference; p Holm-adjusted over these four metrics. Thresholds come from each dataset's dev split only; test is read to report.", '');
}

if (only.has('serve')) {
  process.stderr.write('serve: 500 requests, 8 concurrent…\n');
  const r = await benchServeLoad(project, { requests: 500, concurrency: 8 });
  results.serve = r;
  md.push(
    '## HTTP API under load (loopback, `POST /api/ask`)',
    '',
    `${r.requests} requests, ${r.concurrency} concurrent: ${r.errors} errors, p50 ${fmt(r.p50, 1)} ms, p95 ${fmt(r.p95, 1)} ms (client side, including queueing), ${fmt(r.requestsPerSecond, 1)} requests/s.`,
    '',
  );
}

if (only.has('scaling')) {
  process.stderr.write('scaling: 1k, 4k and all passages of the 1790–2021 set, each cold…\n');
  const points = await benchScaling([1000, 4000, 16000]);
  results.scaling = points;
  const first = points[0];
  md.push(
    '## Scaling with corpus size (full 1790–2021 set, first n passages, cold ingest each)',
    '',
    markdownTable({
      header: ['passages', 'cold ingest', 'passages/s', 'vector index', 'ask p50 / p95', 'ingest time vs 1k'],
      rows: points.map((p) => [
        String(p.passages),
        `${fmt(p.coldIngestSeconds, 1)} s`,
        fmt(p.passagesPerSecond, 1),
        `${fmt(p.indexMB, 1)} MB`,
        `${fmt(p.queryP50Ms, 1)} / ${fmt(p.queryP95Ms, 1)} ms`,
        first ? `${fmt(p.coldIngestSeconds / first.coldIngestSeconds, 1)}×` : '—',
      ]),
    }),
    '',
  );
}

if (only.has('experimentGrid')) {
  process.stderr.write(`experiment grid: ours (stage caches) vs promptfoo (one provider per config), ${options.cases} questions, cold then warm…\n`);
  const r = await benchExperimentGrid(project, Number(options.cases));
  results.experimentGrid = r;
  md.push(...experimentGridMarkdown(r));
}

if (only.has('site')) {
  process.stderr.write('site: demo builds (int8, float32), answers vs the app, headless Chromium…\n');
  const r = await benchSite(project, { queries: 30 });
  results.site = r;
  md.push(...siteMarkdown(r));
}

// A run of some sections keeps its own file, so it never overwrites the full run's results.
const dir = join(project.root, 'bench', 'results');
const name = SECTIONS.every((s) => only.has(s)) ? 'latest' : `latest-${[...only].sort().join('-')}`;
await writeJsonAtomic(join(dir, `${name}.json`), results);
await writeFileAtomic(join(dir, `${name}.md`), `${md.join('\n')}\n`);
process.stdout.write(`${md.join('\n')}\n${join(dir, `${name}.md`)}\n`);
