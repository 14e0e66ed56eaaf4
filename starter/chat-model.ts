import type { MessageContent } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import { type OpenAiUser, openAiConnection } from './openai-env.ts';
import { endpointUrl, networkPolicy, OpenAiCall, type OpenAiEndpoint } from './openai-retry.ts';
import { redact } from './redact.ts';

export interface ChatModelOptions {
  model: string;
  temperature: number;
  maxRetries?: number;
  timeoutMs?: number;
  maxTotalMs?: number;
  /** Who chose this model, for messages: the generator (default) or the judge. */
  user?: Extract<OpenAiUser, 'generator' | 'judge'>;
}

type Messages = Parameters<ChatOpenAI['invoke']>[0];
type Reply = Awaited<ReturnType<ChatOpenAI['invoke']>>;
type ReplyChunk = Awaited<ReturnType<ChatOpenAI['stream']>> extends AsyncIterable<infer C> ? C : never;

/** A chat model whose every call is bounded in time, retried when worth it, and fails with a UserError naming the endpoint. */
export interface ChatModel {
  invoke(messages: Messages, options?: { signal?: AbortSignal }): Promise<Reply>;
  /** Retried only until the first chunk arrives: after that a retry would repeat text already shown. */
  stream(messages: Messages, options?: { signal?: AbortSignal }): Promise<AsyncIterable<ReplyChunk>>;
}

const ENDPOINTS = {
  generator: { name: 'the chat model', settings: 'generator' },
  judge: { name: 'the judge', settings: 'eval.judge' },
} as const;

/**
 * The one place a chat model is made (answers, streamed answers, the judge, drafts): connection from the
 * environment, retries and time limits from openai-retry.ts (LangChain's own retries are off). Never
 * `streaming: true`: offline it fetches a tokenizer file and stalls for minutes (see DEPENDENCIES.md).
 * @langchain/openai is imported here, on first use: it takes ~1 s to load, which offline commands never need.
 */
export async function createChatModel(options: ChatModelOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ model: ChatModel; baseURL: string | undefined }> {
  const user = options.user ?? 'generator';
  const { apiKey, baseURL } = openAiConnection(env, user);
  const { ChatOpenAI } = await import('@langchain/openai');
  const chat = new ChatOpenAI({ model: options.model, temperature: options.temperature, apiKey, maxRetries: 0, configuration: { baseURL } });
  const endpoint: OpenAiEndpoint = { ...ENDPOINTS[user], url: endpointUrl(baseURL, '/chat/completions') };
  const policy = networkPolicy(options);
  const model: ChatModel = {
    async invoke(messages, { signal } = {}) {
      const call = new OpenAiCall(endpoint, policy, signal);
      return (await call.run((attempt) => chat.invoke(messages, { signal: attempt }))).value;
    },
    async stream(messages, { signal } = {}) {
      const call = new OpenAiCall(endpoint, policy, signal);
      const { value, signal: attempt } = await call.run(async (attempt) => {
        const chunks = (await chat.stream(messages, { signal: attempt }))[Symbol.asyncIterator]();
        const first = await chunks.next();
        // LangChain ends a stream quietly when its signal aborts: right when the caller left, not when a deadline passed.
        if (!signal?.aborted) attempt.throwIfAborted();
        return { chunks, first };
      });
      return (async function* () {
        try {
          for (let next = value.first; !next.done; next = await value.chunks.next()) yield next.value;
          if (!signal?.aborted) attempt.throwIfAborted();
        } catch (error) {
          throw call.fail(error, attempt);
        }
      })();
    },
  };
  return { model, baseURL };
}

/**
 * A ChatOpenAI for LangChain's agent, which binds tools to it and calls it itself: each call is bounded by
 * LangChain's own timeout and retries here, and the agent's whole run by its caller's deadline.
 */
export async function createToolCallingModel(options: ChatModelOptions & { timeoutMs: number; maxRetries: number }, env: NodeJS.ProcessEnv = process.env): Promise<{ model: ChatOpenAI; url: string }> {
  const { apiKey, baseURL } = openAiConnection(env, 'generator');
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({ model: options.model, temperature: options.temperature, apiKey, maxRetries: options.maxRetries, timeout: options.timeoutMs, configuration: { baseURL } });
  return { model, url: endpointUrl(baseURL, '/chat/completions') };
}

/**
 * The text of a message or chunk, whether the server sent a string or content parts, with secrets redacted:
 * a server that repeats the request's key in its reply must not put it in an answer, a run file or the site.
 */
export function messageText(content: MessageContent, env: NodeJS.ProcessEnv = process.env): string {
  return redact(typeof content === 'string' ? content : content.map((part) => ('text' in part ? String(part.text) : '')).join(''), env);
}
