import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createJudge, judgePrompt, parseVerdict, RUBRIC } from '../../evals/metrics/judge.ts';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../helpers/openai-server.ts';

let server: FakeOpenAiServer;
let dir: string;
const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };

beforeAll(async () => {
  // The fake judge calls an answer faithful when it quotes the context, correct when it contains a reference.
  server = await startFakeOpenAiServer({
    chatContent: (_system, user) => {
      const answer = user.split('Answer to grade:\n')[1] ?? '';
      const correct = /Reference answers:\n- (.+)/.exec(user)?.[1];
      return `Sure: {"faithfulness": ${user.includes(`] ${answer}`) ? 1 : 0.5}, "correct": ${correct !== undefined && answer.includes(correct)}}`;
    },
  });
  process.env.OPENAI_BASE_URL = server.baseURL;
  process.env.OPENAI_API_KEY = 'test';
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-judge-'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
  for (const [name, value] of [
    ['OPENAI_API_KEY', saved.key],
    ['OPENAI_BASE_URL', saved.url],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('LLM judge', () => {
  const input = { question: 'Which river?', answer: 'The Blue River.', references: ['Blue River'], contexts: ['The Blue River.'] };

  test('sends the stored rubric at temperature 0 and turns the verdict into metrics', async () => {
    const judge = await createJudge('fake-judge', join(dir, 'judge.json'));
    expect(await judge.grade(input)).toEqual({ judge_faithfulness: 1, judge_correct: 1 });
    const body = server.requestsTo('chat').at(-1)?.body as { temperature?: number; messages: { role: string; content: string }[] };
    expect(body.temperature).toBe(0);
    expect(body.messages[0]).toEqual({ role: 'system', content: RUBRIC });
    expect(body.messages[1]?.content).toBe(judgePrompt(input));
  });

  test('caches by (model, rubric, inputs): a second grading, even after a restart, makes no request', async () => {
    const file = join(dir, 'cached.json');
    const first = await createJudge('fake-judge', file);
    await first.grade(input);
    await first.save();
    const before = server.requestsTo('chat').length;
    const again = await createJudge('fake-judge', file);
    expect(await again.grade(input)).toEqual({ judge_faithfulness: 1, judge_correct: 1 });
    expect(server.requestsTo('chat').length).toBe(before);
    await again.grade({ ...input, answer: 'The Red River.' });
    expect(server.requestsTo('chat').length).toBe(before + 1);
  });

  test('an unparseable verdict gives no judge metrics rather than a made-up score', () => {
    expect(parseVerdict('I think it is fine')).toBeUndefined();
    expect(parseVerdict('{"faithfulness": 2, "correct": true}')).toBeUndefined();
    expect(parseVerdict('```json\n{"faithfulness": 0.25, "correct": false}\n```')).toEqual({ faithfulness: 0.25, correct: false });
  });
});
