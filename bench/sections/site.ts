import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { loadEvalset } from '../../evals/evalset.ts';
import { hitAtK, ndcgAtK, reciprocalRankAtK } from '../../evals/metrics/retrieval.ts';
import { fmt, markdownTable } from '../../evals/report/table.ts';
import { rankedPassages } from '../../evals/score.ts';
import { bootstrapCi } from '../../evals/stats/bootstrap.ts';
import { quantile } from '../../evals/stats/quantile.ts';
import { buildDemo, measureFolder } from '../../scripts/publish/demo.ts';
import { serveFolder } from '../../scripts/publish/demo-server.ts';
import { cosine } from '../../starter/answer/similarity.ts';
import { type DemoHook, loadDemoData } from '../../starter/browser/data.ts';
import { createDemoPipeline } from '../../starter/browser/pipeline.ts';
import { BruteForceIndex } from '../../starter/browser/vector-store.ts';
import type { VectorEncoding } from '../../starter/browser/vectors.ts';
import type { ProjectConfig } from '../../starter/config.ts';
import { UseLiteEmbeddings } from '../../starter/embeddings/use-lite.ts';
import { projectPaths } from '../../starter/paths.ts';
import { type AnswerRecord, loadPipeline } from '../../starter/pipeline.ts';
import { timed } from '../machine.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ENCODINGS: VectorEncoding[] = ['int8', 'float32'];
const METRICS = {
  'hit@5': (r: string[], g: string[]) => hitAtK(r, g, 5),
  'mrr@10': (r: string[], g: string[]) => reciprocalRankAtK(r, g, 10),
  'ndcg@10': (r: string[], g: string[]) => ndcgAtK(r, g, 10),
};
type Metric = keyof typeof METRICS;

export interface SiteBuild {
  encoding: VectorEncoding;
  buildSeconds: number;
  files: number;
  bytes: number;
  /** Bytes by part of the site: model weights, data (corpus + vectors), code (bundle + wasm), page. */
  parts: Record<string, number>;
  /** app.js and the JSON files gzip well; the model shards and vectors barely do. */
  gzipBytes: number;
  /** Questions whose answer and citations equal the app's, out of `questions` (Node, same embedder). */
  sameAnswers: number;
  questions: number;
  /** Mean of each retrieval metric and the paired difference from the app's, with a 95% bootstrap CI. */
  metrics: Record<Metric, { mean: number; diff: number; ci95: [number, number] }>;
}

export interface SiteBench {
  builds: SiteBuild[];
  appMetrics: Record<Metric, number>;
  /** Questions with gold passages (the metrics' n). */
  judged: number;
  browser?: {
    encoding: VectorEncoding;
    /** From navigation to the first answer shown, asking as soon as the page says it is ready. */
    firstAnswerMs: number;
    readyMs: number;
    pageLoadMs: number;
    pageBuildMs: number;
    pageModelMs: number;
    queries: number;
    /** The pipeline's own latency in the page, and click → answer shown. */
    browserP50Ms: number;
    browserP95Ms: number;
    clickP50Ms: number;
    clickP95Ms: number;
    /** Query vectors from the page's model against Node's, over the same questions. */
    minCosine: number;
    maxAbsDiff: number;
  };
  appAskP50Ms: number;
  appAskP95Ms: number;
  /** Brute-force search time in Node (the page runs the same V8 code) by corpus size, 512-d. */
  bruteForce: { vectors: number; p50Ms: number; int8MB: number; float32MB: number }[];
  notes: string[];
}

/**
 * The demo site: its size per vector encoding, what int8 vectors do to answers and retrieval metrics, and
 * in headless Chromium from a loopback server the time to a first answer and per-query latency, beside the
 * app's own ask latency on the same questions in the same run.
 */
export async function benchSite(project: ProjectConfig, options: { queries: number }): Promise<SiteBench> {
  const root = await mkdtemp(join(tmpdir(), 'ragfolio-bench-site-'));
  const notes: string[] = [];
  try {
    const app = await loadPipeline(project);
    const evalset = await loadEvalset(projectPaths(project).evalset, new Set(app.corpus.byId.keys()));
    const items = evalset.items.filter((i) => i.status !== 'draft');
    const depth = 10;
    const appRecords: AnswerRecord[] = [];
    for (const item of items) appRecords.push(await app.ask(item.question, { depth }));
    const judged = items.flatMap((item, i) => (item.gold.length > 0 ? [{ gold: item.gold, app: rankedPassages(appRecords[i]?.retrieved ?? []) }] : []));
    const appMetrics = Object.fromEntries(Object.entries(METRICS).map(([m, f]) => [m, mean(judged.map((j) => f(j.app, j.gold)))])) as Record<Metric, number>;

    const node = new UseLiteEmbeddings();
    const builds: SiteBuild[] = [];
    for (const encoding of ENCODINGS) {
      const out = join(root, encoding);
      const built = await timed(() => buildDemo(project, out, { encoding }));
      const { byFile } = await measureFolder(join(out, 'demo'));
      const parts: Record<string, number> = {};
      let gzipBytes = 0;
      for (const [file, bytes] of byFile) {
        const part = file.startsWith('model/') ? 'model' : file.startsWith('data/') ? 'data' : file.startsWith('wasm/') || file.startsWith('app.js') ? 'code' : 'page';
        parts[part] = (parts[part] ?? 0) + bytes;
        gzipBytes += gzipSync(await readFile(join(out, 'demo', file))).byteLength;
      }
      const demo = createDemoPipeline(await loadDemoData((f) => readFile(join(out, 'demo', f))), node);
      let sameAnswers = 0;
      const ranked: string[][] = [];
      for (const [i, item] of items.entries()) {
        const r = await demo.ask(item.question, { depth });
        const a = appRecords[i];
        if (a && r.answer === a.answer && r.citations.join() === a.citations.join()) sameAnswers++;
        if (item.gold.length > 0) ranked.push(rankedPassages(r.retrieved));
      }
      const metrics = Object.fromEntries(
        Object.entries(METRICS).map(([m, f]) => {
          const diffs = judged.map((j, i) => f(ranked[i] ?? [], j.gold) - f(j.app, j.gold));
          const ci = bootstrapCi(diffs);
          return [m, { mean: mean(judged.map((j, i) => f(ranked[i] ?? [], j.gold))), diff: ci.mean, ci95: [ci.lo, ci.hi] }];
        }),
      ) as SiteBuild['metrics'];
      builds.push({ encoding, buildSeconds: built.ms / 1000, files: built.value.files, bytes: built.value.bytes, parts, gzipBytes, sameAnswers, questions: items.length, metrics });
    }

    const questions = items.slice(0, options.queries).map((i) => i.question);
    const appLatencies: number[] = [];
    for (const q of questions) appLatencies.push((await app.ask(q)).latencyMs);
    const browser = existsSync(CHROMIUM) ? await benchBrowser(join(root, 'int8'), questions, node) : undefined;
    if (!browser) notes.push(`no Chromium at ${CHROMIUM}: browser timings skipped`);
    return {
      builds,
      appMetrics,
      judged: judged.length,
      ...(browser ? { browser: { encoding: 'int8' as const, ...browser } } : {}),
      appAskP50Ms: quantile(appLatencies, 0.5),
      appAskP95Ms: quantile(appLatencies, 0.95),
      bruteForce: await benchBruteForce([1_764, 10_000, 50_000, 100_000], 512),
      notes,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function benchBrowser(site: string, questions: readonly string[], node: UseLiteEmbeddings): Promise<Omit<NonNullable<SiteBench['browser']>, 'encoding'>> {
  const server = await serveFolder(site);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const origin = new URL(server.url).origin;
    await page.route('**', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient')));
    const first = questions[0] ?? 'What did the 1991 address say about Kuwait?';
    const started = performance.now();
    await page.goto(new URL('demo/', server.url).href);
    await page.locator('body[data-state="ready"]').waitFor({ timeout: 300_000 });
    const readyMs = performance.now() - started;
    await page.getByRole('textbox', { name: 'Question' }).fill(first);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('body[data-answered="1"]').waitFor();
    const firstAnswerMs = performance.now() - started;
    const hook = () => page.evaluate(() => (window as unknown as { ragfolioDemo: DemoHook }).ragfolioDemo.timings);
    const { loadMs, buildMs, modelMs } = await hook();

    const inPage: number[] = [];
    const click: number[] = [];
    let minCosine = 1;
    let maxAbsDiff = 0;
    for (const [i, q] of questions.entries()) {
      const t = performance.now();
      await page.getByRole('textbox', { name: 'Question' }).fill(q);
      await page.getByRole('button', { name: 'Ask', exact: true }).click();
      await page.locator(`body[data-answered="${i + 2}"]`).waitFor();
      click.push(performance.now() - t);
      inPage.push(Number(await page.locator('#answer-meta').getAttribute('data-ms')));
      const [b, n] = await Promise.all([page.evaluate((text) => (window as unknown as { ragfolioDemo: DemoHook }).ragfolioDemo.embedQuery(text), q), node.embedQuery(q)]);
      minCosine = Math.min(minCosine, cosine(b, n));
      maxAbsDiff = Math.max(maxAbsDiff, ...b.map((x, j) => Math.abs(x - (n[j] ?? 0))));
    }
    return {
      firstAnswerMs,
      readyMs,
      pageLoadMs: loadMs,
      pageBuildMs: buildMs,
      pageModelMs: modelMs,
      queries: questions.length,
      browserP50Ms: quantile(inPage, 0.5),
      browserP95Ms: quantile(inPage, 0.95),
      clickP50Ms: quantile(click, 0.5),
      clickP95Ms: quantile(click, 0.95),
      minCosine,
      maxAbsDiff,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Exact search over n random unit vectors: the page's cost per query grows linearly with the corpus. */
async function benchBruteForce(sizes: readonly number[], dims: number): Promise<SiteBench['bruteForce']> {
  let seed = 1;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const out: SiteBench['bruteForce'] = [];
  for (const n of sizes) {
    const index = new BruteForceIndex(Float32Array.from({ length: n * dims }, random), dims);
    const times: number[] = [];
    for (let q = 0; q < 20; q++) {
      const query = Array.from({ length: dims }, random);
      const t = performance.now();
      await index.search(query, 100);
      times.push(performance.now() - t);
    }
    out.push({ vectors: n, p50Ms: quantile(times, 0.5), int8MB: (n * (dims + 4)) / 2 ** 20, float32MB: (n * dims * 4) / 2 ** 20 });
  }
  return out;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** The section's lines for bench/results/latest.md. */
export function siteMarkdown(r: SiteBench): string[] {
  const mb = (bytes: number) => `${fmt(bytes / 2 ** 20, 1)} MB`;
  const b = r.browser;
  const app = `the app's \`ask\` on the same questions p50 ${fmt(r.appAskP50Ms, 1)} ms · p95 ${fmt(r.appAskP95Ms, 1)} ms`;
  return [
    '## Static demo site (`ragfolio publish`): size, int8 vectors, latency in headless Chromium',
    '',
    markdownTable({
      header: ['vectors', 'site size (gzip)', 'model / data / code', 'build', 'answers = app', ...Object.keys(r.appMetrics).map((m) => `${m} − app [95% CI]`)],
      rows: r.builds.map((x) => [
        x.encoding,
        `${mb(x.bytes)} (${mb(x.gzipBytes)})`,
        `${mb(x.parts.model ?? 0)} / ${mb(x.parts.data ?? 0)} / ${mb(x.parts.code ?? 0)}`,
        `${fmt(x.buildSeconds, 1)} s`,
        `${x.sameAnswers}/${x.questions}`,
        ...Object.values(x.metrics).map((m) => `${m.diff >= 0 ? '+' : ''}${fmt(m.diff, 4)} [${fmt(m.ci95[0], 4)}, ${fmt(m.ci95[1], 4)}]`),
      ]),
    }),
    '',
    `App metrics (hnswlib, n = ${r.judged} judged questions): ${Object.entries(r.appMetrics)
      .map(([m, v]) => `${m} ${fmt(v, 4)}`)
      .join(', ')}. The page searches exactly (brute force), the app approximately (hnswlib), so small differences are expected even with float32.`,
    '',
    b
      ? `Chromium, ${b.encoding} site on a loopback server: ready ${fmt(b.readyMs / 1000, 2)} s after navigation (in the page: data ${fmt(b.pageLoadMs / 1000, 2)} s, then BM25 and the rest ${fmt(b.pageBuildMs, 0)} ms, model ready ${fmt(b.pageModelMs / 1000, 2)} s after the script started), first answer ${fmt(b.firstAnswerMs / 1000, 2)} s. ` +
        `Per query (${b.queries} eval questions): in the page p50 ${fmt(b.browserP50Ms, 1)} ms · p95 ${fmt(b.browserP95Ms, 1)} ms; click to answer shown p50 ${fmt(b.clickP50Ms, 1)} ms · p95 ${fmt(b.clickP95Ms, 1)} ms; ${app}. ` +
        `Query vectors, page vs Node: min cosine ${fmt(b.minCosine, 6)}, max |Δ| ${b.maxAbsDiff}.`
      : `${r.notes.join('; ')}; ${app}.`,
    '',
    markdownTable({
      header: ['vectors (512-d)', 'brute-force query p50 (Node V8)', 'int8 download', 'float32 in memory'],
      rows: r.bruteForce.map((x) => [String(x.vectors), `${fmt(x.p50Ms, 1)} ms`, mb(x.int8MB * 2 ** 20), mb(x.float32MB * 2 ** 20)]),
    }),
    '',
  ];
}
