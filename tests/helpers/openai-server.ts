import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests of the openai provider: the real
 * @langchain/openai clients talk to it over HTTP, so retries, timeouts and base64 decoding are exercised for real.
 */

export type Endpoint = 'chat' | 'embeddings';

export const FAKE_EMBEDDING_DIMS = 8;

export interface RecordedRequest {
  endpoint: Endpoint;
  body: unknown;
  /** The HTTP status this server answered with (0: it sent none, e.g. a reset or a hang). */
  status: number;
  /** The Authorization header the client sent, e.g. "Bearer sk-..." (what an echoing server would repeat). */
  authorization: string | undefined;
}

/**
 * Ways a server can fail other than an error status, for the fault-injection suite:
 * `reset` closes the connection without a reply; `hang` accepts and never answers; `drip` sends the status and
 * headers, then the body one piece per `dripMs`, never in time to finish; `malformed` answers 200 with a body
 * that is not JSON (a bad event in a stream); `short-vector` makes the last embedding one dimension short;
 * `unauthorized` answers 401 and repeats the bearer token it was sent, as some servers do.
 */
export type Fault = 'reset' | 'hang' | 'drip' | 'malformed' | 'short-vector' | 'unauthorized';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface FakeOpenAiOptions {
  /** Answer the first N requests (counted over `failOn`) with `failStatus` instead of a result. */
  failFirst?: number;
  failStatus?: number;
  /** Value of a `retry-after` header (seconds) sent with the failures; none when undefined. */
  retryAfter?: string;
  failOn?: Endpoint | 'all';
  /** Answer the first N requests matching `failOn` normally, and only then start failing (a server that dies mid-run). */
  okFirst?: number;
  /** Hold each response (matching `delayOn`) this long before answering. */
  delayMs?: number;
  delayOn?: Endpoint | 'all';
  /** Reply text for a chat request (system and user text, and the Authorization header, given); by default it cites the first [id] it sees. */
  chatContent?: (system: string, user: string, authorization: string) => string;
  /** Fail with this fault instead of `failStatus`: the first `failFirst` requests matching `failOn` (all when `failFirst` is unset). */
  fault?: Fault;
  /** Pause between the pieces of a `drip` body (default 50 ms). */
  dripMs?: number;
  /**
   * Script an agent's model turns: called with the request's messages and its 0-based turn number (chat
   * requests since `configure`); a reply with `toolCalls` asks the client to run tools (their `arguments` are
   * sent verbatim, so a test can send JSON that does not parse). Overrides `chatContent`.
   */
  chatScript?: (turn: number, messages: readonly ScriptedMessage[]) => ScriptedReply;
}

/** A message as the client sent it (a tool's result has role `tool`). */
export interface ScriptedMessage {
  role: string;
  content: string;
}

export interface ScriptedReply {
  content?: string;
  toolCalls?: { name: string; arguments: string }[];
}

export interface FakeOpenAiServer {
  /** e.g. http://127.0.0.1:41234/v1: what OPENAI_BASE_URL should be set to. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Successful chat replies, in order, with the usage block each one carried. */
  chatReplies: { content: string; usage: ChatUsage }[];
  requestsTo(endpoint: Endpoint): RecordedRequest[];
  /** Change failure/delay behaviour from now on; the failure count restarts. */
  configure(options: FakeOpenAiOptions): void;
  close(): Promise<void>;
}

/** A deterministic unit-ish vector for a text: 8 float32-exact values derived from sha256(text). */
export function fakeEmbedding(text: string): number[] {
  const digest = createHash('sha256').update(text).digest();
  // (byte - 127.5) / 128 is a multiple of 1/256, so it survives the float32 round trip exactly.
  return Array.from({ length: FAKE_EMBEDDING_DIMS }, (_, i) => ((digest[i] ?? 0) - 127.5) / 128);
}

const CITATION = /\[([A-Za-z0-9_.:#-]+)\]/;

function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : '')).join('');
  return '';
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function matches(filter: Endpoint | 'all' | undefined, endpoint: Endpoint): boolean {
  return filter === undefined || filter === 'all' || filter === endpoint;
}

export async function startFakeOpenAiServer(initial: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  let options: FakeOpenAiOptions = { ...initial };
  let failed = 0;
  let turn = 0;
  let passed = 0;
  const requests: RecordedRequest[] = [];
  const chatReplies: FakeOpenAiServer['chatReplies'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const chatReply = (body: Record<string, unknown>, authorization = '') => {
    const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
    const user = messages
      .filter((m) => m.role === 'user')
      .map((m) => messageText(m.content))
      .join('\n');
    const system = messages
      .filter((m) => m.role === 'system')
      .map((m) => messageText(m.content))
      .join('\n');
    const scripted = options.chatScript?.(
      turn++,
      messages.map((m) => ({ role: String(m.role), content: messageText(m.content) })),
    );
    const cited = CITATION.exec(user)?.[1];
    const content = scripted
      ? (scripted.content ?? '')
      : options.chatContent
        ? options.chatContent(system, user, authorization)
        : cited
          ? `The context answers this [${cited}].`
          : 'Not found in the corpus.';
    const prompt = messages.reduce((sum, m) => sum + countTokens(messageText(m.content)), 0);
    const usage: ChatUsage = { prompt_tokens: prompt, completion_tokens: countTokens(content), total_tokens: prompt + countTokens(content) };
    chatReplies.push({ content, usage });
    const toolCalls = scripted?.toolCalls?.map((call, i) => ({ id: `call_${chatReplies.length}_${i}`, type: 'function', function: call }));
    return {
      id: `chatcmpl-fake-${chatReplies.length}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(body.model ?? 'fake-chat'),
      choices: [
        toolCalls?.length
          ? { index: 0, message: { role: 'assistant', content: content || null, tool_calls: toolCalls }, finish_reason: 'tool_calls', logprobs: null }
          : { index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null },
      ],
      usage,
    };
  };

  const embeddingsReply = (body: Record<string, unknown>) => {
    const inputs = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')];
    const base64 = body.encoding_format === 'base64';
    const data = inputs.map((text, index) => {
      const vector = fakeEmbedding(text);
      const embedding = base64 ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    const tokens = inputs.reduce((sum, t) => sum + countTokens(t), 0);
    return { object: 'list', data, model: String(body.model ?? 'fake-embed'), usage: { prompt_tokens: tokens, total_tokens: tokens } };
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const endpoint: Endpoint | undefined = req.method === 'POST' && path === '/v1/chat/completions' ? 'chat' : req.method === 'POST' && path === '/v1/embeddings' ? 'embeddings' : undefined;
    const raw = await readBody(req);
    if (!endpoint) return sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    }
    const record: RecordedRequest = { endpoint, body, status: 200, authorization: req.headers.authorization };
    requests.push(record);
    if (options.delayMs && matches(options.delayOn, endpoint)) await wait(options.delayMs);
    const due = matches(options.failOn, endpoint) && passed++ >= (options.okFirst ?? 0);
    if (options.fault && failed < (options.failFirst ?? Number.POSITIVE_INFINITY) && due) {
      failed++;
      return injectFault(options.fault, record, req, res, body);
    }
    if (failed < (options.failFirst ?? 0) && due) {
      failed++;
      record.status = options.failStatus ?? 429;
      const headers: Record<string, string> = options.retryAfter === undefined ? {} : { 'retry-after': options.retryAfter };
      return sendJson(res, record.status, { error: { message: 'Rate limit reached (fake server).', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }, headers);
    }
    if (endpoint === 'chat' && body.stream === true) return void sendStream(res, chatReply(body, record.authorization));
    sendJson(res, 200, endpoint === 'chat' ? chatReply(body, record.authorization) : embeddingsReply(body));
  });

  /** A chat completion as server-sent events: the reply in word-sized chunks, then usage, then [DONE]. */
  function streamEvents(reply: ReturnType<typeof chatReply>): string[] {
    const chunk = (choices: unknown[], extra: object = {}) =>
      `data: ${JSON.stringify({ id: reply.id, object: 'chat.completion.chunk', created: reply.created, model: reply.model, choices, ...extra })}\n\n`;
    const content = reply.choices[0]?.message.content ?? '';
    const pieces = content.match(/\S+\s*/g) ?? [];
    return [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      ...pieces.map((piece) => chunk([{ index: 0, delta: { content: piece }, finish_reason: null }])),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage: reply.usage }),
      'data: [DONE]\n\n',
    ];
  }

  function sendStream(res: ServerResponse, reply: ReturnType<typeof chatReply>): void {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(streamEvents(reply).join(''));
  }

  /** Send `pieces` one per `dripMs`, the last one over and over, until the client gives up (or the server closes). */
  function drip(res: ServerResponse, pieces: readonly string[]): void {
    let i = 0;
    const next = () => {
      if (res.destroyed) return;
      res.write(pieces[Math.min(i, pieces.length - 1)] ?? ' ');
      i++;
      const timer = setTimeout(() => {
        timers.delete(timer);
        next();
      }, options.dripMs ?? 50);
      timers.add(timer);
    };
    next();
  }

  function injectFault(fault: Fault, record: RecordedRequest, req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const streaming = record.endpoint === 'chat' && body.stream === true;
    if (fault === 'reset' || fault === 'hang') {
      record.status = 0;
      if (fault === 'reset') req.socket.destroy();
      return;
    }
    if (fault === 'unauthorized') {
      record.status = 401;
      const token = record.authorization?.replace(/^Bearer\s+/i, '') ?? '';
      return void sendJson(res, 401, {
        error: { message: `Incorrect API key provided: ${token}. The request had "Authorization: ${record.authorization ?? ''}".`, type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    }
    if (fault === 'drip') {
      res.writeHead(200, { 'content-type': streaming ? 'text/event-stream' : 'application/json' });
      // A stream keeps sending valid events, a JSON body one space at a time: both stay open past any deadline.
      drip(res, streaming ? streamEvents(chatReply(body)).slice(0, -1) : ['{"object": "list", ', ' ']);
      return;
    }
    if (fault === 'malformed') {
      res.writeHead(200, { 'content-type': streaming ? 'text/event-stream' : 'application/json' });
      res.end(streaming ? 'data: {"id": "chatcmpl-broken", "choices": [\n\n' : '{"object": "list", "data": [');
      return;
    }
    if (record.endpoint !== 'embeddings') return void sendJson(res, 200, chatReply(body));
    const reply = embeddingsReply(body);
    const last = reply.data.at(-1);
    if (last) last.embedding = typeof last.embedding === 'string' ? Buffer.from(last.embedding, 'base64').subarray(4).toString('base64') : last.embedding.slice(1);
    sendJson(res, 200, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatReplies,
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    configure(next) {
      options = { ...next };
      failed = 0;
      turn = 0;
      passed = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/**
 * Point the OpenAI client at a test server (and a key) for a whole test file; the returned function puts the
 * caller's OPENAI_BASE_URL and OPENAI_API_KEY back as they were, unset ones unset.
 */
export function useOpenAiEnv(baseURL: string, apiKey: string): () => void {
  const saved = { OPENAI_BASE_URL: process.env.OPENAI_BASE_URL, OPENAI_API_KEY: process.env.OPENAI_API_KEY };
  process.env.OPENAI_BASE_URL = baseURL;
  process.env.OPENAI_API_KEY = apiKey;
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
