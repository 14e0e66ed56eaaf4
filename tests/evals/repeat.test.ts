import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { flakyQuestions } from '../../evals/aggregate.ts';
import { compareRuns } from '../../evals/compare.ts';
import { runEval } from '../../evals/run.ts';
import { type RunFile, readRunFile } from '../../evals/run-file.ts';
import { createRng, type Rng } from '../../evals/stats/rng.ts';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { runCliInProcess } from '../helpers/cli.ts';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../helpers/openai-server.ts';
import { createTempProject, tinyPassages } from '../helpers/temp-project.ts';

// `eval --repeat` against the loopback fake OpenAI server answering at random with a fixed seed: each
// question has its own chance of a right answer (always, never, or a coin), so some questions are flaky.
const questions = [
  { id: 'q1', question: 'Which river will the new bridge cross?', answer: 'Blue River', gold: 't-0', chance: 1 },
  { id: 'q2', question: 'What fruit do the valley farmers grow?', answer: 'apples', gold: 't-1', chance: 0 },
  { id: 'q3', question: 'When do volunteers read stories at the library?', answer: 'Saturday', gold: 't-2', chance: 0.5 },
  { id: 'q4', question: 'How long was the harbor closed by the storm?', answer: 'three days', gold: 't-3', chance: 0.5 },
  { id: 'q5', question: 'How many new teachers did the school board hire?', answer: 'forty', gold: 't-4', chance: 0.5 },
  { id: 'q6', question: 'In which year was the bridge approved?', answer: '1999', gold: 't-0', chance: 0.5 },
];
const REPEATS = 5;

function randomAnswerer(rng: Rng): (system: string, user: string) => string {
  return (_system, user) => {
    const q = questions.find((x) => user.includes(x.question));
    if (!q) return 'Not found in the corpus.';
    return rng.next() < q.chance ? `${q.answer} [${q.gold}]` : `Something else entirely [${q.gold}].`;
  };
}

const ENV_KEYS = ['OPENAI_BASE_URL', 'OPENAI_API_KEY'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
let server: FakeOpenAiServer;
let root: string;
let project: ProjectConfig;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ chatContent: randomAnswerer(createRng(2026)) });
  process.env.OPENAI_BASE_URL = server.baseURL;
  process.env.OPENAI_API_KEY = 'sk-test-dummy';
  ({ root } = await createTempProject({
    config: {
      dataset: 'datasets/x',
      embeddings: { provider: 'openai', model: 'fake-embed' },
      retriever: { kind: 'hybrid', k: 3 },
      generator: { provider: 'openai', model: 'fake-chat', maxRetries: 0, timeoutMs: 10_000 },
      eval: { resamples: 500 },
    },
  }));
  const evalset = questions.map((q) => JSON.stringify({ id: q.id, question: q.question, answers: [q.answer], gold: [q.gold], type: 'factoid', split: 'dev' }));
  await writeFile(join(root, 'datasets', 'x', 'evalset.jsonl'), `${evalset.join('\n')}\n`);
  project = await loadProjectConfig(root);
  await ingest(project);
  expect(tinyPassages).toHaveLength(5);
});

afterAll(async () => {
  await server.close();
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  await rm(root, { recursive: true, force: true });
});

describe('eval --repeat against a randomised generator', () => {
  let first: RunFile;

  test('keeps every repeat, reports each question’s pass rate and the flaky ones', async () => {
    const { run, file } = await runEval(project, { split: 'dev', label: 'random', repeat: REPEATS });
    first = run;
    expect(await readRunFile(file)).toEqual(run);
    expect(run.repeats).toHaveLength(REPEATS);
    for (const rep of run.repeats ?? []) expect(rep.map((r) => r.id)).toEqual(questions.map((q) => q.id));
    // Each question's pass rate is the share of repeats it passed, recomputed here from the kept repeats.
    for (const [q, record] of run.records.entries()) {
      const passes = (run.repeats ?? []).filter((rep) => rep[q]?.metrics.contains === 1).length;
      expect(record.passRate).toBe(passes / REPEATS);
      expect(record.metrics.contains).toBeCloseTo(passes / REPEATS, 12);
    }
    const rate = (id: string) => run.records.find((r) => r.id === id)?.passRate;
    expect(rate('q1')).toBe(1);
    expect(rate('q2')).toBe(0);
    const flaky = flakyQuestions(run.records).map((f) => f.id);
    expect(flaky).not.toContain('q1');
    expect(flaky).not.toContain('q2');
    expect(flaky.length).toBeGreaterThan(0);
    const contains = run.aggregates.contains;
    expect(contains?.n).toBe(questions.length);
    // Pass rate by type counts each question once, passed when it passed in most repeats.
    const byType = Object.values(run.byType);
    expect(byType.reduce((s, t) => s + t.n, 0)).toBe(run.records.filter((r) => r.passRate !== undefined).length);
    expect(byType.reduce((s, t) => s + t.passed, 0)).toBe(run.records.filter((r) => (r.passRate ?? 0) > 0.5).length);
    expect(contains?.ci95[0]).toBeLessThan(contains?.mean ?? 0);
    expect(contains?.ci95[1]).toBeGreaterThan(contains?.mean ?? 1);
  });

  test('compare pairs the per-question means of two repeated runs', async () => {
    const { run: second } = await runEval(project, { split: 'dev', label: 'random-again', repeat: REPEATS });
    const c = compareRuns(first, second, { metrics: ['contains', 'hit@5'], gate: { metrics: ['contains'] }, alpha: 0.05, resamples: 500, seed: 1 });
    const contains = c.metrics.find((m) => m.metric === 'contains');
    expect(contains?.n).toBe(questions.length);
    const mean = (run: RunFile) => run.records.reduce((s, r) => s + (r.metrics.contains ?? 0), 0) / run.records.length;
    expect(contains?.diff).toBeCloseTo(mean(second) - mean(first), 12);
    // Per-question means are not 0/1: the permutation test, not McNemar.
    expect(contains?.test).toBe('permutation');
    expect(c.gate.family).toEqual(['contains']);
  });

  test('the CLI prints the flaky questions', async () => {
    const result = await runCliInProcess(['-C', root, 'eval', '--repeat', '5', '--label', 'cli'], { env: { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-test-dummy' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('5 repeats per question');
    expect(result.stdout).toMatch(/flaky questions/);
    expect(result.stdout).toMatch(/MDE: the drop the regression gate detects with power 0\.8 \(one-sided α\/m = 0\.0\d+, m = \d gated metrics/);
  });
});
