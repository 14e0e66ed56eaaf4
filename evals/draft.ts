import { z } from 'zod';
import { type ChatModelOptions, createChatModel, messageText } from '../starter/chat-model.ts';
import type { Passage } from '../starter/corpus.ts';
import type { EvalItem } from './evalset.ts';
import { createRng } from './stats/rng.ts';

/** n distinct passages drawn without replacement with a seeded PRNG (partial Fisher–Yates), in draw order. */
export function samplePassages(passages: readonly Passage[], n: number, seed: number): Passage[] {
  const pool = [...passages];
  const rng = createRng(seed);
  const count = Math.min(n, pool.length);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as Passage, pool[i] as Passage];
  }
  return pool.slice(0, count);
}

/** Stubs for a person to write questions for: the passage is the gold, its text rides along as context. */
export function draftStubs(passages: readonly Passage[], startIndex = 1): EvalItem[] {
  return passages.map((p, i) => ({
    id: `draft-${String(startIndex + i).padStart(3, '0')}`,
    question: '',
    answers: [],
    gold: [p.id],
    type: 'factoid',
    split: 'dev',
    status: 'draft',
    context: p.text,
  }));
}

const proposalSchema = z.object({ question: z.string().min(1), answer: z.string().min(1) });

export const PROPOSE_PROMPT = `Write one question that this passage answers, and its short answer (1-8 words, copied from the passage).
The question must be self-contained: name the president or year when needed. Reply with JSON only: {"question": "...", "answer": "..."}`;

/**
 * Ask a chat model to fill a stub; the item stays `status: draft` until a person reviews it. `limits` are the
 * project's generator time and retry limits when it has a chat generator, else the chat model's defaults.
 */
export async function proposeQuestions(stubs: readonly EvalItem[], model: string, limits: Pick<ChatModelOptions, 'maxRetries' | 'timeoutMs' | 'maxTotalMs'> = {}): Promise<EvalItem[]> {
  const { model: chat } = await createChatModel({ maxRetries: 3, ...limits, model, temperature: 0 });
  const out: EvalItem[] = [];
  for (const stub of stubs) {
    const reply = await chat.invoke([
      { role: 'system', content: PROPOSE_PROMPT },
      { role: 'user', content: stub.context ?? '' },
    ]);
    const text = messageText(reply.content);
    const json = /\{[\s\S]*\}/.exec(text)?.[0];
    const parsed = proposalSchema.safeParse(json ? safeJson(json) : undefined);
    out.push(parsed.success ? { ...stub, question: parsed.data.question, answers: [parsed.data.answer] } : stub);
  }
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
