import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createChatModel, messageText } from '../../starter/chat-model.ts';
import { writeJsonAtomic } from '../../starter/fs-atomic.ts';
import { sha256, stableHash } from '../../starter/hash.ts';
import type { NetworkPolicy } from '../../starter/openai-retry.ts';

/** The rubric is a file in the repo, versioned with the code; its hash is part of every cache key. */
export const RUBRIC = readFileSync(new URL('./judge-rubric.md', import.meta.url), 'utf8');

export interface JudgeInput {
  question: string;
  answer: string;
  references: readonly string[];
  contexts: readonly string[];
}

const verdictSchema = z.object({ faithfulness: z.number().min(0).max(1), correct: z.boolean() });
export type JudgeVerdict = z.infer<typeof verdictSchema>;

export function judgePrompt(input: JudgeInput): string {
  const contexts = input.contexts.map((c, i) => `[${i + 1}] ${c}`).join('\n\n');
  const references = input.references.length > 0 ? input.references.map((r) => `- ${r}`).join('\n') : '(none: unanswerable)';
  return `Question: ${input.question}\n\nContext passages:\n${contexts}\n\nReference answers:\n${references}\n\nAnswer to grade:\n${input.answer}`;
}

export function parseVerdict(text: string): JudgeVerdict | undefined {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  if (!json) return undefined;
  try {
    const parsed = verdictSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface Judge {
  grade(input: JudgeInput): Promise<Record<string, number>>;
  /** Persist the cache (call once at the end of a run). */
  save(): Promise<void>;
}

/**
 * An LLM judge at temperature 0 with a fixed rubric, cached by (model, rubric hash, inputs), so re-running an
 * eval never pays twice for the same grading. An unparseable reply yields no judge metrics for that question.
 */
export async function createJudge(model: string, cacheFile: string, network: Partial<NetworkPolicy> = {}): Promise<Judge> {
  const { model: chat } = await createChatModel({ ...network, model, temperature: 0, user: 'judge' });
  const cache: Record<string, JudgeVerdict> = existsSync(cacheFile) ? (JSON.parse(await readFile(cacheFile, 'utf8')) as Record<string, JudgeVerdict>) : {};
  const rubricHash = sha256(RUBRIC);
  return {
    async grade(input): Promise<Record<string, number>> {
      const key = stableHash({ model, rubricHash, input });
      let verdict = cache[key];
      if (!verdict) {
        const reply = await chat.invoke([
          { role: 'system', content: RUBRIC },
          { role: 'user', content: judgePrompt(input) },
        ]);
        verdict = parseVerdict(messageText(reply.content));
        if (!verdict) return {};
        cache[key] = verdict;
      }
      return { judge_faithfulness: verdict.faithfulness, judge_correct: verdict.correct ? 1 : 0 };
    },
    save: () => writeJsonAtomic(cacheFile, cache),
  };
}
