import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLatestRunReader } from '../../evals/latest-run.ts';
import { configSchema, type ProjectConfig } from '../../starter/config.ts';
import { UserError } from '../../starter/errors.ts';
import type { Pipeline } from '../../starter/pipeline.ts';
import { MAX_QUESTION_CHARS } from '../../starter/pipeline.ts';
import { type AskResponse, createApp, describeScores, MAX_BODY_BYTES } from '../../starter/server/app.ts';
import { type RunningServer, startServer } from '../../starter/server/start.ts';
import { fixtureRun, loadKit, parseSse, postJson, serveApp } from './helpers.ts';
import { parsePrometheus, sampleValue } from './prometheus.ts';

let project: ProjectConfig;
let pipeline: Pipeline;
let server: RunningServer;
const servers: RunningServer[] = [];
const dirs: string[] = [];
const QUESTION = 'What did the 1991 address say about Kuwait?';

beforeAll(async () => {
  ({ project, pipeline } = await loadKit());
  server = await serveApp(pipeline, project);
  servers.push(server);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ragfolio-serve-'));
  dirs.push(dir);
  return dir;
};

describe('POST /api/ask', () => {
  it('answers with citations that carry the passage text, scores and latency', async () => {
    const response = await postJson(server.url, '/api/ask', { question: QUESTION, k: 3 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as AskResponse;
    expect(body.answer).toMatch(/Kuwait/);
    expect(body.citations.length).toBeGreaterThan(0);
    for (const c of body.citations) {
      expect(c.text).toBe(pipeline.corpus.byId.get(c.id)?.text);
      expect(body.answer).toContain(`[${c.id}]`);
      // The page shows the answer as rendered Markdown, each citation a button that opens the passage.
      expect(body.answerHtml).toContain(`data-passage="${c.id}"`);
    }
    expect(body.answerHtml.startsWith('<p>')).toBe(true);
    expect(body.retrieved).toHaveLength(3);
    expect(body.retrieved.every((r) => typeof r.score === 'number' && r.passageIds.length > 0 && r.title.length > 0)).toBe(true);
    expect(body.latencyMs).toBeGreaterThan(0);
    expect(body.generator).toBe('extractive');
  });

  it('carries the short answer `ragfolio ask` prints first (who, when, how many)', async () => {
    const question = 'How many new jobs did Clinton say the economy had created by 2000?';
    const expected = (await pipeline.ask(question)).short;
    expect(expected).toBeTruthy();
    const body = (await (await postJson(server.url, '/api/ask', { question })).json()) as AskResponse;
    expect(body.short).toBe(expected);
  });

  it('sends the whole extractive answer as one SSE event when asked for a stream', async () => {
    const response = await postJson(server.url, '/api/ask', { question: QUESTION }, { accept: 'text/event-stream' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['done']);
    const done = events[0]?.data as AskResponse;
    expect(done.citations[0]?.text.length).toBeGreaterThan(0);
    expect(done.retrieved).toHaveLength(project.config.retriever.k);
  });

  it('rejects malformed JSON with 400 and a clear message', async () => {
    const response = await postJson(server.url, '/api/ask', '{"question": "unterminated');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('bad_json');
    expect(body.message).toMatch(/not valid JSON/);
  });

  it('rejects a body over the size cap with 413', async () => {
    const response = await postJson(server.url, '/api/ask', { question: 'x'.repeat(MAX_BODY_BYTES + 10) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: string }).error).toBe('payload_too_large');
  });

  it('rejects a question over MAX_QUESTION_CHARS with 400', async () => {
    const response = await postJson(server.url, '/api/ask', { question: 'why '.repeat(MAX_QUESTION_CHARS / 4 + 1) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_request');
    expect(body.message).toContain(String(MAX_QUESTION_CHARS));
  });

  it.each([
    [{}, /question must be a string/],
    [{ question: '   ' }, /empty/],
    [{ question: 'Kuwait?', k: 0 }, /k must be at least 1/],
    [{ question: 'Kuwait?', k: 2.5 }, /whole number/],
    [[1, 2], /JSON object/],
  ])('validates the body with zod: %j → 400', async (body, message) => {
    const response = await postJson(server.url, '/api/ask', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
  });

  it('wants JSON (415 otherwise) and POST (405 otherwise)', async () => {
    const form = await fetch(new URL('/api/ask', server.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"question":"x"}' });
    expect(form.status).toBe(415);
    const get = await fetch(new URL('/api/ask', server.url));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once the bucket is empty, and refills with time', async () => {
    let now = 0;
    const limited = await serveApp(pipeline, project, { rateLimit: { capacity: 3, refillPerSecond: 0.5, now: () => now } });
    servers.push(limited);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(new URL('/api/passages/1991-bush-025', limited.url))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await postJson(limited.url, '/api/ask', { question: QUESTION });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(((await refused.json()) as { error: string }).error).toBe('rate_limited');
    // The health check stays outside the limit (load balancers poll it).
    expect((await fetch(new URL('/api/health', limited.url))).status).toBe(200);
    now += 2_000;
    expect((await fetch(new URL('/api/passages/1991-bush-025', limited.url))).status).toBe(200);
  });
});

describe('other routes', () => {
  it('GET /api/health', async () => {
    const response = await fetch(new URL('/api/health', server.url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { scores: string };
    expect(body).toMatchObject({ status: 'ok', passages: pipeline.corpus.passages.length, retriever: project.config.retriever.kind, generator: 'extractive', streaming: false });
    // What the page says the scores are follows the configured fusion, not a fixed label.
    expect(body.scores).toBe(describeScores(project.config.retriever));
  });

  it('describeScores names the configured fusion and normalisation', () => {
    const hybrid = (fusion: object) => configSchema.parse({ retriever: { kind: 'hybrid', fusion } }).retriever;
    expect(describeScores(hybrid({ method: 'convex', normalization: 'zscore', alpha: 0.3 }))).toMatch(/^A convex combination of z-scored dense and BM25 scores \(dense share 0\.3\)/);
    expect(describeScores(hybrid({ method: 'rrf' }))).toMatch(/^Reciprocal-rank-fusion scores/);
    expect(describeScores(hybrid({ method: 'rerank', normalization: 'minmax' }))).toMatch(/^BM25's candidates re-ranked .*min-max normalised/);
    expect(describeScores(configSchema.parse({ retriever: { kind: 'dense' } }).retriever)).toMatch(/^Cosine similarity/);
  });

  it('GET /api/passages/:id returns the passage; an unknown id is a 404 with a hint', async () => {
    const ok = await fetch(new URL('/api/passages/1991-bush-025', server.url));
    expect(await ok.json()).toMatchObject({ id: '1991-bush-025', text: pipeline.corpus.byId.get('1991-bush-025')?.text });
    const missing = await fetch(new URL('/api/passages/no-such-passage', server.url));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found', hint: expect.stringMatching(/citations/) });
  });

  it('GET /api/eval/latest: the newest readable run with CIs, or a 404 with a hint', async () => {
    const runs = await tempDir();
    const app = (dir: string) => createApp({ pipeline, settings: { k: 5, retriever: 'hybrid' }, readLatestRun: createLatestRunReader(dir), rateLimit: false });
    const empty = await app(runs).request('/api/eval/latest');
    expect(empty.status).toBe(404);
    expect(await empty.json()).toMatchObject({ error: 'no_runs', hint: expect.stringMatching(/ragfolio eval/) });

    await writeFile(join(runs, '20260101-000000-old.json'), JSON.stringify(fixtureRun('old')));
    await writeFile(join(runs, '20260102-000000-new.json'), JSON.stringify(fixtureRun('new')));
    await writeFile(join(runs, '20260103-000000-broken.json'), '{"version": 1');
    const latest = await app(runs).request('/api/eval/latest');
    expect(latest.status).toBe(200);
    const body = (await latest.json()) as { label: string; metrics: Record<string, { mean: number; ci95: number[]; n: number; mde: number }> };
    expect(body.label).toBe('new');
    // Report order: retrieval metrics before answer metrics.
    expect(Object.keys(body.metrics)).toEqual(['hit@5', 'mrr@10', 'f1']);
    expect(body.metrics['hit@5']).toEqual({ mean: 0.8, ci95: [0.68, 0.9], n: 40, mde: 0.21 });
  });

  it('serves the page and its assets from this origin, with a CSP', async () => {
    const page = await fetch(server.url);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<label for="question">');
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['/app.js', '/style.css']) expect((await fetch(new URL(asset, server.url))).status).toBe(200);
  });

  it('unknown routes are a JSON 404', async () => {
    const response = await fetch(new URL('/api/nope', server.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('GET /metrics is valid Prometheus text and counts requests by route and status', async () => {
    const read = async () => parsePrometheus(await (await fetch(new URL('/metrics', server.url))).text());
    const before = await read();
    const labels = { method: 'GET', route: '/api/passages/:id', status: '404' };
    const count = (s: typeof before.samples) => sampleValue(s, 'ragfolio_http_requests_total', labels) ?? 0;
    await fetch(new URL('/api/passages/missing-1', server.url));
    await fetch(new URL('/api/passages/missing-2', server.url));
    const after = await read();
    expect(count(after.samples) - count(before.samples)).toBe(2);
    expect(after.types.get('ragfolio_http_request_duration_seconds')).toBe('histogram');
    expect(after.types.get('ragfolio_http_errors_total')).toBe('counter');
    expect(sampleValue(after.samples, 'ragfolio_http_request_duration_seconds_count', { route: '/api/passages/:id' })).toBeGreaterThanOrEqual(2);
    expect(sampleValue(after.samples, 'ragfolio_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(after.samples, 'ragfolio_answer_duration_seconds_count', { mode: 'json' })).toBeGreaterThanOrEqual(1);
  });
});

describe('errors', () => {
  it("the model server's failure (a UserError) gives a generic 502; its one-line reason goes to the log", async () => {
    const reason = 'OpenAI-compatible server at http://127.0.0.1:9/v1 did not answer within 100 ms (1 attempt). Check that the server is up.';
    const failing = { ...pipeline, ask: () => Promise.reject(new UserError(reason)) };
    const lines: string[] = [];
    const app = createApp({ pipeline: failing, settings: { k: 5, retriever: 'hybrid' }, readLatestRun: async () => undefined, rateLimit: false, log: (l) => lines.push(l) });
    const response = await app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: QUESTION }) });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: 'upstream', message: expect.stringMatching(/model server/) });
    expect(text).not.toContain('127.0.0.1');
    expect(lines).toEqual([`POST /api/ask failed upstream: ${reason}`]);
  });

  it('a failing pipeline gives a generic 500: no message, stack or key; details (never the key) only in the verbose log', async () => {
    const secret = 'sk-test-0123456789abcdef';
    const failing = { ...pipeline, ask: () => Promise.reject(new Error(`upstream refused key ${secret} at /srv/secret/path.ts:12`)) };
    for (const verbose of [false, true]) {
      const lines: string[] = [];
      const app = createApp({ pipeline: failing, settings: { k: 5, retriever: 'hybrid' }, readLatestRun: async () => undefined, rateLimit: false, verbose, log: (l) => lines.push(l) });
      const response = await app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: QUESTION }) });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ error: 'internal', message: expect.stringMatching(/Internal error/) });
      expect(text).not.toContain(secret);
      expect(text).not.toMatch(/\bat \/|\.ts:\d+|upstream/);
      expect(lines.join('\n').includes('/srv/secret/path.ts:12')).toBe(verbose);
      expect(lines.join('\n')).not.toContain(secret);
      const metrics = parsePrometheus(await (await app.request('/metrics')).text());
      expect(sampleValue(metrics.samples, 'ragfolio_http_errors_total', { route: '/api/ask' })).toBe(1);
    }
  });
});

describe('startServer', () => {
  it('listens on an ephemeral loopback port and records served.json in the data folder', async () => {
    const dataDir = await tempDir();
    const started = await startServer({ project: { ...project, config: { ...project.config, dataDir } }, pipeline, port: 0, host: '127.0.0.1', readLatestRun: async () => undefined });
    servers.push(started);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(started.port).toBeGreaterThan(0);
    expect((await fetch(new URL('/api/health', started.url))).status).toBe(200);
    expect(JSON.parse(await readFile(join(dataDir, 'served.json'), 'utf8'))).toMatchObject({ url: started.url, generator: 'extractive' });
  });
});
