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

/** Parse JSON Lines text, validating each record; errors name the file and line. Blank lines are skipped. */
export function parseJsonl<T>(text: string, schema: z.ZodType<T>, file: string, fix: string): ParsedLine<T>[] {
  const out: ParsedLine<T>[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]?.trim();
    if (!raw) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new UserError(`${file}:${i + 1}: not valid JSON. ${fix}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new UserError(`${file}:${i + 1}: ${describeZodError(parsed.error)}. ${fix}`);
    }
    out.push({ line: i + 1, value: parsed.data });
  }
  return out;
}
