import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { isAbstention } from '../answer/abstention.ts';
import { parseCitations } from '../answer/citations.ts';
import { renderAnswerHtml } from '../answer/render.ts';
import { formatTraceStep, type Trace } from '../answer/trace.ts';
import type { Usage } from '../answer/types.ts';
import type { Config } from '../config.ts';
import type { Corpus } from '../corpus.ts';
import { UserError } from '../errors.ts';
import type { AnswerRecord, Pipeline } from '../pipeline.ts';
import { MAX_QUESTION_CHARS } from '../pipeline.ts';
import { redact } from '../redact.ts';
import type { AnswerStreamer } from './chat-stream.ts';
import { createMetrics, METRICS_CONTENT_TYPE, type ServerMetrics } from './metrics.ts';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.ts';
import { type ReviewSource, reviewLabelInputSchema } from './review.ts';

export const MAX_BODY_BYTES = 16 * 1024;
/** What the page says the retrieved passages' scores are, in the configured retriever's own terms. */
export function describeScores(retriever: Config['retriever']): string {
  if (retriever.kind === 'dense') return 'Cosine similarity of the question and passage embeddings.';
  if (retriever.kind === 'bm25') return 'BM25 scores: compare them within this list only.';
  const f = retriever.fusion;
  const normalised = f.normalization === 'zscore' ? 'z-scored' : 'min-max normalised';
  const merged =
    f.method === 'rrf'
      ? 'Reciprocal-rank-fusion scores of dense and BM25 retrieval'
      : f.method === 'convex'
        ? `A convex combination of ${normalised} dense and BM25 scores (dense share ${f.alpha})`
        : `BM25's candidates re-ranked by a convex combination of ${normalised} dense and BM25 scores (dense share ${f.alpha})`;
  return `${merged}: compare them within this list only.`;
}

/** A public endpoint bounds the work one request can ask for; the CLI allows up to 100. */
export const MAX_K = 20;
const REVIEW_HINT = "Labelling writes the project's files, so it runs on loopback only: `ragfolio review [run]`, or `ragfolio serve` on 127.0.0.1.";
export const DEFAULT_RATE_LIMIT = { capacity: 30, refillPerSecond: 0.5 } as const;

/** The part of a loaded pipeline the server uses (tests inject a failing one). */
export type ServedPipeline = Pick<Pipeline, 'ask' | 'corpus' | 'retriever' | 'answerer'>;

export interface AppDeps {
  pipeline: ServedPipeline;
  /**
   * From the project config: the default `k`, the retriever kind and what its scores are (`describeScores`),
   * for the health check and the page.
   */
  settings: { k: number; retriever: string; scores?: string };
  /** Present when the generator is a chat model: answers then stream token by token over SSE. */
  streamer?: AnswerStreamer;
  /** The newest eval run's summary, or undefined when there are no runs. */
  /** The newest eval run, summarised for the page's panel; undefined when there is none. The command injects it from the harness. */
  readLatestRun: () => Promise<object | undefined>;
  metrics?: ServerMetrics;
  /** Labelling a run's answers at /review; the command injects it from the harness. Absent: /review says how to start it. */
  review?: ReviewSource;
  /** `false` turns the limit off (benchmarks); `now` in the options makes tests independent of the clock. */
  rateLimit?: RateLimitOptions | false;
  /** Take the client address from X-Forwarded-For: only behind a reverse proxy that sets it. */
  trustProxy?: boolean;
  bodyLimitBytes?: number;
  verbose?: boolean;
  /** One line per call, without a trailing newline; stderr in the CLI. */
  log?: (line: string) => void;
}

/** The JSON body of POST /api/ask (validated at the boundary, like every other input). */
export const askBodySchema = z.object({
  question: z.string({ error: 'question must be a string' }).trim().min(1, 'the question is empty').max(MAX_QUESTION_CHARS, `the question is longer than ${MAX_QUESTION_CHARS} characters; shorten it`),
  k: z
    .number({ error: `k must be a whole number from 1 to ${MAX_K}` })
    .int(`k must be a whole number from 1 to ${MAX_K}`)
    .min(1, `k must be at least 1`)
    .max(MAX_K, `k must be at most ${MAX_K}`)
    .optional(),
});

export interface CitedPassage {
  id: string;
  docId: string;
  title: string;
  text: string;
}

export interface AskResponse {
  question: string;
  answer: string;
  /** The answer's Markdown as HTML (raw HTML off), cited ids as buttons: what the page shows. */
  answerHtml: string;
  /** The short span that answers a who/when/how-many question, as `ragfolio ask` prints it first. */
  short?: string;
  abstained: boolean;
  citations: CitedPassage[];
  retrieved: { chunkId: string; passageIds: string[]; score: number; title: string }[];
  latencyMs: number;
  retrievalMs: number;
  generator: string;
  usage?: Usage;
  /** An agent's or planner's steps, with one readable line per step for the page. */
  trace?: Trace & { lines: string[] };
}

export type ErrorCode = 'bad_json' | 'invalid_request' | 'unsupported_media_type' | 'payload_too_large' | 'rate_limited' | 'not_found' | 'method_not_allowed' | 'no_runs' | 'upstream' | 'internal';

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  hint?: string;
}

const INTERNAL_MESSAGE = 'Internal error. The server log has the details when it runs with --verbose.';
const UPSTREAM_MESSAGE = 'The model server did not give a usable answer. The server log says why.';

/**
 * A UserError raised while answering is the model server's failure (timeout, refused key, unusable reply),
 * already one line naming the endpoint and the fix: 502, and the operator always sees that line. Anything
 * else is our bug: 500, details only with --verbose. Neither sends the message to the client.
 */
function classifyFailure(error: unknown, where: string, verbose: boolean): { status: 500 | 502; body: ErrorBody; logLine: string } {
  if (error instanceof UserError) return { status: 502, body: { error: 'upstream', message: UPSTREAM_MESSAGE }, logLine: `${where} failed upstream: ${error.message}` };
  const detail = verbose ? `: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` : ' (run with --verbose for details)';
  return { status: 500, body: { error: 'internal', message: INTERNAL_MESSAGE }, logLine: `internal error on ${where}${detail}` };
}
const PUBLIC_FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8'],
  '/review': ['review.html', 'text/html; charset=utf-8'],
  '/review.js': ['review.js', 'text/javascript; charset=utf-8'],
} as const;
// Everything the page needs comes from this origin; nothing inline, no CDN.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function toAskResponse(record: AnswerRecord, corpus: Corpus, generator: string): AskResponse {
  const citations = record.citations.flatMap((id) => {
    const p = corpus.byId.get(id);
    return p ? [{ id: p.id, docId: p.docId, title: p.title, text: p.text }] : [];
  });
  const retrieved = record.retrieved.map((r) => ({ ...r, title: corpus.byId.get(r.passageIds[0] ?? '')?.title ?? '' }));
  return {
    question: record.question,
    answer: record.answer,
    answerHtml: renderAnswerHtml(record.answer, record.citations),
    ...(record.short ? { short: record.short } : {}),
    abstained: record.abstained,
    citations,
    retrieved,
    latencyMs: record.latencyMs,
    retrievalMs: record.retrievalMs,
    generator,
    ...(record.usage ? { usage: record.usage } : {}),
    ...(record.trace ? { trace: { ...record.trace, lines: record.trace.steps.map(formatTraceStep) } } : {}),
  };
}

/** The HTTP API and the page, as a Hono app: no port, no process, so tests can call `app.request()`. */
export function createApp(deps: AppDeps): Hono {
  const { pipeline, settings, streamer, readLatestRun, trustProxy = false, verbose = false } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const write = deps.log ?? (() => {});
  // The log is an output like any other: a stack trace or an upstream message must not carry the key.
  const log = (line: string) => write(redact(line));
  const limiter = deps.rateLimit === false ? undefined : createRateLimiter(deps.rateLimit ?? DEFAULT_RATE_LIMIT);
  const startedAt = Date.now();
  const files = Object.fromEntries(Object.entries(PUBLIC_FILES).map(([route, [name, type]]) => [route, { body: readFileSync(join(import.meta.dirname, 'public', name)), type }]));

  const app = new Hono();
  const fail = (c: Context, status: 400 | 404 | 405 | 413 | 415 | 429 | 500 | 502, body: ErrorBody) => c.json(body, status);
  const routeOf = (c: Context) =>
    matchedRoutes(c)
      .filter((r) => r.method !== 'ALL')
      .at(-1)?.path ?? 'unmatched';

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const route = routeOf(c);
    metrics.observeRequest({ method: c.req.method, route, status: c.res.status, seconds: ms / 1000 });
    if (c.res.status >= 500) metrics.observeError(route);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (verbose) log(`${c.req.method} ${c.req.path} ${c.res.status} ${ms.toFixed(1)} ms`);
  });

  if (limiter) {
    app.use('/api/*', async (c, next) => {
      // Labelling is one person on loopback (`serve` offers it only there), pressing a key per answer.
      if (c.req.path === '/api/health' || c.req.path.startsWith('/api/review')) return next();
      const decision = limiter.take(clientAddress(c, trustProxy));
      if (decision.allowed) return next();
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return fail(c, 429, { error: 'rate_limited', message: `Too many requests from this address. Retry in ${decision.retryAfterSeconds} s.` });
    });
  }

  app.onError((error, c) => {
    const failure = classifyFailure(error, `${c.req.method} ${c.req.path}`, verbose);
    log(failure.logLine);
    return fail(c, failure.status, failure.body);
  });

  app.notFound((c) =>
    fail(c, 404, {
      error: 'not_found',
      message: `No route for ${c.req.method} ${c.req.path}.`,
      hint: 'The API has POST /api/ask, GET /api/health, GET /api/eval/latest, GET /api/passages/:id and GET /metrics.',
    }),
  );

  for (const [route, file] of Object.entries(files)) {
    app.get(route, (c) => {
      c.header('Content-Type', file.type);
      c.header('Cache-Control', 'no-cache');
      if (file.type.startsWith('text/html')) c.header('Content-Security-Policy', CSP);
      return c.body(new Uint8Array(file.body));
    });
  }

  app.get('/api/health', (c) =>
    c.json({
      status: 'ok',
      passages: pipeline.corpus.passages.length,
      retriever: settings.retriever,
      scores: settings.scores ?? 'Retrieval scores: compare them within this list only.',
      k: settings.k,
      maxK: MAX_K,
      maxQuestionChars: MAX_QUESTION_CHARS,
      generator: streamer?.id ?? pipeline.answerer.id,
      streaming: streamer !== undefined,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    }),
  );

  app.get('/metrics', async (c) => {
    c.header('Content-Type', METRICS_CONTENT_TYPE);
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.render());
  });

  app.get('/api/eval/latest', async (c) => {
    const latest = await readLatestRun();
    if (!latest) return fail(c, 404, { error: 'no_runs', message: 'No eval runs yet.', hint: 'Run `ragfolio eval` (or `npm start`) in the project, then reload.' });
    c.header('Cache-Control', 'no-cache');
    return c.json(latest);
  });

  app.get('/api/passages/:id', (c) => {
    const id = c.req.param('id');
    const p = pipeline.corpus.byId.get(id);
    if (!p)
      return fail(c, 404, { error: 'not_found', message: `No passage with id "${id.slice(0, 200)}".`, hint: "Passage ids come from an answer's citations or retrieved list, e.g. 1991-bush-025." });
    return c.json({ id: p.id, docId: p.docId, title: p.title, text: p.text, start: p.start, end: p.end, meta: p.meta });
  });

  app.get('/api/review', async (c) => {
    if (!deps.review) return fail(c, 404, { error: 'not_found', message: 'Reviewing is not enabled on this server.', hint: REVIEW_HINT });
    c.header('Cache-Control', 'no-store');
    try {
      return c.json(await deps.review.load());
    } catch (error) {
      // No run to review yet, or a run file that does not parse: the page shows the fix.
      if (error instanceof UserError) return fail(c, 404, { error: 'no_runs', message: error.message });
      throw error;
    }
  });

  app.post(
    '/api/review/labels',
    bodyLimit({ maxSize: deps.bodyLimitBytes ?? MAX_BODY_BYTES, onError: (c) => fail(c, 413, { error: 'payload_too_large', message: 'The label is too large; notes are at most 2,000 characters.' }) }),
    async (c) => {
      if (!deps.review) return fail(c, 404, { error: 'not_found', message: 'Reviewing is not enabled on this server.', hint: REVIEW_HINT });
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
        return fail(c, 415, { error: 'unsupported_media_type', message: 'Send the label as JSON with Content-Type: application/json.' });
      const parsed = reviewLabelInputSchema.safeParse(await c.req.json().catch(() => undefined));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(c, 400, {
          error: 'invalid_request',
          message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}.`,
          hint: 'Send {"id", "answerHash", "label": "right"|"wrong"|"should_abstain"|"gold_wrong", "category", "note"}.',
        });
      }
      return c.json(await deps.review.save(parsed.data));
    },
  );

  app.post(
    '/api/ask',
    bodyLimit({
      maxSize: deps.bodyLimitBytes ?? MAX_BODY_BYTES,
      onError: (c) =>
        fail(c, 413, {
          error: 'payload_too_large',
          message: `The request body is larger than ${deps.bodyLimitBytes ?? MAX_BODY_BYTES} bytes.`,
          hint: `Send {"question": "...", "k": 5}; questions are at most ${MAX_QUESTION_CHARS} characters.`,
        }),
    }),
    async (c) => {
      // Requiring JSON also keeps other sites' plain HTML forms from posting here (no CORS preflight for those).
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) return fail(c, 415, { error: 'unsupported_media_type', message: 'Send the body as JSON with Content-Type: application/json.' });
      let json: unknown;
      try {
        json = JSON.parse(await c.req.text());
      } catch (error) {
        return fail(c, 400, { error: 'bad_json', message: `The body is not valid JSON (${error instanceof SyntaxError ? error.message : 'unreadable'}).`, hint: 'Send {"question": "...", "k": 5}.' });
      }
      const parsed = askBodySchema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const message = issue?.code === 'invalid_type' && issue.path.length === 0 ? 'The body must be a JSON object' : (issue?.message ?? 'invalid request');
        return fail(c, 400, { error: 'invalid_request', message: `${message}.`, hint: `Send {"question": "...", "k": 5}: question up to ${MAX_QUESTION_CHARS} characters, k from 1 to ${MAX_K}.` });
      }
      const { question, k = settings.k } = parsed.data;
      const wantsStream = (c.req.header('accept') ?? '').includes('text/event-stream');

      if (!wantsStream || !streamer) {
        const { contexts: _contexts, ...record } = await pipeline.ask(question, { k });
        metrics.observeAnswer(record.latencyMs / 1000, wantsStream ? 'sse' : 'json');
        const body = toAskResponse(record, pipeline.corpus, pipeline.answerer.id);
        if (!wantsStream) return c.json(body);
        // The extractive answerer has nothing to stream: the whole answer is one event.
        return streamSSE(c, async (stream) => stream.writeSSE({ event: 'done', data: JSON.stringify(body) }));
      }

      // Retrieve before the stream starts, so a failure here is still an honest 500.
      const started = performance.now();
      const contexts = (await pipeline.retriever.retrieve(question, k)).slice(0, k);
      const retrievalMs = performance.now() - started;
      const retrieved = contexts.map(({ chunk, score }) => ({ chunkId: chunk.id, passageIds: chunk.passageIds, score }));
      return streamSSE(c, async (stream) => {
        const abort = new AbortController();
        stream.onAbort(() => abort.abort());
        // Every error is caught here: Hono's own SSE error path would send error.message to the client.
        try {
          await stream.writeSSE({ event: 'retrieved', data: JSON.stringify(retrieved.map((r) => ({ ...r, title: pipeline.corpus.byId.get(r.passageIds[0] ?? '')?.title ?? '' }))) });
          let text = '';
          let usage: Usage | undefined;
          for await (const delta of streamer.stream(question, contexts, abort.signal)) {
            if (delta.usage) usage = delta.usage;
            if (delta.text) {
              text += delta.text;
              await stream.writeSSE({ event: 'token', data: JSON.stringify({ text: delta.text }) });
            }
          }
          const answer = text.trim();
          const record: AnswerRecord = {
            question,
            answer,
            citations: parseCitations(answer, new Set(contexts.flatMap(({ chunk }) => chunk.passageIds))),
            abstained: isAbstention(answer),
            retrieved,
            latencyMs: performance.now() - started,
            retrievalMs,
            ...(usage ? { usage } : {}),
          };
          metrics.observeAnswer(record.latencyMs / 1000, 'sse');
          await stream.writeSSE({ event: 'done', data: JSON.stringify(toAskResponse(record, pipeline.corpus, streamer.id)) });
        } catch (error) {
          if (abort.signal.aborted) return; // the client left; nothing to tell it
          metrics.observeError('/api/ask');
          const failure = classifyFailure(error, 'POST /api/ask (stream)', verbose);
          log(failure.logLine);
          await stream.writeSSE({ event: 'error', data: JSON.stringify(failure.body) });
        }
      });
    },
  );

  app.on(['GET', 'PUT', 'PATCH', 'DELETE'], '/api/ask', (c) => {
    c.header('Allow', 'POST');
    return fail(c, 405, { error: 'method_not_allowed', message: `Use POST for /api/ask, not ${c.req.method}.` });
  });

  return app;
}

/** The remote address of the connection, or the first X-Forwarded-For hop when a trusted proxy sets it. */
function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const first = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (first) return first;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}
