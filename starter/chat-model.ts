import type { MessageContent } from '@langchain/core/messages';
import type { ChatOpenAI } from '@langchain/openai';
import { openAiConnection, retryRateLimits } from './openai-env.ts';

export interface ChatModelOptions {
  model: string;
  temperature: number;
  maxRetries: number;
  timeoutMs?: number;
}

/**
 * The one place a chat model is made (answers, streamed answers, the judge, drafts): connection from the
 * environment, header-less 429s retried like 5xx. Never `streaming: true`: offline it fetches a tokenizer
 * file and stalls for minutes (see DEPENDENCIES.md); call `.stream()` for chunks instead.
 * @langchain/openai is imported here, on first use: it takes ~1 s to load, which offline commands never need.
 */
export async function createChatModel(options: ChatModelOptions, env: NodeJS.ProcessEnv = process.env): Promise<{ model: ChatOpenAI; baseURL: string | undefined }> {
  const { apiKey, baseURL } = openAiConnection(env);
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({
    model: options.model,
    temperature: options.temperature,
    apiKey,
    maxRetries: options.maxRetries,
    onFailedAttempt: retryRateLimits,
    timeout: options.timeoutMs,
    configuration: { baseURL },
  });
  return { model, baseURL };
}

/** The text of a message or chunk, whether the server sent a string or content parts. */
export function messageText(content: MessageContent): string {
  return typeof content === 'string' ? content : content.map((part) => ('text' in part ? String(part.text) : '')).join('');
}
