import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { traceSchema } from '../../starter/answer/trace.ts';
import { type CliResult, runCliInProcess, stderrLines } from '../helpers/cli.ts';
import { type FakeOpenAiServer, type ScriptedReply, startFakeOpenAiServer } from '../helpers/openai-server.ts';
import { createTempProject, type TempProject } from '../helpers/temp-project.ts';

/** `ask` with generator.provider "agent" against the local OpenAI-compatible server, scripted turn by turn. */

const call = (name: string, args: object): ScriptedReply => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });
const FINAL = 'A storm closed the harbor for three days [t-3].';
const SCRIPT: ScriptedReply[] = [call('search_corpus', { query: 'harbor closed storm', k: 3 }), call('read_passage', { id: 't-3' }), { content: FINAL }];

let server: FakeOpenAiServer;
let p: TempProject;
const env = () => ({ OPENAI_BASE_URL: server.baseURL });
const ask = (...args: string[]) => runCliInProcess(['-C', p.root, 'ask', ...args, 'How long was the harbor closed?'], { env: env() });

function expectExit(result: CliResult, code: number): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
}

beforeAll(async () => {
  server = await startFakeOpenAiServer();
  p = await createTempProject({
    config: {
      dataset: 'datasets/x',
      embeddings: { provider: 'openai', model: 'fake-embed', timeoutMs: 2_000, maxRetries: 0 },
      generator: { provider: 'agent', model: 'fake-chat', timeoutMs: 2_000, maxRetries: 0, maxSteps: 4 },
      retriever: { kind: 'hybrid', k: 3 },
    },
  });
  expectExit(await runCliInProcess(['-C', p.root, 'ingest'], { env: env() }), 0);
});
afterAll(async () => {
  await server?.close();
  if (p) await rm(p.root, { recursive: true, force: true });
});

describe('ragfolio ask with the agent', () => {
  test('--trace prints the answer, its cited passage and every step; exit 0', async () => {
    server.configure({ chatScript: (turn) => SCRIPT[turn] ?? { content: FINAL } });
    const result = await ask('--trace');
    expectExit(result, 0);
    expect(result.stdout).toContain(FINAL);
    expect(result.stdout).toContain('[t-3]');
    expect(result.stdout).toMatch(
      /steps \(stopped: answered\):\n {2}1\. model: calls search_corpus .*\n {2}2\. search_corpus\(query="harbor closed storm" k=3\) → t-\d.*\n {2}3\. model: calls read_passage .*\n {2}4\. read_passage\(id="t-3"\) → t-3 .*\n {2}5\. model: final answer/,
    );
  });

  test('--json carries the trace in the answer record', async () => {
    server.configure({ chatScript: (turn) => SCRIPT[turn] ?? { content: FINAL } });
    const result = await ask('--json');
    expectExit(result, 0);
    const record = JSON.parse(result.stdout) as { citations: string[]; abstained: boolean; trace: unknown };
    expect(record).toMatchObject({ citations: ['t-3'], abstained: false });
    expect(traceSchema.parse(record.trace).steps).toHaveLength(5);
  });

  test('an agent that keeps searching stops at maxSteps and abstains: still exit 0, the stop shown', async () => {
    server.configure({ chatScript: () => call('search_corpus', { query: 'harbor' }) });
    const result = await ask('--trace');
    expectExit(result, 0);
    expect(result.stdout).toContain('Not found in the corpus.');
    expect(result.stdout).toContain('steps (stopped: step-limit)');
  });

  test('a chat server that fails every call: exit 2 with one line naming the endpoint', async () => {
    server.configure({ failFirst: 99, failStatus: 500, failOn: 'chat' });
    const result = await ask();
    expectExit(result, 2);
    expect(stderrLines(result).at(-1)).toMatch(new RegExp(`^ragfolio: the agent's chat model at ${server.baseURL}/chat/completions failed`));
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
