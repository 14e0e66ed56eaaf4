import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { compareRuns } from '../../evals/compare.ts';
import { runEval } from '../../evals/run.ts';
import { readRunFile } from '../../evals/run-file.ts';
import { type Config, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { type FakeOpenAiServer, type ScriptedMessage, type ScriptedReply, startFakeOpenAiServer, useOpenAiEnv } from '../helpers/openai-server.ts';
import { createTempProject } from '../helpers/temp-project.ts';

// The same eval harness runs the single-shot chat answerer and the agent; `compare` pairs them question by question.
const questions = [
  { id: 'q1', question: 'How long was the harbor closed by the storm?', answer: 'three days', gold: 't-3' },
  { id: 'q2', question: 'How many new teachers did the school board hire?', answer: 'forty', gold: 't-4' },
];

/** A stateless agent script: search for the question, read the gold passage, answer from it. */
function agentTurn(messages: readonly ScriptedMessage[]): ScriptedReply {
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  const q = questions.find((x) => user.includes(x.question));
  const toolResults = messages.filter((m) => m.role === 'tool').length;
  if (!q) return { content: 'Not found in the corpus.' };
  if (toolResults === 0) return { toolCalls: [{ name: 'search_corpus', arguments: JSON.stringify({ query: q.question, k: 3 }) }] };
  if (toolResults === 1) return { toolCalls: [{ name: 'read_passage', arguments: JSON.stringify({ id: q.gold }) }] };
  return { content: `It was ${q.answer} [${q.gold}].` };
}

let restoreEnv: (() => void) | undefined;
let server: FakeOpenAiServer;
let root: string;
let project: ProjectConfig;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  restoreEnv = useOpenAiEnv(server.baseURL, 'sk-test-dummy');
  ({ root } = await createTempProject({
    config: {
      dataset: 'datasets/x',
      embeddings: { provider: 'openai', model: 'fake-embed' },
      retriever: { kind: 'hybrid', k: 3 },
      generator: { provider: 'openai', model: 'fake-chat', maxRetries: 0, timeoutMs: 10_000 },
      eval: { resamples: 200 },
    },
  }));
  const evalset = questions.map((q) => JSON.stringify({ id: q.id, question: q.question, answers: [q.answer], gold: [q.gold], type: 'comparison', split: 'dev' }));
  await writeFile(join(root, 'datasets', 'x', 'evalset.jsonl'), `${evalset.join('\n')}\n`);
  project = await loadProjectConfig(root);
  await ingest(project);
});
afterAll(async () => {
  restoreEnv?.();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('eval with the agent', () => {
  test('the run file records every step, and compare pairs it with the single-shot run', async () => {
    server.configure({ chatContent: () => 'Not found in the corpus.' });
    const single = await runEval(project, { split: 'dev', label: 'single' });

    server.configure({ chatScript: (_turn, messages) => agentTurn(messages) });
    const agentProject = await loadProjectConfig(root, (c: Config): Config => ({ ...c, generator: { ...configAgent() } }));
    const { file } = await runEval(agentProject, { split: 'dev', label: 'agent' });
    const agent = await readRunFile(file);

    expect(agent.generator).toBe('agent:fake-chat');
    for (const record of agent.records) {
      const q = questions.find((x) => x.id === record.id);
      expect(record).toMatchObject({ citations: [q?.gold], abstained: false, metrics: { contains: 1 } });
      expect(record.trace?.steps.map((s) => (s.kind === 'model' ? 'model' : s.tool))).toEqual(['model', 'search_corpus', 'model', 'read_passage', 'model']);
      expect(record.usage?.inputTokens).toBeGreaterThan(0);
    }
    expect(agent.operational.inputTokens).toBe(agent.records.reduce((sum, r) => sum + (r.usage?.inputTokens ?? 0), 0));

    const comparison = compareRuns(single.run, agent, { metrics: ['contains'], gate: { metrics: ['contains'] }, alpha: 0.05, resamples: 200, seed: 1 });
    expect(comparison.metrics.find((m) => m.metric === 'contains')).toMatchObject({ baseline: 0, candidate: 1, n: 2 });
    expect(comparison.flips.map((f) => f.direction)).toEqual(['fail→pass', 'fail→pass']);
  });
});

function configAgent(): Config['generator'] {
  return { provider: 'agent', model: 'fake-chat', temperature: 0, timeoutMs: 10_000, maxRetries: 0, maxSteps: 6, maxTokens: 20_000, maxTotalMs: 60_000, maxSearchK: 8 };
}
