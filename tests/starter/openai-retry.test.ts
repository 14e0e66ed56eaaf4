import { describe, expect, test } from 'vitest';
import { isUserError } from '../../starter/errors.ts';
import { callOpenAi, endpointUrl, networkPolicy, onRetry, UnusableReply } from '../../starter/openai-retry.ts';

const endpoint = { name: 'the chat model', url: 'http://127.0.0.1:9/v1/chat/completions', settings: 'generator' };
const policy = networkPolicy({ timeoutMs: 200, maxRetries: 2, maxTotalMs: 5_000 });

/** An error shaped like the openai SDK's APIError. */
const httpError = (status: number, extra: { headers?: Record<string, string>; code?: string } = {}) =>
  Object.assign(new Error(`${status} status code (no body)`), { status, headers: new Headers(extra.headers ?? {}), code: extra.code, error: { message: `server says ${status}.` } });

/** Run a call whose attempts throw `errors` in turn (then succeed); what it resolved or threw, and how many attempts. */
async function attempt(errors: unknown[], options: { caller?: AbortSignal } = {}) {
  let attempts = 0;
  const lines: string[] = [];
  onRetry((line) => lines.push(line));
  try {
    const value = await callOpenAi(
      endpoint,
      policy,
      async () => {
        const error = errors[attempts++];
        if (error) throw error;
        return 'ok';
      },
      options.caller,
    );
    return { value, attempts, lines };
  } catch (error) {
    return { error, attempts, lines };
  } finally {
    onRetry(undefined);
  }
}

describe('callOpenAi', () => {
  test('the defaults bound every call: 30 s an attempt, 3 retries, 60 s in all', () => {
    expect(networkPolicy()).toEqual({ timeoutMs: 30_000, maxRetries: 3, maxTotalMs: 60_000 });
    expect(networkPolicy({ timeoutMs: 5 })).toEqual({ timeoutMs: 5, maxRetries: 3, maxTotalMs: 60_000 });
  });

  test('retry-after-ms, retry-after in seconds and as an HTTP date are honoured', async () => {
    const waits: Record<string, string>[] = [{ 'retry-after-ms': '20' }, { 'retry-after': '0.02' }, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }];
    for (const headers of waits) {
      const result = await attempt([httpError(429, { headers })]);
      expect(result).toMatchObject({ value: 'ok', attempts: 2 });
      expect(result.lines).toEqual([expect.stringMatching(/answered 429 \(attempt 1 of 3\); retrying in 0\.0 s$/)]);
    }
  });

  test('errors a retry cannot fix end at once, as a UserError saying what to check', async () => {
    const cases: [unknown, RegExp][] = [
      [httpError(401), /answered 401 "server says 401" \(1 attempt, [\d.]+ s in all\)\. Check OPENAI_API_KEY\.$/],
      [httpError(404), /answered 404 .*Check generator\.model in ragfolio\.config\.json and OPENAI_BASE_URL/],
      [httpError(400), /answered 400 .*Check generator in ragfolio\.config\.json\.$/],
      [httpError(429, { code: 'insufficient_quota' }), /answered 429 .*out of quota/],
      [new UnusableReply('3 vectors for 4 texts'), /sent a reply that cannot be used: 3 vectors for 4 texts .*OpenAI-compatible API/],
    ];
    for (const [error, message] of cases) {
      const result = await attempt([error, error, error]);
      expect(result.attempts).toBe(1);
      expect(isUserError(result.error)).toBe(true);
      expect((result.error as Error).message).toMatch(new RegExp(`^the chat model at ${endpoint.url} `));
      expect((result.error as Error).message).toMatch(message);
    }
  });

  test('a bug of ours inside an attempt is not dressed up as the server’s fault', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'embedding')");
    const result = await attempt([bug]);
    expect(result).toMatchObject({ error: bug, attempts: 1 });
  });

  test('the caller giving up ends the call with its own error, without retries or a message', async () => {
    const caller = new AbortController();
    caller.abort();
    const reset = Object.assign(new Error('Connection error.'), { cause: { code: 'ECONNRESET' } });
    const result = await attempt([reset, reset], { caller: caller.signal });
    expect(result).toMatchObject({ error: reset, attempts: 1, lines: [] });
  });

  test('a wait past maxTotalMs is not started: the call fails at once, saying why', async () => {
    const result = await attempt([httpError(503, { headers: { 'retry-after': '30' } })]);
    expect(result.attempts).toBe(1);
    expect((result.error as Error).message).toMatch(/answered 503 \(1 attempt, [\d.]+ s in all; the server asked to wait 30\.0 s, past generator\.maxTotalMs\)\. The server failed/);
  });
});

describe('the total time limit', () => {
  test('the last attempt gets what is left of maxTotalMs, and no attempt starts without time for an answer', async () => {
    const limited = networkPolicy({ timeoutMs: 1_200, maxRetries: 5, maxTotalMs: 1_250 });
    let attempts = 0;
    const error = await callOpenAi(endpoint, limited, (signal) => {
      attempts++;
      // First a 503 asking for 0.1 s, then a server that never answers.
      if (attempts === 1) return Promise.reject(httpError(503, { headers: { 'retry-after-ms': '100' } }));
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    }).catch((e: unknown) => e);
    expect(attempts).toBe(2);
    expect((error as Error).message).toMatch(/did not answer within 11\d\d ms \(2 attempts, 1\.\d s in all; another attempt would run past generator\.maxTotalMs\)\. .*raise generator\.timeoutMs/);
  });
});

describe('endpointUrl', () => {
  test('joins the base URL and the path, leaving out credentials and the query', () => {
    expect(endpointUrl('http://user:secret@localhost:11434/v1/?x=1', '/embeddings')).toBe('http://localhost:11434/v1/embeddings');
    expect(endpointUrl(undefined, '/chat/completions')).toBe('https://api.openai.com/v1/chat/completions');
  });
});
