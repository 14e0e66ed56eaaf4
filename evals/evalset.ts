import { z } from 'zod';
import { UserError } from '../starter/errors.ts';
import { sha256, stableHash } from '../starter/hash.ts';
import { describeJsonError, fieldColumn, readTextOrFail } from '../starter/jsonl.ts';

/**
 * What a question tests. `factoid`, `numeric`, `comparison` (two passages, or two options side by side) and
 * `paraphrase` came with the speeches; the docs types are what people ask of a library's docs: `howto` (the answer
 * is a command or code, often only in a code fence), `option` (an option's name or its default value),
 * `definition` (what is X) and `which` ("which hook/option/command does Y"). `unanswerable`: on topic, not answered.
 */
export const QUESTION_TYPES = ['factoid', 'numeric', 'comparison', 'paraphrase', 'howto', 'option', 'definition', 'which', 'unanswerable'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** Bump when questions change; the test split's hash is pinned per version in evalset.lock.json. */
export const EVALSET_VERSIONS = [1, 2, 3] as const;

export const evalItemSchema = z
  .object({
    version: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    id: z.string().min(1),
    question: z.string(),
    answers: z.array(z.string()),
    gold: z.array(z.string()),
    type: z.enum(QUESTION_TYPES),
    split: z.enum(SPLITS),
    /** `draft` items (e.g. proposed by a model) are skipped by `eval` until a person reviews them. */
    status: z.enum(['draft', 'reviewed']).optional(),
    /** For drafts: the passage text the question should be written from. */
    context: z.string().optional(),
    /** Relevance judgements only, no answer strings (e.g. imported from BEIR qrels): answer metrics skip it. */
    retrievalOnly: z.boolean().optional(),
  })
  .strict();
export type EvalItem = z.infer<typeof evalItemSchema>;

export interface EvalSet {
  items: EvalItem[];
  /** sha256 of the file's bytes: runs on different eval sets are never compared. */
  hash: string;
  file: string;
}

export interface EvalsetProblem {
  line: number;
  /** Where in the line, when the problem is the line's JSON or one field (1-based). */
  column?: number;
  message: string;
}

/** "file:line:column" (or "file:line") of a problem, for messages. */
export function problemAt(file: string, problem: EvalsetProblem): string {
  return `${file}:${problem.line}${problem.column ? `:${problem.column}` : ''}`;
}

/** Every problem in an eval set file, each with its line, so a person can fix them all in one pass. */
export function findEvalsetProblems(text: string, knownPassageIds: ReadonlySet<string>): { items: EvalItem[]; problems: EvalsetProblem[] } {
  const items: EvalItem[] = [];
  const problems: EvalsetProblem[] = [];
  const seen = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      const { column, reason } = describeJsonError(raw.trimEnd(), error);
      problems.push({ line, column, message: `not valid JSON (${reason})` });
      return;
    }
    const parsed = evalItemSchema.safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ line, column: fieldColumn(raw, issue.path), message: `${issue.path.join('.') || 'record'}: ${issue.message}` });
      return;
    }
    const item = parsed.data;
    const previous = seen.get(item.id);
    if (previous !== undefined) problems.push({ line, message: `duplicate id "${item.id}" (first on line ${previous})` });
    seen.set(item.id, line);
    const draft = item.status === 'draft';
    if (!draft && !item.question.trim()) problems.push({ line, message: 'empty question' });
    for (const id of item.gold) if (!knownPassageIds.has(id)) problems.push({ line, message: `unknown passage id "${id}" in gold` });
    if (item.type === 'unanswerable') {
      if (item.answers.length > 0 || item.gold.length > 0) problems.push({ line, message: 'an unanswerable question must have empty answers and gold' });
    } else if (!draft && !item.retrievalOnly) {
      if (item.answers.length === 0 || item.answers.some((a) => !a.trim())) problems.push({ line, message: 'empty answers: give at least one non-empty gold answer string' });
    }
    if (item.type !== 'unanswerable' && !draft && item.gold.length === 0) problems.push({ line, message: 'empty gold: list the passage ids that support the answer' });
    items.push(item);
  });
  if (items.length === 0 && problems.length === 0) problems.push({ line: 1, message: 'the eval set has no questions' });
  return { items, problems };
}

export async function loadEvalset(file: string, knownPassageIds: ReadonlySet<string>): Promise<EvalSet> {
  const text = await readTextOrFail(file, 'eval set', 'Create it (see docs/month-3-evals.md) or run `ragfolio evalset draft`.');
  const { items, problems } = findEvalsetProblems(text, knownPassageIds);
  const first = problems[0];
  if (first) {
    const more = problems.length > 1 ? ` (+${problems.length - 1} more: run \`ragfolio evalset validate\`)` : '';
    throw new UserError(`${problemAt(file, first)}: ${first.message}${more}. Fix the eval set.`);
  }
  return { items, hash: sha256(text), file };
}

/** Items a run scores: the chosen split, reviewed or hand-written only. */
export function selectItems(evalset: EvalSet, split: Split | 'all'): EvalItem[] {
  return evalset.items.filter((item) => item.status !== 'draft' && (split === 'all' || item.split === split));
}

/**
 * Fingerprint of the test split: its items' content, in id order, whatever the file's line order or the
 * dev items. A test compares it with the pin in evalset.lock.json, so a test question cannot change quietly.
 */
export function testSplitHash(items: readonly EvalItem[]): string {
  const test = items.filter((item) => item.split === 'test').sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return stableHash(test.map(({ id, question, answers, gold, type }) => ({ id, question, answers, gold, type })));
}

export const evalsetLockSchema = z.object({ version: z.number().int(), test: z.object({ questions: z.number().int(), sha256: z.string() }) }).strict();
export type EvalsetLock = z.infer<typeof evalsetLockSchema>;

/** The lock a version of the eval set pins: its version (the items' own) and its test split's size and hash. */
export function evalsetLock(items: readonly EvalItem[]): EvalsetLock {
  const versions = new Set(items.map((item) => item.version ?? 1));
  if (versions.size > 1) throw new UserError(`the eval set mixes versions ${[...versions].join(', ')}: give every item the same "version".`);
  return { version: [...versions][0] ?? 1, test: { questions: items.filter((i) => i.split === 'test').length, sha256: testSplitHash(items) } };
}
