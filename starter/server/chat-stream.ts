import { ChatOpenAI } from '@langchain/openai';
import { formatContext, SYSTEM_PROMPT } from '../answer/chat.ts';
import type { Usage } from '../answer/types.ts';
import type { Config } from '../config.ts';
import { openAiConnection } from '../openai-env.ts';
import type { RetrievedChunk } from '../retrieve.ts';

type ChatConfig = Extract<Config['generator'], { provider: 'openai' }>;

/** A piece of a streamed answer: text as it arrives, and token usage when the server reports it (last). */
export interface AnswerDelta {
  text: string;
  usage?: Usage;
}

export interface AnswerStreamer {
  readonly id: string;
  stream(question: string, contexts: readonly RetrievedChunk[], signal?: AbortSignal): AsyncIterable<AnswerDelta>;
}

/**
 * The chat answerer's prompt, streamed with `.stream()`. Never `streaming: true` on ChatOpenAI: offline it
 * downloads a tokenizer file and stalls for minutes (see shared DEPENDENCIES.md).
 */
export function createChatStreamer(config: ChatConfig, env: NodeJS.ProcessEnv = process.env): AnswerStreamer {
  const { apiKey, baseURL } = openAiConnection(env);
  const model = new ChatOpenAI({ model: config.model, temperature: config.temperature, apiKey, maxRetries: config.maxRetries, timeout: config.timeoutMs, configuration: { baseURL } });
  return {
    id: `openai:${config.model}`,
    async *stream(question, contexts, signal) {
      const chunks = await model.stream(
        [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: `Context:\n${formatContext(contexts)}\n\nQuestion: ${question}` },
        ],
        { signal },
      );
      for await (const chunk of chunks) {
        const text = typeof chunk.content === 'string' ? chunk.content : chunk.content.map((part) => ('text' in part ? String(part.text) : '')).join('');
        const usage = chunk.usage_metadata ? { inputTokens: chunk.usage_metadata.input_tokens, outputTokens: chunk.usage_metadata.output_tokens } : undefined;
        if (text || usage) yield usage ? { text, usage } : { text };
      }
    },
  };
}
