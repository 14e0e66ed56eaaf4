import { AsyncCaller, classifyRateLimitError } from '@langchain/core/utils/async_caller';
import { UserError } from './errors.ts';

export interface OpenAiConnection {
  apiKey: string;
  baseURL: string | undefined;
}

/**
 * Where to reach an OpenAI-compatible API: OPENAI_API_KEY for OpenAI itself, or OPENAI_BASE_URL for
 * a local server (Ollama, vLLM, LM Studio), which usually needs no key.
 */
export function openAiConnection(env: NodeJS.ProcessEnv = process.env): OpenAiConnection {
  const apiKey = env.OPENAI_API_KEY?.trim();
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  if (!apiKey && !baseURL) {
    throw new UserError(
      'ragfolio.config.json chooses the "openai" provider, but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set. Set one (see .env.example), or switch the provider back to "local"/"extractive".',
    );
  }
  // The SDK refuses an empty key even for servers that ignore it.
  return { apiKey: apiKey || 'not-needed', baseURL };
}

// LangChain does not export its default handler; a fresh caller holds it (bracket access: it is `protected`).
// biome-ignore lint/complexity/useLiteralKeys: bracket access is how TypeScript allows reading a protected field.
const defaultOnFailedAttempt = new AsyncCaller({})['onFailedAttempt'];

/**
 * LangChain's retry handler gives up at once on a 429 that carries no retry-after header; most
 * OpenAI-compatible servers send none, so retry it with backoff like a 5xx, as `maxRetries` promises.
 */
export function retryRateLimits(error: unknown): void {
  if (classifyRateLimitError(error)?.reason === 'headerless_429') return;
  defaultOnFailedAttempt?.(error);
}
