import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AGENT_PROMPT, createAgentAnswerer } from '../../../starter/answer/agent.ts';
import { traceSchema } from '../../../starter/answer/trace.ts';
import { type AnswerTools, NOT_FOUND } from '../../../starter/answer/types.ts';
import type { Chunk } from '../../../starter/chunk.ts';
import { configSchema } from '../../../starter/config.ts';
import type { Passage } from '../../../starter/corpus.ts';
import { isUserError } from '../../../starter/errors.ts';
import { type FakeOpenAiServer, type ScriptedReply, startFakeOpenAiServer, useOpenAiEnv } from '../../helpers/openai-server.ts';
import { tinyPassages } from '../../helpers/temp-project.ts';

const passages = new Map<string, Passage>(tinyPassages.map(([id, text], i) => [id, { id, docId: `doc-${i}`, title: 'Town news', text, start: 0, end: text.length, meta: {} }]));
const chunks: Chunk[] = tinyPassages.map(([id, text]) => ({ id, passageIds: [id], text, title: 'Town news' }) as unknown as Chunk);

/** A retriever that returns the passages whose text shares a word with the query, and records every query. */
function fakeTools(queries: string[]): AnswerTools {
  return {
    async retrieve(query, k) {
      queries.push(query);
      const words = new Set(query.toLowerCase().match(/[a-z]+/g) ?? []);
      return chunks
        .filter((c) => (c.text.toLowerCase().match(/[a-z]+/g) ?? []).some((w) => w.length > 3 && words.has(w)))
        .slice(0, k)
        .map((chunk, i) => ({ chunk, score: 1 - i / 10 }));
    },
  };
}

const call = (name: string, args: unknown): ScriptedReply => ({ toolCalls: [{ name, arguments: typeof args === 'string' ? args : JSON.stringify(args) }] });
const SEARCH = call('search_corpus', { query: 'bridge Blue River', k: 2 });
const READ = call('read_passage', { id: 't-0' });
const FINAL: ScriptedReply = { content: 'The bridge over the Blue River was approved in 1999 [t-0].' };

const agentConfig = (overrides: Record<string, unknown> = {}) => {
  const generator = configSchema.parse({ generator: { provider: 'agent', model: 'fake-chat', maxRetries: 0, timeoutMs: 5_000, ...overrides } }).generator;
  if (generator.provider !== 'agent') throw new Error('expected the agent provider');
  return generator;
};

let restoreEnv: (() => void) | undefined;
let server: FakeOpenAiServer;
let queries: string[];

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  restoreEnv = useOpenAiEnv(server.baseURL, 'sk-test-dummy');
});
beforeEach(() => {
  queries = [];
});
afterAll(async () => {
  restoreEnv?.();
  await server?.close();
});

async function run(script: readonly ScriptedReply[], overrides: Record<string, unknown> = {}) {
  server.configure({ chatScript: (turn) => script[Math.min(turn, script.length - 1)] ?? FINAL });
  const answerer = await createAgentAnswerer(agentConfig(overrides), { passages });
  const answer = await answerer.answer('When was the Blue River bridge approved?', [], fakeTools(queries));
  expect(traceSchema.safeParse(answer.trace).success).toBe(true);
  return answer;
}

describe('the agent answerer against a scripted OpenAI-compatible server', () => {
  test('a search, a read, a final answer: cites the passage it read, and the trace records each step', async () => {
    const answer = await run([SEARCH, READ, FINAL]);
    expect(answer).toMatchObject({ text: FINAL.content, citations: ['t-0'], abstained: false });
    expect(queries).toEqual(['bridge Blue River']);
    const steps = answer.trace?.steps ?? [];
    expect(steps.map((s) => (s.kind === 'model' ? `model:${s.toolCalls.join(',') || 'final'}` : `${s.tool}:${s.ok}`))).toEqual([
      'model:search_corpus',
      'search_corpus:true',
      'model:read_passage',
      'read_passage:true',
      'model:final',
    ]);
    expect(steps[1]).toMatchObject({ kind: 'tool', args: { query: 'bridge Blue River', k: 2 }, passageIds: ['t-0'] });
    expect(steps[3]).toMatchObject({ kind: 'tool', args: { id: 't-0' }, passageIds: ['t-0'] });
    expect(answer.trace?.stopped).toBe('answered');
    // Usage sums the three model calls the server answered.
    const served = server.chatReplies.slice(-3).reduce((sum, r) => sum + r.usage.prompt_tokens + r.usage.completion_tokens, 0);
    expect((answer.usage?.inputTokens ?? 0) + (answer.usage?.outputTokens ?? 0)).toBe(served);
    expect(answer.contexts?.map((c) => c.chunk.id)).toEqual(['t-0']);
    const system = server.requestsTo('chat').at(-1)?.body as { messages: { role: string; content: unknown }[]; tools: { function: { name: string } }[] };
    expect(system.messages[0]).toMatchObject({ role: 'system', content: [{ type: 'text', text: AGENT_PROMPT }] });
    expect(system.tools.map((t) => t.function.name).sort()).toEqual(['read_passage', 'search_corpus']);
  });

  test('a citation of a passage it only saw in search results, never read, is dropped: the agent abstains and withholds its text', async () => {
    const answer = await run([SEARCH, FINAL]);
    expect(answer).toMatchObject({ text: NOT_FOUND, citations: [], abstained: true, withheld: { text: FINAL.content } });
  });

  test('a malformed tool call is retried once; a second one in a row stops the agent, which abstains', async () => {
    const malformed = call('search_corpus', '{"query": "bridge');
    const recovered = await run([malformed, SEARCH, READ, FINAL]);
    expect(recovered).toMatchObject({ citations: ['t-0'], abstained: false });
    expect(recovered.trace?.steps[0]).toMatchObject({ kind: 'model', malformed: true });

    const broken = await run([malformed, malformed, FINAL]);
    expect(broken).toMatchObject({ text: NOT_FOUND, abstained: true });
    expect(broken.trace?.stopped).toBe('malformed-call');
    expect(broken.trace?.steps.filter((s) => s.kind === 'model')).toHaveLength(2);
  });

  test('a tool error is retried once, then reported to the model, which answers with what it has read', async () => {
    const missing = call('read_passage', { id: 't-99' });
    const answer = await run([SEARCH, READ, missing, FINAL]);
    const failures = (answer.trace?.steps ?? []).filter((s) => s.kind === 'tool' && !s.ok);
    expect(failures).toMatchObject([
      { tool: 'read_passage', attempt: 1, error: expect.stringContaining('t-99') },
      { tool: 'read_passage', attempt: 2, error: expect.stringContaining('t-99') },
    ]);
    expect(answer).toMatchObject({ citations: ['t-0'], abstained: false });
    // The model's next turn saw the error as the tool's result.
    const lastTurn = server.requestsTo('chat').at(-1)?.body as { messages: { role: string; content: string }[] };
    expect(lastTurn.messages.at(-1)).toMatchObject({ role: 'tool', content: expect.stringContaining('t-99') });
  });

  test('past the step limit the agent stops before another model call and abstains', async () => {
    const before = server.requestsTo('chat').length;
    const answer = await run([SEARCH, SEARCH, SEARCH, SEARCH, FINAL], { maxSteps: 3 });
    expect(server.requestsTo('chat').length - before).toBe(3);
    expect(answer).toMatchObject({ text: NOT_FOUND, abstained: true });
    expect(answer.trace?.stopped).toBe('step-limit');
    expect(queries).toHaveLength(3);
  });

  test('past the token budget the agent stops and abstains', async () => {
    const answer = await run([SEARCH, READ, FINAL], { maxTokens: 10 });
    expect(answer.trace?.stopped).toBe('token-budget');
    expect(answer.trace?.steps.filter((s) => s.kind === 'model')).toHaveLength(1);
    expect(answer.abstained).toBe(true);
  });

  test('past the time budget the agent stops and abstains, however long the server would take', async () => {
    server.configure({ chatScript: () => SEARCH, delayMs: 2_000, delayOn: 'chat' });
    const answerer = await createAgentAnswerer(agentConfig({ maxTotalMs: 300 }), { passages });
    const answer = await answerer.answer('When was the bridge approved?', [], fakeTools(queries));
    expect(answer).toMatchObject({ text: NOT_FOUND, abstained: true, trace: { stopped: 'time-budget' } });
  });

  test('a server that keeps failing is a user error naming the endpoint', async () => {
    server.configure({ failFirst: 10, failStatus: 500, failOn: 'chat' });
    const answerer = await createAgentAnswerer(agentConfig(), { passages });
    const error = await answerer.answer('When was the bridge approved?', [], fakeTools(queries)).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect(String(error)).toContain(`${server.baseURL}/chat/completions`);
  });
});
