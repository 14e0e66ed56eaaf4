import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RUBRIC } from '../../evals/metrics/judge.ts';
import { runEval } from '../../evals/run.ts';
import { errorMessage, exitCodeFor } from '../../scripts/cli/run-program.ts';
import { type Config, configSchema, loadProjectConfig, type ProjectConfig } from '../../starter/config.ts';
import { ingest } from '../../starter/ingest.ts';
import { onRetry } from '../../starter/openai-retry.ts';
import { loadPipeline } from '../../starter/pipeline.ts';
import { createChatStreamer } from '../../starter/server/chat-stream.ts';
import { createFixtureProject } from '../evals/fixture-project.ts';
import { type Endpoint, type FakeOpenAiOptions, type FakeOpenAiServer, startFakeOpenAiServer, useOpenAiEnv } from '../helpers/openai-server.ts';

/**
 * Every way an OpenAI-compatible server can fail, against every caller: the chat generator (through `eval`),
 * a streamed answer (through the server's streamer), the embeddings (through `ingest` and `ask`) and the judge
 * (through `eval`). Limits are small so the suite is fast; the checks are the CLI contract: exit code, one
 * stderr line naming the endpoint and the fix, the time spent within maxTotalMs, and no file left half-written.
 * The key is a canary that does not look like OpenAI's (local servers' keys rarely start with sk-): no message,
 * retry line, stack trace or file may show it, whatever the server repeats.
 */

// A 250 ms timeout (2 s in all) failed in a generated project's npm test on a loaded 2-core machine, two test files
// at a time: the fake server in this process did not get to answer in time. One second leaves that margin.
const NET = { timeoutMs: 1_000, maxRetries: 1, maxTotalMs: 4_000 };
const CANARY = `local-token-${randomBytes(12).toString('hex')}`;
const ATTEMPTS = NET.maxRetries + 1;
const TIMED_OUT = new RegExp(`did not answer within ${NET.timeoutMs} ms .*raise \\S+\\.timeoutMs \\(${NET.timeoutMs}\\)`);

type Target = 'chat' | 'stream' | 'embeddings' | 'query embedding' | 'judge';

interface FaultCase {
  name: string;
  server: Omit<FakeOpenAiOptions, 'failOn'>;
  /** Exit 0 when the call recovers; otherwise exit 2 after `attempts`, with a message matching `says`. */
  recovers?: true;
  attempts?: number | ((target: Target) => number);
  says?: RegExp;
  targets?: readonly Target[];
}

const ALL: readonly Target[] = ['chat', 'stream', 'embeddings', 'query embedding', 'judge'];

const CASES: FaultCase[] = [
  { name: '429, then OK', server: { failFirst: 1, failStatus: 429 }, recovers: true },
  { name: '429 with retry-after: 1, then OK', server: { failFirst: 1, failStatus: 429, retryAfter: '1' }, recovers: true },
  {
    name: '429 with retry-after: 3600, always',
    server: { failFirst: 99, failStatus: 429, retryAfter: '3600' },
    attempts: 1,
    says: /answered 429 "Rate limit reached \(fake server\)" .*the server asked to wait 3600\.0 s, past \S+\.maxTotalMs\)\. .*rate-limiting/,
  },
  { name: '429 without retry-after, always', server: { failFirst: 99, failStatus: 429 }, attempts: ATTEMPTS, says: /answered 429 .*rate-limiting: wait and retry, or raise \S+\.maxRetries/ },
  { name: 'always 5xx', server: { failFirst: 99, failStatus: 503 }, attempts: ATTEMPTS, says: /answered 503 .*The server failed: check its status or logs/ },
  { name: 'connection reset', server: { fault: 'reset' }, attempts: ATTEMPTS, says: /could not be reached \(\w+\).*Check that the server is running and that OPENAI_BASE_URL points at it/ },
  { name: 'accept and hang', server: { fault: 'hang' }, attempts: ATTEMPTS, says: TIMED_OUT },
  // A stream that has shown text is not retried: the retry would show it twice.
  { name: 'slow-drip body', server: { fault: 'drip' }, attempts: (t) => (t === 'stream' ? 1 : ATTEMPTS), says: TIMED_OUT },
  { name: '401 repeating the key', server: { fault: 'unauthorized' }, attempts: 1, says: /answered 401 "Incorrect API key provided: \[redacted\]\. .*Check OPENAI_API_KEY\./ },
  { name: 'malformed JSON', server: { fault: 'malformed' }, attempts: 1, says: /cannot be used: not valid JSON.*OPENAI_BASE_URL points at an OpenAI-compatible API/ },
  {
    name: 'wrong vector length',
    server: { fault: 'short-vector' },
    attempts: 1,
    says: /cannot be used: 7-dimensional vectors where (other vectors have|the index holds) 8.*ingest --force/,
    targets: ['embeddings', 'query embedding'],
  },
];

const ENDPOINT: Record<Target, { path: string; name: string; failOn: Endpoint }> = {
  chat: { path: '/chat/completions', name: 'the chat model', failOn: 'chat' },
  stream: { path: '/chat/completions', name: 'the chat model', failOn: 'chat' },
  embeddings: { path: '/embeddings', name: 'the embeddings endpoint', failOn: 'embeddings' },
  'query embedding': { path: '/embeddings', name: 'the embeddings endpoint', failOn: 'embeddings' },
  judge: { path: '/chat/completions', name: 'the judge', failOn: 'chat' },
};

let restoreEnv: (() => void) | undefined;
const retries: string[] = [];
const measured: { target: Target; fault: string; code: number; ms: number; attempts: number }[] = [];

let server: FakeOpenAiServer;
let root: string;
/** openai embeddings and generator, ingested; the judge variant has the extractive generator and an openai judge. */
let chatProject: ProjectConfig;
let judgeProject: ProjectConfig;
let embedCase = 0;

// The judge's replies must be verdicts; everything else gets the server's default citing reply.
const chatContent = (system: string, user: string) => (system === RUBRIC ? '{"faithfulness": 1, "correct": true}' : `The context answers this [${/\[([^\]]+)\]/.exec(user)?.[1] ?? 'p0'}].`);

beforeAll(async () => {
  server = await startFakeOpenAiServer({ chatContent });
  restoreEnv = useOpenAiEnv(server.baseURL, CANARY);
  onRetry((line) => retries.push(line));
  ({ root } = await createFixtureProject());
  const config = {
    dataset: 'data',
    embeddings: { provider: 'openai', model: 'fake-embed', ...NET },
    retriever: { kind: 'hybrid', k: 2 },
    generator: { provider: 'openai', model: 'fake-chat', ...NET },
    eval: { resamples: 200 },
  };
  await writeFile(join(root, 'ragfolio.config.json'), JSON.stringify(config));
  chatProject = await loadProjectConfig(root);
  judgeProject = await loadProjectConfig(
    root,
    (c: Config): Config => ({ ...c, generator: configSchema.shape.generator.parse({ provider: 'extractive' }), eval: { ...c.eval, judge: { model: 'fake-judge', ...NET } } }),
  );
  await ingest(chatProject);
});

afterAll(async () => {
  onRetry(undefined);
  restoreEnv?.();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
  // FAULT_TABLE=1 prints what each case measured (exit code, attempts, total time), for the note.
  if (process.env.FAULT_TABLE) console.log(measured.map((m) => `| ${m.target} | ${m.fault} | ${m.code} | ${m.attempts} | ${(m.ms / 1000).toFixed(2)} s |`).join('\n'));
});

/** Run one target's operation; for the embeddings, a fresh model name, so nothing is cached yet. */
async function operate(target: Target): Promise<ProjectConfig> {
  if (target === 'chat') {
    await runEval(chatProject, { label: 'faults' });
    return chatProject;
  }
  if (target === 'judge') {
    await runEval(judgeProject, { label: 'faults-judge' });
    return judgeProject;
  }
  if (target === 'stream') {
    const pipeline = await loadPipeline(chatProject);
    const contexts = await pipeline.retriever.retrieve('Which river will the new bridge cross?', 2);
    if (chatProject.config.generator.provider !== 'openai') throw new Error('unreachable');
    const streamer = await createChatStreamer(chatProject.config.generator);
    let text = '';
    for await (const delta of streamer.stream('Which river will the new bridge cross?', contexts)) text += delta.text;
    expect(text).toMatch(/\[p\d\]/);
    return chatProject;
  }
  if (target === 'query embedding') {
    const pipeline = await loadPipeline(chatProject);
    await pipeline.ask('Which river will the new bridge cross?');
    return chatProject;
  }
  embedCase++;
  const project = await loadProjectConfig(root, (c: Config): Config => ({ ...c, embeddings: { provider: 'openai', model: `fake-embed-${embedCase}`, ...NET } }));
  await ingest(project);
  return project;
}

/** Every file under the data folder and runs/, with its text. */
async function outputs(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const dir of [join(root, '.ragfolio'), join(root, 'runs')]) {
    if (!existsSync(dir)) continue;
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      const file = join(entry.parentPath, entry.name);
      if (entry.isFile()) found.set(file, await readFile(file, 'utf8'));
    }
  }
  return found;
}

/** Nothing is half-written (no temp file is left, every JSON file parses), and no file holds the key. */
function expectWhole(files: Map<string, string>): void {
  for (const [file, text] of files) {
    expect(text, file).not.toContain(CANARY);
    expect(file).not.toMatch(/\.tmp$/);
    if (file.endsWith('.json')) expect(() => JSON.parse(text), file).not.toThrow();
  }
}

describe.each(ALL)('faults on %s', (target) => {
  const cases = CASES.filter((c) => (c.targets ?? ALL).includes(target));
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, fault) => {
    const endpoint = ENDPOINT[target];
    server.configure({ ...fault.server, failOn: endpoint.failOn, chatContent });
    retries.length = 0;
    // The judge caches its verdicts: without this, a second judge case would send no request at all.
    await rm(join(root, '.ragfolio', 'cache', 'judge.json'), { force: true });
    const before = await outputs();
    const requestsBefore = server.requestsTo(endpoint.failOn).length;

    const started = performance.now();
    const error = await operate(target).then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = performance.now() - started;
    server.configure({ chatContent });
    const code = error === undefined ? 0 : exitCodeFor(error);
    const statuses = server
      .requestsTo(endpoint.failOn)
      .slice(requestsBefore)
      .map((r) => r.status);
    // The canary did go out: a message without it proves redaction, not a key never sent.
    expect(server.requestsTo(endpoint.failOn).at(-1)?.authorization).toBe(`Bearer ${CANARY}`);

    if (fault.recovers) {
      measured.push({ target, fault: fault.name, code, ms, attempts: 2 });
      expect(error, String(error)).toBeUndefined();
      expect(statuses.slice(0, 2)).toEqual([429, 200]);
      // The retry showed as one line naming the endpoint, and waited what the server asked.
      expect(retries).toHaveLength(1);
      expect(retries[0]).toMatch(new RegExp(`^ragfolio: ${endpoint.name} at ${server.baseURL}${endpoint.path} answered 429 \\(attempt 1 of ${ATTEMPTS}\\); retrying in [\\d.]+ s$`));
      if (fault.server.retryAfter) expect(retries[0]).toMatch(/retrying in 1\.0 s$/);
      expectWhole(await outputs());
      return;
    }

    const attempts = typeof fault.attempts === 'function' ? fault.attempts(target) : (fault.attempts ?? 1);
    measured.push({ target, fault: fault.name, code, ms, attempts });
    expect(code, String(error)).toBe(2);
    const message = errorMessage(error, false) ?? '';
    for (const shown of [message, errorMessage(error, true) ?? '', ...retries]) expect(shown).not.toContain(CANARY);
    expect(message.endsWith('\n') && !message.slice(0, -1).includes('\n'), message).toBe(true);
    const parsed = new RegExp(`^ragfolio: ${endpoint.name} at ${server.baseURL}${endpoint.path} .* \\((\\d+) attempts?, ([\\d.]+) s in all[^)]*\\)\\. \\S`).exec(message);
    expect(parsed, message).not.toBeNull();
    expect(message).toMatch(fault.says ?? /./);
    expect(Number(parsed?.[1]), message).toBe(attempts);
    expect(statuses.length).toBe(attempts);
    // One line per retry, before the final message.
    expect(retries).toHaveLength(attempts - 1);
    // The total stays within maxTotalMs by our own accounting, and within a generous bound by the clock.
    expect(Number(parsed?.[2])).toBeLessThanOrEqual(NET.maxTotalMs / 1000 + 0.1);
    expect(ms).toBeLessThan(NET.maxTotalMs + 10_000);

    // Nothing new was finished from a failed call (no run file, no index), and nothing is half-written.
    const after = await outputs();
    expect([...after.keys()].filter((f) => !before.has(f) && /manifest\.json$|runs\/[^.][^/]*\.json$/.test(f))).toEqual([]);
    expectWhole(after);
  });
});
