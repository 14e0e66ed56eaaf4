import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { type EvalItem, findEvalsetProblems, loadEvalset, QUESTION_TYPES, type QuestionType, selectItems } from '../../evals/evalset.ts';
import { loadCorpus } from '../../starter/corpus.ts';
import { UserError } from '../../starter/errors.ts';

const known = new Set(['p1', 'p2', 'p3']);
const line = (item: Partial<Record<keyof EvalItem, unknown>> & Record<string, unknown>) =>
  JSON.stringify({ id: 'q1', question: 'What?', answers: ['a'], gold: ['p1'], type: 'factoid', split: 'dev', ...item });

describe('findEvalsetProblems', () => {
  test('a valid file has no problems', () => {
    const text = [line({}), line({ id: 'q2', type: 'unanswerable', answers: [], gold: [] })].join('\n');
    const { items, problems } = findEvalsetProblems(text, known);
    expect(problems).toEqual([]);
    expect(items.map((i) => i.id)).toEqual(['q1', 'q2']);
  });

  test('reports every problem with its line number', () => {
    const text = [
      line({}),
      '{not json',
      line({ id: 'q1' }),
      line({ id: 'q3', gold: ['nope'] }),
      line({ id: 'q4', answers: [] }),
      line({ id: 'q5', answers: [''] }),
      line({ id: 'q6', type: 'unanswerable', answers: [], gold: ['p1'] }),
      line({ id: 'q7', type: 'opinion' }),
      line({ id: 'q8', question: '  ' }),
      line({ id: 'q9', extra: 1 }),
    ].join('\n');
    const { problems } = findEvalsetProblems(text, known);
    const byLine = new Map(problems.map((p) => [p.line, p.message]));
    expect(byLine.get(2)).toBe("not valid JSON (Expected property name or '}')");
    expect(problems.find((p) => p.line === 2)?.column).toBe(2);
    expect(byLine.get(3)).toContain('duplicate id "q1" (first on line 1)');
    expect(byLine.get(4)).toContain('unknown passage id "nope"');
    expect(byLine.get(5)).toContain('empty answers');
    expect(byLine.get(6)).toContain('empty answers');
    expect(byLine.get(7)).toContain('unanswerable');
    expect(byLine.get(8)).toContain('type');
    expect(byLine.get(9)).toContain('empty question');
    expect(byLine.get(10)).toContain('extra');
  });

  test('drafts may be incomplete, and eval skips them', () => {
    const text = [line({}), line({ id: 'd1', question: '', answers: [], status: 'draft', context: 'text' }), line({ id: 'q3', split: 'test' })].join('\n');
    const { items, problems } = findEvalsetProblems(text, known);
    expect(problems).toEqual([]);
    const set = { items, hash: 'h', file: 'f' };
    expect(selectItems(set, 'dev').map((i) => i.id)).toEqual(['q1']);
    expect(selectItems(set, 'all').map((i) => i.id)).toEqual(['q1', 'q3']);
  });

  test('every question type validates, the docs types (howto, option, definition, which) included', () => {
    const answerable = QUESTION_TYPES.filter((t) => t !== 'unanswerable');
    expect(answerable).toEqual(expect.arrayContaining(['howto', 'option', 'definition', 'which']));
    const text = answerable.map((type, i) => line({ id: `q${i}`, type })).join('\n');
    const { items, problems } = findEvalsetProblems(text, known);
    expect(problems).toEqual([]);
    expect(items.map((i) => i.type)).toEqual(answerable);
  });

  test('an empty file is a problem, not an empty eval', () => {
    expect(findEvalsetProblems('\n\n', known).problems).toEqual([{ line: 1, message: 'the eval set has no questions' }]);
  });
});

describe('the bundled SOTU eval set', async () => {
  const corpus = await loadCorpus('datasets/sotu/corpus.jsonl');
  const text = await readFile('datasets/sotu/evalset.jsonl', 'utf8');

  test('validates against the corpus: schema, unique ids, gold ids that exist, non-empty answers', () => {
    expect(findEvalsetProblems(text, new Set(corpus.byId.keys())).problems).toEqual([]);
  });

  // The speeches' types; the docs types (howto, option, definition, which) are for docs collections.
  const sotuTypes = ['factoid', 'numeric', 'comparison', 'paraphrase', 'unanswerable'] as const satisfies readonly QuestionType[];

  test('has at least 150 questions, every speech type, and 15+ comparison, paraphrase and unanswerable', async () => {
    const set = await loadEvalset('datasets/sotu/evalset.jsonl', new Set(corpus.byId.keys()));
    expect(set.items.length).toBeGreaterThanOrEqual(150);
    const count = (t: string) => set.items.filter((i) => i.type === t).length;
    for (const t of sotuTypes) expect(count(t), t).toBeGreaterThan(0);
    for (const t of ['comparison', 'paraphrase', 'unanswerable']) expect(count(t), t).toBeGreaterThanOrEqual(15);
  });

  test('both splits hold every question type (stratified), so dev tuning and test reporting see the same mix', async () => {
    const set = await loadEvalset('datasets/sotu/evalset.jsonl', new Set(corpus.byId.keys()));
    for (const t of sotuTypes) {
      for (const split of ['dev', 'test'] as const) expect(set.items.filter((i) => i.type === t && i.split === split).length, `${t}/${split}`).toBeGreaterThan(0);
    }
  });

  test('a broken eval set is a one-line UserError naming file and line', async () => {
    await expect(loadEvalset('datasets/sotu/corpus.jsonl', new Set())).rejects.toThrow(UserError);
    await expect(loadEvalset('datasets/sotu/corpus.jsonl', new Set())).rejects.toThrow(/corpus\.jsonl:1:1: question: /);
  });
});
