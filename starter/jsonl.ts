import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { UserError } from './errors.ts';

/** Describe the first zod issue as "field: message", short enough for a one-line error. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${path}${issue.message}`;
}

/**
 * Line and column (1-based) of a JSON.parse error. Node 20 gives a character position ("... in JSON at position
 * 42"), or for an unexpected token only the text around it (V8 shows up to 10 characters either side, with "..."
 * where it cut), or nothing at the end of the input; newer Node versions add "(line 3 column 5)".
 */
export function describeJsonError(text: string, error: unknown): { line: number; column: number; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const token = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  const reason = token ? `unexpected ${JSON.stringify(token[1])}` : message.replace(/ at position \d+.*$| \(line \d+ column \d+\)$/, '').replace(/ in JSON$/, '');
  const given = /line (\d+) column (\d+)/.exec(message);
  if (given) return { line: Number(given[1]), column: Number(given[2]), reason };
  let position = text.length;
  const at = /at position (\d+)/.exec(message);
  if (at) position = Number(at[1]);
  else if (token) {
    const [, char = '', cutBefore, context = '', cutAfter] = token;
    if (!cutBefore && cutAfter) position = context.length - 10;
    else if (cutBefore && !cutAfter) position = text.length - context.length + 10;
    else if (cutBefore) position = text.indexOf(context) + 10;
    else position = text.indexOf(char);
  }
  const before = text.slice(0, Math.max(0, position));
  return { line: before.split('\n').length, column: before.length - (before.lastIndexOf('\n') + 1) + 1, reason };
}

/** The 1-based column where a record names the field a zod issue is about ("key": ...), or 1 when it does not (a missing field). */
export function fieldColumn(line: string, path: readonly PropertyKey[]): number {
  const key = path[0];
  return (typeof key === 'string' ? line.indexOf(JSON.stringify(key)) : -1) + 1 || 1;
}

export async function readTextOrFail(path: string, what: string, fix: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: ${what} not found. ${fix}`);
    throw error;
  }
}

export interface ParsedLine<T> {
  line: number;
  value: T;
}

/** Parse JSON Lines text, validating each record; errors name file:line:column and why. Blank lines are skipped. */
export function parseJsonl<T>(text: string, schema: z.ZodType<T>, file: string, fix: string): ParsedLine<T>[] {
  const out: ParsedLine<T>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.replace(/\r$/, '') ?? '';
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      const { column, reason } = describeJsonError(line.trimEnd(), error);
      throw new UserError(`${file}:${i + 1}:${column}: not valid JSON (${reason}). ${fix}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new UserError(`${file}:${i + 1}:${fieldColumn(line, parsed.error.issues[0]?.path ?? [])}: ${describeZodError(parsed.error)}. ${fix}`);
    }
    out.push({ line: i + 1, value: parsed.data });
  }
  return out;
}
