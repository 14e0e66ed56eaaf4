import { answerMessages } from '../answer/chat.ts';
import type { Usage } from '../answer/types.ts';
import { createChatModel, messageText } from '../chat-model.ts';
import type { Config } from '../config.ts';
import { createStreamRedactor } from '../redact.ts';
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

/** The chat answerer's prompt and model, streamed with `.stream()`. */
export async function createChatStreamer(config: ChatConfig, env: NodeJS.ProcessEnv = process.env): Promise<AnswerStreamer> {
  const { model } = await createChatModel(config, env);
  return {
    id: `openai:${config.model}`,
    async *stream(question, contexts, signal) {
      const chunks = await model.stream(answerMessages(question, contexts), { signal });
      // A key the server repeats may arrive split over several chunks.
      const redactor = createStreamRedactor(env);
      for await (const chunk of chunks) {
        const text = redactor.push(messageText(chunk.content, env));
        const usage = chunk.usage_metadata ? { inputTokens: chunk.usage_metadata.input_tokens, outputTokens: chunk.usage_metadata.output_tokens } : undefined;
        if (text || usage) yield usage ? { text, usage } : { text };
      }
      const rest = redactor.flush();
      if (rest) yield { text: rest };
    },
  };
}
