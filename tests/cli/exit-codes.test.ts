import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { RunFile } from '../../evals/run-file.ts';
import { EXIT, runProgram } from '../../scripts/cli/run-program.ts';
import { UserError } from '../../starter/errors.ts';
import { onRetry } from '../../starter/openai-retry.ts';
import { referenceRun } from '../evals/reference-run.ts';
import { type CliResult, REPO_ROOT, runCli, runCliInProcess, stderrLines } from '../helpers/cli.ts';
import { type FakeOpenAiServer, startFakeOpenAiServer } from '../helpers/openai-server.ts';
import { createTempProject, snapshotFiles, type TempProject } from '../helpers/temp-project.ts';

/**
 * The exit-code contract of docs/exit-codes.md: 0 ok, 1 a gate or check failed, 2 the user's input or
 * environment (usage, config, data, missing key, an upstream server that fails), 3 only our own bugs.
 */

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

async function project(config: unknown): Promise<TempProject> {
  const p = await createTempProject({ config });
  roots.push(p.root);
  return p;
}

function expectExit(result: CliResult, code: number): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
}

/** Exit 2 with one final stderr line (after any retry lines) that is not an internal error. */
function expectUserError(result: CliResult, pattern: RegExp): string {
  expectExit(result, 2);
  const last = stderrLines(result).at(-1) ?? '';
  expect(last).toMatch(/^ragfolio: /);
  expect(last).toMatch(pattern);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  return last;
}

describe('docs/exit-codes.md', () => {
  test('lists exactly the codes the CLI uses, and the README links it', () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs', 'exit-codes.md'), 'utf8');
    const listed = [...docs.matchAll(/^\| (\d) \|/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual(Object.values(EXIT));
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain('(docs/exit-codes.md)');
  });

  test('only the CLI entry sets 2 and 3; commands set nothing but 1 (a gate or check failed)', () => {
    const dirs = ['scripts/cli', 'scripts/commands'];
    const setters = dirs.flatMap((dir) =>
      readdirSync(join(REPO_ROOT, dir))
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => [...readFileSync(join(REPO_ROOT, dir, f), 'utf8').matchAll(/process\.exit(?:Code\s*=\s*([^;\n]*)|\((\d*)\))/g)].map((m) => `${dir}/${f}: ${m[1] ?? m[2]}`)),
    );
    for (const setter of setters) expect(setter).toMatch(/^scripts\/cli\/run-program\.ts: (0|exitCodeFor\(error\))$|^scripts\/commands\/[\w-]+\.ts: 1$/);
  });
});

describe('runProgram maps what a command throws', () => {
  async function run(action: () => void, argv: string[] = ['go']): Promise<{ code: number | string | undefined; stderr: string }> {
    const program = new Command()
      .name('ragfolio')
      .exitOverride()
      .configureOutput({ writeErr: () => {}, writeOut: () => {} });
    program.command('go').action(action);
    const savedCode = process.exitCode;
    let stderr = '';
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      await runProgram(program, argv);
      return { code: process.exitCode, stderr };
    } finally {
      spy.mockRestore();
      process.exitCode = savedCode;
      onRetry(undefined);
    }
  }

  test('a UserError: exit 2 and its message as one line', async () => {
    const result = await run(() => {
      throw new UserError('data/corpus.jsonl:3: text: required. Add the field.');
    });
    expect(result).toEqual({ code: 2, stderr: 'ragfolio: data/corpus.jsonl:3: text: required. Add the field.\n' });
  });

  test('anything else is our bug: exit 3, "internal error", the stack only with --verbose', async () => {
    const result = await run(() => {
      throw new TypeError("Cannot read properties of undefined (reading 'dims')");
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("ragfolio: internal error: Cannot read properties of undefined (reading 'dims') (run with --verbose for the stack trace)\n");
  });

  test('usage errors exit 2, --help exits 0', async () => {
    expect((await run(() => {}, ['nope'])).code).toBe(2);
    expect((await run(() => {}, ['go', '--nope'])).code).toBe(2);
    expect((await run(() => {}, ['--help'])).code).toBe(0);
  });
});

describe('the CLI end to end', () => {
  const NET = { timeoutMs: 300, maxRetries: 1, maxTotalMs: 3_000 };
  let server: FakeOpenAiServer;
  let p: TempProject;
  const env = () => ({ OPENAI_BASE_URL: server.baseURL });

  beforeAll(async () => {
    server = await startFakeOpenAiServer();
    p = await project({
      dataset: 'datasets/x',
      embeddings: { provider: 'openai', model: 'fake-embed', ...NET },
      generator: { provider: 'openai', model: 'fake-chat', ...NET },
      retriever: { kind: 'hybrid', k: 3 },
    });
  });
  afterAll(() => server?.close());

  // As a user's shell sees them, from a real process: usage (2), a missing key (2), a hung server the process
  // still exits on (2) and a failed gate (1). The rest run in-process (runCliInProcess): same codes, same output.
  test('usage: an unknown command or option exits 2', async () => {
    expectExit(await runCli(['frobnicate']), 2);
    expectExit(await runCli(['-C', p.root, 'ask', '--nope', 'x']), 2);
  });

  test('openai embeddings without OPENAI_API_KEY or OPENAI_BASE_URL exit 2, naming the embeddings and .env.example', async () => {
    const result = await runCli(['-C', p.root, 'ingest']);
    expectUserError(result, /embeddings\.provider is "openai", but neither OPENAI_API_KEY nor OPENAI_BASE_URL is set\. .*\.env\.example.*set embeddings\.provider to "local"/);
    expect(stderrLines(result)).toHaveLength(1);
  });

  test('with the server up: ingest exits 0', async () => {
    const result = await runCliInProcess(['-C', p.root, 'ingest', '--json'], { env: env() });
    expectExit(result, 0);
    expect(JSON.parse(result.stdout)).toMatchObject({ upToDate: false, chunks: 5 });
  });

  test('embeddings that accept and never answer: ask exits 2 within maxTotalMs, each retry shown on stderr (issue 16, points 1 and 5)', async () => {
    server.configure({ fault: 'hang', failOn: 'embeddings' });
    try {
      const result = await runCli(['-C', p.root, 'ask', 'How long was the harbor closed?'], { env: env() });
      const last = expectUserError(
        result,
        new RegExp(`^ragfolio: the embeddings endpoint at ${server.baseURL}/embeddings did not answer within 300 ms \\(2 attempts, [\\d.]+ s in all\\)\\. .*embeddings\\.timeoutMs \\(300\\)`),
      );
      expect(Number(/([\d.]+) s in all/.exec(last)?.[1])).toBeLessThanOrEqual(NET.maxTotalMs / 1000 + 0.1);
      expect(stderrLines(result)).toEqual([expect.stringMatching(/^ragfolio: the embeddings endpoint at \S+ did not answer within 300 ms \(attempt 1 of 2\); retrying in [\d.]+ s$/), last]);
      expect(result.stdout).toBe('');
    } finally {
      server.configure({});
    }
  });

  test('a chat server answering 503 every time: exit 2 naming the endpoint, status, attempts and what to check, not exit 3 (issue 16, point 3)', async () => {
    server.configure({ failFirst: 99, failStatus: 503, failOn: 'chat' });
    try {
      const result = await runCliInProcess(['-C', p.root, 'ask', 'How long was the harbor closed?'], { env: env() });
      expectUserError(
        result,
        new RegExp(`^ragfolio: the chat model at ${server.baseURL}/chat/completions answered 503 \\(2 attempts, [\\d.]+ s in all\\)\\. The server failed: check its status or logs`),
      );
      // One retry of the chat model, then the error, and nothing else (no stack). On a loaded machine the question's
      // embedding may also miss its 300 ms and be retried once: a line of its own, in the same form.
      const lines = stderrLines(result);
      const retries = lines.slice(0, -1);
      expect(retries.filter((l) => l.includes('the chat model'))).toHaveLength(1);
      for (const line of retries) expect(line).toMatch(/^ragfolio: the (chat model|embeddings endpoint) at \S+ .*\(attempt 1 of 2\); retrying in [\d.]+ s$/);
      expect(retries.length).toBeLessThanOrEqual(2);
    } finally {
      server.configure({});
    }
  });

  test('evalset draft --propose fills the stubs from the chat model, and waits no longer than the generator’s limits', async () => {
    server.configure({ chatContent: () => '{"question": "How long was the harbor closed?", "answer": "three days"}' });
    try {
      const out = join(p.root, 'proposed.jsonl');
      expectExit(await runCliInProcess(['-C', p.root, 'evalset', 'draft', '--n', '2', '--propose', '--model', 'fake-chat', '--out', out], { env: env() }), 0);
      const items = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { question: string; answers: string[]; status: string });
      expect(items).toEqual([0, 1].map(() => expect.objectContaining({ question: 'How long was the harbor closed?', answers: ['three days'], status: 'draft' })));

      // A chat server that never answers: the generator's timeoutMs (300) and maxRetries (1) apply, not the defaults.
      server.configure({ fault: 'hang', failOn: 'chat' });
      const hung = await runCliInProcess(['-C', p.root, 'evalset', 'draft', '--n', '1', '--propose', '--model', 'fake-chat', '--out', join(p.root, 'hung.jsonl')], { env: env() });
      expectUserError(hung, /^ragfolio: the chat model at \S+ did not answer within 300 ms \(2 attempts, [\d.]+ s in all\)/);
      expect(readdirSync(p.root)).not.toContain('hung.jsonl');
    } finally {
      server.configure({});
    }
  });

  test('an eval stopped by a failing chat server keeps its answers and says so, with the command that resumes it; the next run resumes and says so', async () => {
    const questions = ['Which river will the new bridge cross?', 'What fruit do the farmers grow?', 'How long was the harbor closed?', 'How many teachers were hired?'];
    const evalset = questions.map((question, i) => JSON.stringify({ id: `q${i}`, question, answers: ['x'], gold: [`t-${i}`], type: 'factoid', split: 'dev' }));
    await writeFile(join(p.root, 'datasets', 'x', 'evalset.jsonl'), `${evalset.join('\n')}\n`);
    const args = ['-C', p.root, 'eval', '--label', 'resumable'];
    expectExit(await runCliInProcess(['-C', p.root, 'ingest'], { env: env() }), 0);
    server.configure({ okFirst: 2, failFirst: 99, failStatus: 503, failOn: 'chat' });
    try {
      const stopped = await runCliInProcess(args, { env: env() });
      expectUserError(stopped, /answered 503 .*\. The eval stopped after 2 of 4 questions; their answers are kept: run `npx ragfolio -C \S+ eval --label resumable` to resume from question 3\.$/);
    } finally {
      server.configure({});
    }
    const before = server.requestsTo('chat').length;
    const resumed = await runCliInProcess(args, { env: env() });
    expectExit(resumed, 0);
    expect(resumed.stderr).toMatch(/^resuming a stopped run: 2 of 4 questions answered last time are kept \(\S+\.partial-resumable-\S+\.json\)$/m);
    expect(server.requestsTo('chat').length - before).toBe(2);
  });

  test('an ingest whose embeddings fail exits 2 and leaves the existing index as it was', async () => {
    const indexDir = join(p.root, '.ragfolio', 'index');
    const [folder = ''] = readdirSync(indexDir);
    const files = readdirSync(join(indexDir, folder)).map((f) => join(indexDir, folder, f));
    const before = await snapshotFiles(files);
    server.configure({ failFirst: 99, failStatus: 500, failOn: 'embeddings' });
    try {
      await writeFile(
        p.corpusFile,
        `${readFileSync(p.corpusFile, 'utf8')}${JSON.stringify({ id: 't-5', docId: 'doc-5', title: 'Town news', text: 'A new passage to embed.', start: 0, end: 23, meta: {} })}\n`,
      );
      expectUserError(await runCliInProcess(['-C', p.root, 'ingest'], { env: env() }), /the embeddings endpoint at \S+\/embeddings answered 500/);
      expect(await snapshotFiles(files)).toEqual(before);
      expect(readdirSync(indexDir)).toEqual([folder]);
    } finally {
      server.configure({});
    }
  });

  test('a gated regression exits 1', async () => {
    const c = await project({});
    // The shipped baseline, or a synthetic run of its shape in a project that has none (one on its own docs).
    const shipped = referenceRun();
    const worse: RunFile = { ...shipped, records: shipped.records.map((r) => ({ ...r, metrics: { ...r.metrics, contains: 0, 'hit@5': 0, 'ndcg@10': 0 } })) };
    await mkdir(join(c.root, 'evals'));
    await writeFile(join(c.root, 'evals', 'baseline.json'), JSON.stringify(shipped));
    await writeFile(join(c.root, 'worse.json'), JSON.stringify(worse));
    const result = await runCli(['-C', c.root, 'compare', join(c.root, 'evals', 'baseline.json'), join(c.root, 'worse.json')]);
    expectExit(result, 1);
    expect(result.stdout).toContain('gate failed');
  });
});
