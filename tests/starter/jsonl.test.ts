import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { UserError } from '../../starter/errors.ts';
import { parseJsonl } from '../../starter/jsonl.ts';

const schema = z.object({ id: z.string(), n: z.number() });
const parse = (text: string) => parseJsonl(text, schema, 'data.jsonl', 'Fix it.');
const messageOf = (text: string) => {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('parsed without an error');
};

describe('parseJsonl', () => {
  test('parses records with their line numbers, skipping blank lines', () => {
    expect(parse('{"id": "a", "n": 1}\n\n{"id": "b", "n": 2}\n')).toEqual([
      { line: 1, value: { id: 'a', n: 1 } },
      { line: 3, value: { id: 'b', n: 2 } },
    ]);
  });

  test('a line that is not JSON: file:line:column and the reason', () => {
    expect(messageOf('{"id": "a", "n": 1}\n{"id": "b" "n": 2}')).toBe("data.jsonl:2:12: not valid JSON (Expected ',' or '}' after property value). Fix it.");
    // The column counts the line as written, leading spaces included.
    expect(messageOf('   {"id": "b" "n": 2}')).toBe("data.jsonl:1:15: not valid JSON (Expected ',' or '}' after property value). Fix it.");
    expect(messageOf('{"id": "a", "n": ')).toBe('data.jsonl:1:17: not valid JSON (Unexpected end of JSON input). Fix it.');
  });

  test('a record of the wrong shape: file:line:column of the field, and the reason', () => {
    expect(messageOf('{"id": "a", "n": "one"}')).toBe('data.jsonl:1:13: n: Invalid input: expected number, received string. Fix it.');
    expect(messageOf('{"n": 1}')).toMatch(/^data\.jsonl:1:1: id: /);
  });
});
