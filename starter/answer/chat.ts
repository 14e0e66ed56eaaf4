import { createChatModel, messageText } from '../chat-model.ts';
import type { Config } from '../config.ts';
import { UserError } from '../errors.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { parseCitations } from './citations.ts';
import { type Answer, type Answerer, NOT_FOUND } from './types.ts';

type ChatConfig = Extract<Config['generator'], { provider: 'openai' }>;

export const SYSTEM_PROMPT = `You answer questions using only the numbered context passages.
Cite every claim with the passage id in square brackets, e.g. [1990-bush-003].
If the passages do not contain the answer, reply exactly: ${NOT_FOUND}
Be brief: one to three sentences.`;

export function formatContext(retrieved: readonly RetrievedChunk[]): string {
  return retrieved.map(({ chunk }) => `[${chunk.passageIds[0] ?? chunk.id}] ${chunk.text}`).join('\n\n');
}

/** The system prompt and the user turn (retrieved context, then the question), as the chat model sees them. */
export function answerMessages(question: string, retrieved: readonly RetrievedChunk[]) {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: `Context:\n${formatContext(retrieved)}\n\nQuestion: ${question}` },
  ];
}

export async function createChatAnswerer(config: ChatConfig): Promise<Answerer> {
  const { model, baseURL } = await createChatModel(config);
  return {
    id: `openai:${config.model}`,
    async answer(question, retrieved): Promise<Answer> {
      let message: Awaited<ReturnType<typeof model.invoke>>;
      try {
        message = await model.invoke(answerMessages(question, retrieved));
      } catch (error) {
        throw describeChatError(error, baseURL ?? 'https://api.openai.com/v1', config.timeoutMs);
      }
      const text = messageText(message.content);
      const allowed = new Set(retrieved.flatMap(({ chunk }) => chunk.passageIds));
      const usage = message.usage_metadata ? { inputTokens: message.usage_metadata.input_tokens, outputTokens: message.usage_metadata.output_tokens } : undefined;
      return { text: text.trim(), citations: parseCitations(text, allowed), abstained: text.trim().startsWith(NOT_FOUND.replace(/\.$/, '')), usage };
    },
  };
}

function describeChatError(error: unknown, where: string, timeoutMs: number): Error {
  const text = String(error);
  if (/timed? ?out|TimeoutError|AbortError/i.test(text)) {
    return new UserError(`the chat model at ${where} did not answer within ${timeoutMs} ms. Check the server, or raise generator.timeoutMs in ragfolio.config.json.`, { cause: error });
  }
  if (/401|Incorrect API key|authentication/i.test(text)) {
    return new UserError(`the chat model at ${where} refused the API key (401). Check OPENAI_API_KEY.`, { cause: error });
  }
  return error instanceof Error ? error : new Error(text);
}
