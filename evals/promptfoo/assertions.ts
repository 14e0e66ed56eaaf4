// promptfoo `javascript` assertions that reuse the offline metrics, so both harnesses agree on what passes.
import { isAbstention } from '../../starter/answer/abstention.ts';
import { citationPrecision } from '../metrics/citations.ts';
import { groundedness } from '../metrics/groundedness.ts';

interface Context {
  vars: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Passes when at least one cited passage is a gold passage. */
export function citesGold(_output: string, context: Context) {
  const gold = typeof context.vars.gold === 'string' ? context.vars.gold.split(',').filter(Boolean) : [];
  const precision = citationPrecision(strings(context.metadata?.citations), gold);
  return { pass: precision !== null && precision > 0, score: precision ?? 0, reason: `citation precision ${precision === null ? 'n/a (nothing cited)' : precision.toFixed(2)}` };
}

/** Passes when every answer sentence is supported by the retrieved text (the offline groundedness measure). */
export function grounded(output: string, context: Context) {
  const score = groundedness(output, strings(context.metadata?.contexts));
  return { pass: score === null || score >= 1, score: score ?? 1, reason: `groundedness ${score === null ? 'n/a (abstained)' : score.toFixed(2)}` };
}

/** Passes when the answer abstains, by the rule ask, serve and the offline eval use. */
export function abstains(output: string) {
  const pass = isAbstention(output);
  return { pass, score: pass ? 1 : 0, reason: pass ? 'abstained' : 'answered a question the corpus does not answer' };
}
