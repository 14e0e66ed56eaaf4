import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAKE_EMBEDDING_DIMS, type FakeOpenAiServer, fakeEmbedding, startFakeOpenAiServer } from './openai-server.ts';

// The fake server is itself code the openai tests depend on: check its contract directly, with fetch.
let server: FakeOpenAiServer;
beforeAll(async () => {
  server = await startFakeOpenAiServer();
});
afterAll(async () => server.close());

const post = (path: string, body: unknown) => fetch(`${server.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('fake OpenAI server', () => {
  test('listens on 127.0.0.1 with an ephemeral port', () => {
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  test('embeddings: deterministic 8-d vectors, as float arrays or base64 float32 little-endian', async () => {
    const floats = (await (await post('/embeddings', { model: 'm', input: ['alpha', 'beta'] })).json()) as { data: { index: number; embedding: number[] }[] };
    expect(floats.data.map((d) => d.index)).toEqual([0, 1]);
    expect(floats.data[0]?.embedding).toEqual(fakeEmbedding('alpha'));
    expect(floats.data[1]?.embedding).toHaveLength(FAKE_EMBEDDING_DIMS);
    expect(fakeEmbedding('alpha')).not.toEqual(fakeEmbedding('beta'));

    const b64 = (await (await post('/embeddings', { model: 'm', input: 'alpha', encoding_format: 'base64' })).json()) as { data: { embedding: string }[] };
    const bytes = Buffer.from(b64.data[0]?.embedding ?? '', 'base64');
    expect(bytes).toHaveLength(FAKE_EMBEDDING_DIMS * 4);
    expect(Array.from({ length: FAKE_EMBEDDING_DIMS }, (_, i) => bytes.readFloatLE(i * 4))).toEqual(fakeEmbedding('alpha'));
  });

  test('chat: cites the first [id] of the user message, reports usage, records the request', async () => {
    const before = server.requestsTo('chat').length;
    const body = {
      model: 'c',
      messages: [
        { role: 'system', content: 'Cite [not-this]' },
        { role: 'user', content: 'Context:\n[p-7] text\n\n[p-8] more\n\nQuestion: q' },
      ],
    };
    const reply = (await (await post('/chat/completions', body)).json()) as {
      choices: { message: { role: string; content: string } }[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(reply.choices[0]?.message).toEqual({ role: 'assistant', content: 'The context answers this [p-7].' });
    expect(reply.usage.total_tokens).toBe(reply.usage.prompt_tokens + reply.usage.completion_tokens);
    expect(reply.usage.prompt_tokens).toBeGreaterThan(0);
    expect(server.requestsTo('chat').slice(before)).toEqual([{ endpoint: 'chat', body, status: 200 }]);
    const none = (await (await post('/chat/completions', { model: 'c', messages: [{ role: 'user', content: 'no ids' }] })).json()) as { choices: { message: { content: string } }[] };
    expect(none.choices[0]?.message.content).toBe('Not found in the corpus.');
  });

  test('fails the first N matching requests with the chosen status, then recovers', async () => {
    server.configure({ failFirst: 2, failStatus: 503, failOn: 'chat', retryAfter: '0' });
    try {
      const embed = await post('/embeddings', { model: 'm', input: 'x' });
      expect(embed.status).toBe(200);
      const first = await post('/chat/completions', { model: 'c', messages: [] });
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('0');
      expect((await post('/chat/completions', { model: 'c', messages: [] })).status).toBe(503);
      expect((await post('/chat/completions', { model: 'c', messages: [] })).status).toBe(200);
    } finally {
      server.configure({});
    }
  });

  test('unknown routes are 404; a body that is not JSON is 400', async () => {
    expect((await post('/responses', {})).status).toBe(404);
    const bad = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
  });
});
