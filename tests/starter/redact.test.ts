import { describe, expect, test } from 'vitest';
import { createStreamRedactor, REDACTED, redact } from '../../starter/redact.ts';

const KEY = 'local-token-3f9a1c77e2';
const env = { OPENAI_API_KEY: KEY };

describe('redact', () => {
  test('hides the configured key by its value, whatever its shape', () => {
    expect(redact(`Incorrect API key provided: ${KEY}.`, env)).toBe(`Incorrect API key provided: ${REDACTED}.`);
    expect(redact(`x${KEY}y ${KEY}`, env)).toBe(`x${REDACTED}y ${REDACTED}`);
  });

  test('hides Authorization headers and bearer tokens, sk- keys and URL credentials, without a key configured', () => {
    expect(redact('request had "Authorization: Bearer abc.def-123"', {})).toBe(`request had "Authorization: ${REDACTED}"`);
    expect(redact('{"authorization":"Basic dXNlcjpwdw=="}', {})).toBe(`{"authorization":"${REDACTED}"}`);
    expect(redact('token was bearer xyz123', {})).toBe(`token was bearer ${REDACTED}`);
    expect(redact('key sk-proj-abcdefgh1234 failed', {})).toBe(`key ${REDACTED} failed`);
    expect(redact('at https://me:hunter2@example.com/v1', {})).toBe(`at https://${REDACTED}@example.com/v1`);
  });

  test('leaves ordinary text alone, and a key too short to hide by value', () => {
    const text = 'The bridge over the Blue River [p0] opened in 1999: see http://127.0.0.1:8080/v1.';
    expect(redact(text, env)).toBe(text);
    expect(redact('the key', { OPENAI_API_KEY: 'key' })).toBe('the key');
  });
});

describe('createStreamRedactor', () => {
  test('hides a key split over pieces, and holds back no more than a possible start of it', () => {
    const stream = createStreamRedactor(env);
    const pieces = ['The key is loc', 'al-tok', `en-3f9a1c77e2 and that's all. local`, ' news'];
    const out = pieces.map((p) => stream.push(p));
    expect(out[0]).toBe('The key is ');
    expect(out.join('') + stream.flush()).toBe(`The key is ${REDACTED} and that's all. local news`);
  });
});
