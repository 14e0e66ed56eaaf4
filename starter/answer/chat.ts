import { createChatModel, messageText } from '../chat-model.ts';
import type { Config } from '../config.ts';
import type { RetrievedChunk } from '../retrieve.ts';
import { isAbstention } from './abstention.ts';
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
  const { model } = await createChatModel(config);
  return {
    id: `openai:${config.model}`,
    async answer(question, retrieved): Promise<Answer> {
      const message = await model.invoke(answerMessages(question, retrieved));
      const text = messageText(message.content);
      const allowed = new Set(retrieved.flatMap(({ chunk }) => chunk.passageIds));
      const usage = message.usage_metadata ? { inputTokens: message.usage_metadata.input_tokens, outputTokens: message.usage_metadata.output_tokens } : undefined;
      return { text: text.trim(), citations: parseCitations(text, allowed), abstained: isAbstention(text), usage };
    },
  };
}
