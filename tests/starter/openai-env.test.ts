import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isUserError } from '../../starter/errors.ts';
import { openAiConnection } from '../../starter/openai-env.ts';
import { REPO_ROOT } from '../helpers/cli.ts';

function missingConnection(user?: Parameters<typeof openAiConnection>[1]): string {
  try {
    openAiConnection({}, user);
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('openAiConnection', () => {
  test('a key alone talks to OpenAI itself', () => {
    expect(openAiConnection({ OPENAI_API_KEY: ' sk-abc ' })).toEqual({ apiKey: 'sk-abc', baseURL: undefined });
  });

  test('a base URL alone is enough for a local server; the SDK still gets a placeholder key', () => {
    expect(openAiConnection({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toEqual({ apiKey: 'not-needed', baseURL: 'http://127.0.0.1:11434/v1' });
  });

  test('neither set (or only blanks) is a UserError naming both variables', () => {
    for (const env of [{}, { OPENAI_API_KEY: '  ', OPENAI_BASE_URL: '' }]) {
      expect(() => openAiConnection(env)).toThrow(/OPENAI_API_KEY.*OPENAI_BASE_URL/);
    }
  });

  test('the message names the part of the config that chose openai, and how to switch it back', () => {
    expect(missingConnection('generator')).toMatch(/generator\.provider is "openai".*set generator\.provider to "extractive"/);
    expect(missingConnection('embeddings')).toMatch(/embeddings\.provider is "openai".*set embeddings\.provider to "local"/);
    expect(missingConnection('judge')).toMatch(/eval\.judge .*remove eval\.judge/);
  });

  test('the .env.example it points to exists at the kit root and names both variables', async () => {
    expect(missingConnection()).toContain('.env.example');
    const file = join(REPO_ROOT, '.env.example');
    expect(existsSync(file)).toBe(true);
    const text = await readFile(file, 'utf8');
    expect(text).toMatch(/^OPENAI_API_KEY=/m);
    expect(text).toMatch(/OPENAI_BASE_URL=/);
  });

  // Only in the kit: a generated project's .env.example is made from this template.
  const template = join(REPO_ROOT, 'scripts', 'new', 'template', '_env.example');
  test.runIf(existsSync(template))("the kit's .env.example is the one `ragfolio new` gives a project", async () => {
    expect(await readFile(join(REPO_ROOT, '.env.example'), 'utf8')).toBe(await readFile(template, 'utf8'));
  });
});
