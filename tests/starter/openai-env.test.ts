import { describe, expect, test } from 'vitest';
import { isUserError } from '../../starter/errors.ts';
import { openAiConnection, retryRateLimits } from '../../starter/openai-env.ts';

const httpError = (status: number, message = `${status} error`, headers: Record<string, string> = {}) => Object.assign(new Error(message), { status, headers });

describe('openAiConnection', () => {
  test('a key alone talks to OpenAI itself', () => {
    expect(openAiConnection({ OPENAI_API_KEY: ' sk-abc ' })).toEqual({ apiKey: 'sk-abc', baseURL: undefined });
  });

  test('a base URL alone is enough for a local server; the SDK still gets a placeholder key', () => {
    expect(openAiConnection({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toEqual({ apiKey: 'not-needed', baseURL: 'http://127.0.0.1:11434/v1' });
  });

  test('neither set (or only blanks) is a UserError naming both variables', () => {
    for (const env of [{}, { OPENAI_API_KEY: '  ', OPENAI_BASE_URL: '' }]) {
      let error: unknown;
      try {
        openAiConnection(env);
      } catch (e) {
        error = e;
      }
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(/OPENAI_API_KEY.*OPENAI_BASE_URL/);
    }
  });
});

describe('retryRateLimits (the retry policy given to LangChain)', () => {
  test('retries a 429 without a retry-after header, and a 5xx', () => {
    expect(() => retryRateLimits(httpError(429, 'Rate limit reached'))).not.toThrow();
    expect(() => retryRateLimits(httpError(503))).not.toThrow();
  });

  test('retries a 429 with a short retry-after, as LangChain does', () => {
    expect(() => retryRateLimits(httpError(429, 'Rate limit reached', { 'retry-after': '1' }))).not.toThrow();
  });

  test('stops on errors a retry cannot fix: bad key, bad request, exhausted quota', () => {
    expect(() => retryRateLimits(httpError(401))).toThrow();
    expect(() => retryRateLimits(httpError(400))).toThrow();
    expect(() => retryRateLimits(Object.assign(httpError(429, 'You exceeded your current quota'), { code: 'insufficient_quota' }))).toThrow();
  });
});
