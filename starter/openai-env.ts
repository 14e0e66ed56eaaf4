import { UserError } from './errors.ts';

export interface OpenAiConnection {
  apiKey: string;
  baseURL: string | undefined;
}

/** The part of ragfolio.config.json that chose an OpenAI-compatible model, named when the connection is missing. */
export type OpenAiUser = 'generator' | 'embeddings' | 'judge';

const CHOSEN_BY: Record<OpenAiUser, { chose: string; instead: string }> = {
  generator: { chose: 'generator.provider is "openai" or "agent"', instead: 'set generator.provider to "extractive"' },
  embeddings: { chose: 'embeddings.provider is "openai"', instead: 'set embeddings.provider to "local"' },
  judge: { chose: 'eval.judge asks for an LLM judge', instead: 'remove eval.judge' },
};

/**
 * Where to reach an OpenAI-compatible API: OPENAI_API_KEY for OpenAI itself, or OPENAI_BASE_URL for
 * a local server (Ollama, vLLM, LM Studio), which usually needs no key.
 */
export function openAiConnection(env: NodeJS.ProcessEnv = process.env, user: OpenAiUser = 'generator'): OpenAiConnection {
  const apiKey = env.OPENAI_API_KEY?.trim();
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  if (!apiKey && !baseURL) {
    const { chose, instead } = CHOSEN_BY[user];
    throw new UserError(
      `ragfolio.config.json: ${chose}, but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set. Set one (copy .env.example to .env, fill it in, then: set -a; . ./.env; set +a), or ${instead}.`,
    );
  }
  // The SDK refuses an empty key even for servers that ignore it.
  return { apiKey: apiKey || 'not-needed', baseURL };
}
