import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { promoteBaseline } from '../../evals/baseline.ts';
import { runEval } from '../../evals/run.ts';
import { publishSite } from '../../scripts/publish/site.ts';
import { loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { loadPipeline } from '../../starter/pipeline.ts';
import { type AskResponse, createApp } from '../../starter/server/app.ts';
import { createChatStreamer } from '../../starter/server/chat-stream.ts';
import { createFixtureProject } from '../evals/fixture-project.ts';
import { runCli } from '../helpers/cli.ts';
import { type FakeOpenAiServer, startFakeOpenAiServer, useOpenAiEnv } from '../helpers/openai-server.ts';
import { parseSse } from '../server/helpers.ts';

/**
 * A server that echoes: its answer repeats the whole prompt (which contains the "Not found in the corpus." instruction)
 * and the Authorization header it was sent. The key is a canary that does not look like OpenAI's. Every channel an
 * answer reaches (ask --json, the eval's run file, serve's JSON and SSE replies and its log, the site) must hide the
 * key, and every one must agree that an echo is not an abstention.
 */
const CANARY = `local-token-${randomBytes(12).toString('hex')}`;
const echo = (system: string, user: string, authorization: string) => `${system}\n\n${user}\n\n(sent with Authorization: ${authorization}; key ${authorization.replace(/^Bearer /, '')})`;
const QUESTION = 'Which river will the new bridge cross?';

let restoreEnv: (() => void) | undefined;
let server: FakeOpenAiServer;
let root: string;
let project: ProjectConfig;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ chatContent: echo });
  restoreEnv = useOpenAiEnv(server.baseURL, CANARY);
  ({ root } = await createFixtureProject());
  const config = {
    dataset: 'data',
    embeddings: { provider: 'openai', model: 'fake-embed' },
    retriever: { kind: 'hybrid', k: 2 },
    generator: { provider: 'openai', model: 'fake-chat', maxRetries: 0 },
    eval: { resamples: 200, split: 'all' },
  };
  await writeFile(join(root, 'ragfolio.config.json'), JSON.stringify(config));
  project = await loadProjectConfig(root);
  await ingest(project);
});

afterAll(async () => {
  restoreEnv?.();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The server was sent the canary and repeated it: a reply without it proves redaction. */
function expectEchoed(): void {
  const last = server.chatReplies.at(-1)?.content ?? '';
  expect(last).toContain(CANARY);
  expect(last).toContain('Not found in the corpus.');
}

describe('an echoing server, a key that does not start with sk-', () => {
  test('eval: the run file hides the key, and an echo is neither an abstention nor a false abstention', async () => {
    const { file, run } = await runEval(project, { label: 'echo' });
    expectEchoed();
    expect(await readFile(file, 'utf8')).not.toContain(CANARY);
    expect(run.records.length).toBeGreaterThan(0);
    for (const record of run.records) {
      expect(record.answer).toContain('[redacted]');
      expect(record.abstained, record.id).toBe(false);
      if (record.type === 'unanswerable') expect(record.metrics.abstain_correct, record.id).toBe(0);
      else expect(record.metrics.false_abstention, record.id).toBe(0);
    }
  });

  test('ask --json: stdout hides the key and says the same about abstention', async () => {
    const result = await runCli(['-C', root, 'ask', '--json', QUESTION], { env: { OPENAI_API_KEY: CANARY, OPENAI_BASE_URL: server.baseURL } });
    expect(result.code, result.stderr).toBe(0);
    expectEchoed();
    expect(result.stdout + result.stderr).not.toContain(CANARY);
    expect(JSON.parse(result.stdout)).toMatchObject({ abstained: false });
  });

  test('serve: JSON and streamed replies hide the key, agree on abstention, and a 401 repeating it stays out of the log', async () => {
    if (project.config.generator.provider !== 'openai') throw new Error('unreachable');
    const lines: string[] = [];
    const app = createApp({
      pipeline: await loadPipeline(project),
      settings: { k: 2, retriever: 'hybrid' },
      streamer: await createChatStreamer(project.config.generator),
      readLatestRun: async () => undefined,
      rateLimit: false,
      verbose: true,
      log: (line) => lines.push(line),
    });
    const ask = (accept: string) => app.request('/api/ask', { method: 'POST', headers: { 'content-type': 'application/json', accept }, body: JSON.stringify({ question: QUESTION }) });

    const json = await ask('application/json');
    expectEchoed();
    const jsonText = await json.text();
    expect(jsonText).not.toContain(CANARY);
    expect((JSON.parse(jsonText) as AskResponse).abstained).toBe(false);

    const sse = await (await ask('text/event-stream')).text();
    expectEchoed();
    expect(sse).not.toContain(CANARY);
    expect(parseSse(sse).at(-1)?.data).toMatchObject({ abstained: false });

    server.configure({ chatContent: echo, fault: 'unauthorized', failOn: 'chat' });
    const failed = await (await ask('text/event-stream')).text();
    server.configure({ chatContent: echo });
    expect(server.requestsTo('chat').at(-1)?.status).toBe(401);
    expect(failed).not.toContain(CANARY);
    expect(
      lines.some((l) => /answered 401/.test(l)),
      lines.join('\n'),
    ).toBe(true);
    expect(lines.join('\n')).not.toContain(CANARY);
  });

  test('publish: no page of the site shows the key, even from a run file written before answers were redacted', async () => {
    const { run } = await runEval(project, { label: 'echo-old' });
    await promoteBaseline(project, { ...run, records: run.records.map((r) => ({ ...r, answer: `The key is ${CANARY}.` })) });
    const out = join(root, 'site');
    await publishSite(project, { out, demo: false });
    const files = await readdir(out, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')));
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text).not.toContain(CANARY);
  });
});
