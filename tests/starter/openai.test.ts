import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYSTEM_PROMPT } from '../../starter/answer/chat.ts';
import { type Config, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { isUserError } from '../../starter/errors.ts';
import { readManifest } from '../../starter/index/store.ts';
import { ingest } from '../../starter/ingest.ts';
import { projectPaths } from '../../starter/paths.ts';
import { loadPipeline } from '../../starter/pipeline.ts';
import { FAKE_EMBEDDING_DIMS, type FakeOpenAiServer, startFakeOpenAiServer, useOpenAiEnv } from '../helpers/openai-server.ts';
import { createTempProject, tinyPassages } from '../helpers/temp-project.ts';

const ids = new Set<string>(tinyPassages.map(([id]) => id));

let restoreEnv: (() => void) | undefined;

let server: FakeOpenAiServer;
let root: string;
let project: ProjectConfig;

/** The same project with other generator settings: the index (embeddings, chunking, corpus) is unchanged. */
const withGenerator = (settings: { maxRetries?: number; timeoutMs?: number }) =>
  loadProjectConfig(root, (c: Config): Config => (c.generator.provider === 'openai' ? { ...c, generator: { ...c.generator, ...settings } } : c));

interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
}

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  restoreEnv = useOpenAiEnv(server.baseURL, 'sk-test-dummy');
  ({ root } = await createTempProject({
    config: {
      dataset: 'datasets/x',
      embeddings: { provider: 'openai', model: 'fake-embed' },
      retriever: { kind: 'hybrid', k: 3 },
      generator: { provider: 'openai', model: 'fake-chat', maxRetries: 2, timeoutMs: 10_000 },
    },
  }));
  project = await loadProjectConfig(root);
  await ingest(project);
});

afterAll(async () => {
  restoreEnv?.();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('the openai provider against a local OpenAI-compatible server', () => {
  test('ingest embeds every chunk through the server and builds an 8-d index', async () => {
    const embedRequests = server.requestsTo('embeddings');
    expect(embedRequests.length).toBeGreaterThan(0);
    const inputs = embedRequests.flatMap((r) => (r.body as { input: string | string[] }).input);
    for (const [, text] of tinyPassages) expect(inputs.some((input) => input.includes(text))).toBe(true);
    for (const r of embedRequests) expect(r.body).toMatchObject({ model: 'fake-embed' });
    const manifest = await readManifest(projectPaths(project).index);
    expect(manifest).toMatchObject({ embeddingModel: 'openai:fake-embed', dims: FAKE_EMBEDDING_DIMS, chunkCount: tinyPassages.length });
    expect(existsSync(projectPaths(project).embeddingCache('openai:fake-embed'))).toBe(true);

    // A second ingest finds the index up to date and asks the server for nothing.
    const before = server.requests.length;
    expect((await ingest(project)).upToDate).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  test('ask sends the retrieved passages as context and cites retrieved passage ids, with usage', async () => {
    const pipeline = await loadPipeline(project);
    const chatBefore = server.requestsTo('chat').length;
    const record = await pipeline.ask('How long was the harbor closed by the storm?');

    const chats = server.requestsTo('chat');
    expect(chats.length).toBe(chatBefore + 1);
    const body = chats.at(-1)?.body as ChatBody;
    expect(body.model).toBe('fake-chat');
    expect(body.messages[0]).toEqual({ role: 'system', content: SYSTEM_PROMPT });
    const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
    expect(user).toContain('Question: How long was the harbor closed by the storm?');
    expect(record.contexts).toHaveLength(3);
    for (const { chunk } of record.contexts) expect(user).toContain(`[${chunk.passageIds[0]}] ${chunk.text}`);
    // Passages that were not retrieved are not sent.
    const sent = tinyPassages.filter(([, text]) => user.includes(text)).map(([id]) => id);
    expect(sent.sort()).toEqual(record.contexts.map((c) => c.chunk.id).sort());

    // The retrieval query itself was embedded by the server.
    expect(server.requestsTo('embeddings').some((r) => (r.body as { input: unknown }).input === 'How long was the harbor closed by the storm?')).toBe(true);

    const reply = server.chatReplies.at(-1);
    expect(record.answer).toBe(reply?.content);
    const firstId = record.contexts[0]?.chunk.passageIds[0];
    expect(record.citations).toEqual([firstId]);
    const retrievedIds = new Set(record.retrieved.flatMap((r) => r.passageIds));
    for (const id of record.citations) {
      expect(ids.has(id)).toBe(true);
      expect(retrievedIds.has(id)).toBe(true);
    }
    expect(record.abstained).toBe(false);
    expect(record.usage).toEqual({ inputTokens: reply?.usage.prompt_tokens, outputTokens: reply?.usage.completion_tokens });
    expect(record.usage?.inputTokens).toBeGreaterThan(0);
  });

  test('a 429 is retried and the second attempt succeeds', async () => {
    const pipeline = await loadPipeline(project);
    server.configure({ failFirst: 1, failStatus: 429, failOn: 'chat' });
    const chatBefore = server.requestsTo('chat').length;
    try {
      const record = await pipeline.ask('Which fruit do the valley farmers grow?');
      const attempts = server.requestsTo('chat').slice(chatBefore);
      expect(attempts.map((r) => r.status)).toEqual([429, 200]);
      expect(attempts[1]?.body).toEqual(attempts[0]?.body);
      expect(record.citations).toHaveLength(1);
      expect(record.retrieved.flatMap((r) => r.passageIds)).toContain(record.citations[0]);
    } finally {
      server.configure({});
    }
  });

  test('retries stop after maxRetries: with maxRetries 1 a server that keeps refusing sees two requests', async () => {
    const pipeline = await loadPipeline(await withGenerator({ maxRetries: 1 }));
    server.configure({ failFirst: 10, failStatus: 429, failOn: 'chat' });
    const chatBefore = server.requestsTo('chat').length;
    try {
      await expect(pipeline.ask('Which fruit do the valley farmers grow?')).rejects.toThrow(/429/);
      expect(
        server
          .requestsTo('chat')
          .slice(chatBefore)
          .map((r) => r.status),
      ).toEqual([429, 429]);
    } finally {
      server.configure({});
    }
  });

  test('ingest retries a 429 from the embeddings endpoint too', async () => {
    // Another embedding model name: a new cache and index, so everything is embedded again.
    const other = await loadProjectConfig(root, (c: Config): Config => ({ ...c, embeddings: { provider: 'openai', model: 'fake-embed-2' } }));
    server.configure({ failFirst: 1, failStatus: 429, failOn: 'embeddings' });
    const before = server.requestsTo('embeddings').length;
    try {
      const report = await ingest(other);
      expect(report).toMatchObject({ upToDate: false, chunks: tinyPassages.length, cacheMisses: tinyPassages.length });
      const attempts = server.requestsTo('embeddings').slice(before);
      expect(attempts.map((r) => r.status)).toEqual([429, 200]);
      expect(attempts[1]?.body).toEqual(attempts[0]?.body);
    } finally {
      server.configure({});
    }
  });

  test('a server slower than timeoutMs gives a UserError naming the timeout', async () => {
    const pipeline = await loadPipeline(await withGenerator({ maxRetries: 0, timeoutMs: 300 }));
    server.configure({ delayMs: 3_000, delayOn: 'chat' });
    const chatBefore = server.requestsTo('chat').length;
    try {
      const error = await pipeline.ask('What did the school board do?').catch((e: unknown) => e);
      expect(isUserError(error), `expected a UserError, got ${String(error)}`).toBe(true);
      expect((error as Error).message).toMatch(/did not answer within 300 ms/);
      expect((error as Error).message).toContain(server.baseURL);
      expect((error as Error).message).toContain('generator.timeoutMs');
      expect(server.requestsTo('chat').length).toBe(chatBefore + 1);
    } finally {
      server.configure({});
    }
  });

  test('without OPENAI_API_KEY or OPENAI_BASE_URL the openai provider is a UserError, not a network call', async () => {
    const before = server.requests.length;
    delete process.env.OPENAI_BASE_URL;
    delete process.env.OPENAI_API_KEY;
    try {
      const error = await loadPipeline(project).catch((e: unknown) => e);
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(/OPENAI_API_KEY.*OPENAI_BASE_URL/);
    } finally {
      process.env.OPENAI_BASE_URL = server.baseURL;
      process.env.OPENAI_API_KEY = 'sk-test-dummy';
    }
    expect(server.requests.length).toBe(before);
  });
});
