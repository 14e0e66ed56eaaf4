import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { loadProjectConfig } from '../../starter/config.ts';
import { isUserError } from '../../starter/errors.ts';
import { describeJsonError } from '../../starter/jsonl.ts';
import { createTempProject } from '../helpers/temp-project.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

/** The text from the reported line and column on: it must start at the character JSON.parse stumbled on. */
function pointedAt(text: string): { line: number; column: number; rest: string } {
  let error: unknown;
  try {
    JSON.parse(text);
  } catch (e) {
    error = e;
  }
  const { line, column } = describeJsonError(text, error);
  return { line, column, rest: (text.split('\n')[line - 1] ?? '').slice(column - 1) };
}

describe('line and column of a JSON syntax error (Node 20 reports a position at most)', () => {
  test.each([
    ['a missing comma', '{\n  "dataset": "datasets/x"\n  "retriever": {}\n}\n', 3, 3, '"retriever"'],
    ['a value left out (short file)', '{"k": }', 1, 7, '}'],
    ['a value left out, near the end', '{\n  "dataset": "datasets/x",\n  "k": }\n', 3, 8, '}'],
    ['a value left out, mid-file', '{\n  "dataset": "datasets/x",\n  "k": ,\n  "retriever": { "kind": "hybrid" }\n}\n', 3, 8, ','],
    ['a stray character at the start', 'x{\n  "dataset": "datasets/x",\n  "retriever": { "kind": "hybrid" }\n}\n', 1, 1, 'x{'],
    ['single quotes', "{\n  'dataset': 'x'\n}", 2, 3, "'dataset'"],
    ['text after the object', '{"dataset": "x"}\n// a comment\n', 2, 1, '// a comment'],
  ])('%s', (_name, text, line, column, rest) => {
    const at = pointedAt(text);
    expect({ line: at.line, column: at.column }).toEqual({ line, column });
    expect(at.rest.startsWith(rest)).toBe(true);
  });

  test('the end of the input is the position of a file cut short', () => {
    expect(pointedAt('{\n  "retriever": { "k": 3\n')).toMatchObject({ line: 3, column: 1 });
  });
});

describe('loadProjectConfig', () => {
  test('a config with a syntax error is a UserError naming file:line:column and the reason', async () => {
    const p = await createTempProject({ config: '{\n  "dataset": "datasets/x",\n  "retriever": { "k": 3 }\n  "generator": {}\n}\n' });
    roots.push(p.root);
    const error = await loadProjectConfig(p.root).catch((e: unknown) => e);
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`${p.configFile}:4:3: not valid JSON (Expected ',' or '}' after property value). Fix the syntax there or delete the file to use the defaults.`);
  });

  test('a UTF-8 byte-order mark (as some Windows editors save) is accepted', async () => {
    const p = await createTempProject({ config: '\uFEFF{\n  "dataset": "datasets/x",\n  "retriever": { "k": 4 }\n}\n' });
    roots.push(p.root);
    const { config } = await loadProjectConfig(p.root);
    expect(config.retriever.k).toBe(4);
    expect(config.dataset).toBe('datasets/x');
  });

  test('the network limits of the openai embeddings, generator and judge are optional settings', async () => {
    const net = { timeoutMs: 1000, maxRetries: 0, maxTotalMs: 5000 };
    const p = await createTempProject({
      config: { dataset: 'datasets/x', embeddings: { provider: 'openai', ...net }, generator: { provider: 'openai', ...net }, eval: { judge: { model: 'm', ...net } } },
    });
    roots.push(p.root);
    const { config } = await loadProjectConfig(p.root);
    expect(config.embeddings).toMatchObject(net);
    expect(config.generator).toMatchObject(net);
    expect(config.eval.judge).toMatchObject(net);
  });
});
