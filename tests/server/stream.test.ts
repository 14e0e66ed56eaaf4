import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../../starter/chunk.ts';
import type { Passage } from '../../starter/corpus.ts';
import { type AskResponse, createApp, type ServedPipeline } from '../../starter/server/app.ts';
import { createChatStreamer } from '../../starter/server/chat-stream.ts';
import { parseSse } from './helpers.ts';
import { parsePrometheus, sampleValue } from './prometheus.ts';

// A two-passage corpus and a retriever that returns both: the chat path does not need the real index.
const passages: Passage[] = [
  { id: 'p-bridge', docId: 'doc', title: 'Town news', text: 'The committee approved a new bridge over the Blue River.', start: 0, end: 56, meta: {} },
  { id: 'p-harbor', docId: 'doc', title: 'Town news', text: 'A storm closed the harbor for three days.', start: 57, end: 98, meta: {} },
];
const chunks: Chunk[] = passages.map((p) => ({ ...p, passageIds: [p.id] }));
const fakePipeline: ServedPipeline = {
  corpus: { passages, byId: new Map(passages.map((p) => [p.id, p])), hash: 'h' },
  retriever: { retrieve: async (_q, k = 2) => chunks.slice(0, k).map((chunk, i) => ({ chunk, score: 1 - i / 10 })) },
  answerer: { id: 'extractive', answer: () => Promise.reject(new Error('not used')) },
  ask: () => Promise.reject(new Error('the JSON path is not used here')),
};

// An OpenAI-compatible server on loopback that streams a canned answer as chat.completion.chunk events.
const PIECES = ['The bridge crosses ', 'the Blue River ', '[p-bridge].'];
let openai: Server;
let baseURL: string;
const received: { stream?: boolean; messages?: { role: string; content: string }[] }[] = [];
let failNext = false;

beforeAll(async () => {
  openai = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      received.push(JSON.parse(body) as (typeof received)[number]);
      if (failNext) {
        failNext = false;
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'backend exploded: key sk-live-SECRET' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (choices: unknown[], extra: object = {}) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 0, model: 'fake', choices, ...extra })}\n\n`;
      res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
      for (const piece of PIECES) res.write(chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
      res.write(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
      res.write(chunk([], { usage: { prompt_tokens: 42, completion_tokens: 9, total_tokens: 51 } }));
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => openai.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(openai.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => openai.close(() => resolve())));

const chatApp = async (log?: (line: string) => void) =>
  createApp({
    pipeline: fakePipeline,
    settings: { k: 2, retriever: 'hybrid' },
    streamer: await createChatStreamer({ provider: 'openai', model: 'gpt-4o-mini', temperature: 0, timeoutMs: 10_000, maxRetries: 0 }, { OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'test-key' }),
    readLatestRun: async () => undefined,
    rateLimit: false,
    log,
  });

const ask = (app: Awaited<ReturnType<typeof chatApp>>) =>
  app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ question: 'Which river does the bridge cross?' }) });

describe('streaming answers from a chat model (SSE)', () => {
  it('sends the retrieved passages, then tokens as they arrive, then the cited answer', async () => {
    const app = await chatApp();
    const response = await ask(app);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual(['retrieved', 'token', 'token', 'token', 'done']);
    expect(events.filter((e) => e.event === 'token').map((e) => (e.data as { text: string }).text)).toEqual(PIECES);
    const done = events.at(-1)?.data as AskResponse;
    expect(done.answer).toBe(PIECES.join('').trim());
    expect(done.citations).toEqual([{ id: 'p-bridge', docId: 'doc', title: 'Town news', text: passages[0]?.text }]);
    expect(done.usage).toEqual({ inputTokens: 42, outputTokens: 9 });
    expect(done.generator).toBe('openai:gpt-4o-mini');
    // The model was asked to stream (via .stream()), with the passages in its context.
    const request = received.at(-1);
    expect(request?.stream).toBe(true);
    expect(request?.messages?.at(-1)?.content).toContain('[p-bridge]');
    const health = (await (await app.request('/api/health')).json()) as { streaming: boolean; generator: string };
    expect(health).toMatchObject({ streaming: true, generator: 'openai:gpt-4o-mini' });
  });

  it("a model failure mid-request becomes a generic 'upstream' error event, is logged in one line, and counts as an error", async () => {
    const lines: string[] = [];
    const app = await chatApp((l) => lines.push(l));
    failNext = true;
    const response = await ask(app);
    const text = await response.text();
    const events = parseSse(text);
    expect(events.map((e) => e.event)).toEqual(['retrieved', 'error']);
    expect(events[1]?.data).toEqual({ error: 'upstream', message: expect.stringMatching(/model server/) });
    expect(text).not.toMatch(/SECRET|exploded|127\.0\.0\.1/);
    expect(lines.join('\n')).not.toMatch(/SECRET/);
    expect(lines.at(-1)).toMatch(/^POST \/api\/ask \(stream\) failed upstream: .*answered 500/);
    const metrics = parsePrometheus(await (await app.request('/metrics')).text());
    expect(sampleValue(metrics.samples, 'ragfolio_http_errors_total', { route: '/api/ask' })).toBe(1);
  });
});
