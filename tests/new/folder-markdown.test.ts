import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findEvalsetProblems } from '../../evals/evalset.ts';
import { importTextFolder } from '../../scripts/new/datasets/folder.ts';
import { decodeText, loadDataset } from '../../scripts/new/datasets/load.ts';
import { stratifiedSplit } from '../../scripts/stratified-split.ts';
import { parseCorpus } from '../../starter/corpus.ts';
import { proseSpans } from '../../starter/markdown.ts';
import { splitIntoPassages, TITLE_SEPARATOR } from '../../starter/passages.ts';

const prose = (n: number) => Array.from({ length: n }, (_, i) => `Sentence ${i} explains how the router matches a request to a handler.`).join(' ');

describe('importing Markdown files by heading sections', () => {
  const md = {
    path: 'docs/Routes.md',
    text: `<h1 align="center">Kit</h1>\n\n## Routes\n\n${prose(12)}\n\n### Full declaration\n\n\`\`\`js\nfastify.route(options)\n\`\`\`\n\n${prose(14)}\n\n### Url building\n\n${prose(20)}\n`,
  };
  const txt = { path: 'notes.txt', text: `# not a heading in a text file\n\n${prose(40)}` };
  const { passages } = importTextFolder([md, txt], 'docs');
  const routes = passages.filter((p) => p.docId === 'docs-routes');

  test('titles are heading paths; ids, docIds and meta as before', () => {
    expect([...new Set(routes.map((p) => p.title))]).toEqual(['Routes', `Routes${TITLE_SEPARATOR}Full declaration`, `Routes${TITLE_SEPARATOR}Url building`]);
    expect(routes.map((p) => p.id)).toEqual(routes.map((_, i) => `docs-routes-${String(i).padStart(3, '0')}`));
    expect(routes.every((p) => p.meta?.file === 'docs/Routes.md')).toBe(true);
  });

  test('offsets slice back to the passage text in the file', () => {
    for (const p of passages) expect((p.docId === 'notes' ? txt : md).text.slice(p.start, p.end)).toBe(p.text);
  });

  test('the code block stays whole inside one passage', () => {
    const code = '```js\nfastify.route(options)\n```';
    expect(routes.filter((p) => p.text.includes(code))).toHaveLength(1);
    expect(routes.filter((p) => p.text.includes('fastify.route(options)'))).toHaveLength(1);
  });

  test('.txt files keep sentence passages titled with the file name', () => {
    const notes = passages.filter((p) => p.docId === 'notes');
    expect(notes.map((p) => ({ start: p.start, end: p.end }))).toEqual(splitIntoPassages(txt.text, { minWords: 100, maxWords: 200 }));
    expect(notes.every((p) => p.title === 'notes.txt')).toBe(true);
  });
});

describe('binary and non-UTF-8 files named .md/.txt', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ragfolio-folder-binary-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  test('decodeText refuses NUL bytes and invalid UTF-8, accepts UTF-8 text', () => {
    expect(decodeText(new TextEncoder().encode('Grüße, café — ok.'))).toBe('Grüße, café — ok.');
    expect(decodeText(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x41]))).toBeUndefined();
    expect(decodeText(Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6f, 0x6b]))).toBeUndefined();
  });

  test('are skipped, and the import names them in one note', async () => {
    await mkdir(join(dir, 'mixed', 'sub'), { recursive: true });
    await writeFile(join(dir, 'mixed', 'good.md'), `# Good\n\n${prose(5)}`);
    await writeFile(join(dir, 'mixed', 'image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    await writeFile(join(dir, 'mixed', 'sub', 'latin1.txt'), Buffer.from('Caf\xe9 cr\xe8me, a Latin-1 file. It has words.', 'latin1'));
    const d = await loadDataset('mixed', dir);
    expect(d).toMatchObject({ kind: 'folder', documents: 1, notes: ['skipped 2 binary or non-UTF-8 files: image.md, sub/latin1.txt'] });
  });

  test('a folder of nothing but binary files is a UserError naming them', async () => {
    await mkdir(join(dir, 'allbin'), { recursive: true });
    await writeFile(join(dir, 'allbin', 'x.md'), Buffer.from([0, 1, 2, 3]));
    await expect(loadDataset('allbin', dir)).rejects.toThrow(/^allbin: no \.md or \.txt files with text .*skipped 1 binary or non-UTF-8 file: x\.md/);
  });
});

describe('the bundled datasets', () => {
  const kit = new URL('../../', import.meta.url).pathname;

  test('every passage of datasets/sotu is plain prose to proseSpans: one span over its trimmed text', () => {
    const lines = readFileSync(join(kit, 'datasets', 'sotu', 'corpus.jsonl'), 'utf8')
      .trim()
      .split('\n');
    for (const line of lines) {
      const { text } = JSON.parse(line) as { text: string };
      const start = text.length - text.trimStart().length;
      expect(proseSpans(text)).toEqual([{ start, end: text.trimEnd().length }]);
    }
  });

  // The bundled docs collections: every datasets/<name>/ built from a source/ folder of Markdown files.
  const docsSets = readdirSync(join(kit, 'datasets')).filter((name) => existsSync(join(kit, 'datasets', name, 'source')));
  test('the docs collections include fastify-docs', () => {
    expect(docsSets).toContain('fastify-docs');
  });

  describe.each(docsSets)('datasets/%s', (name) => {
    const dir = join(kit, 'datasets', name);

    test('corpus.jsonl is exactly what the folder importer makes of source/ (npm run build:dataset:docs)', async () => {
      const d = await loadDataset(join(dir, 'source'), kit);
      expect(d.kind === 'folder' && d.files.find((f) => f.path === 'corpus.jsonl')?.content).toBe(await readFile(join(dir, 'corpus.jsonl'), 'utf8'));
    });

    test('the eval set is valid, with answers found verbatim (any case) in a gold passage', async () => {
      const { passages } = parseCorpus(await readFile(join(dir, 'corpus.jsonl'), 'utf8'), 'corpus.jsonl');
      const byId = new Map(passages.map((p) => [p.id, p]));
      const { items, problems } = findEvalsetProblems(await readFile(join(dir, 'evalset.jsonl'), 'utf8'), new Set(byId.keys()));
      expect(problems).toEqual([]);
      expect(items.length).toBeGreaterThanOrEqual(50);
      for (const q of items)
        for (const answer of q.answers)
          expect(
            q.gold.some((id) => byId.get(id)?.text.toLowerCase().includes(answer.toLowerCase())),
            `${q.id}: ${answer}`,
          ).toBe(true);
    });

    test('at least 20% unanswerable, the docs types in both splits, split by the stratified rule, test split pinned', async () => {
      const { items } = findEvalsetProblems(await readFile(join(dir, 'evalset.jsonl'), 'utf8'), new Set());
      expect(items.filter((q) => q.type === 'unanswerable').length / items.length).toBeGreaterThanOrEqual(0.2);
      for (const type of ['howto', 'option', 'definition', 'which', 'comparison', 'unanswerable'])
        for (const split of ['dev', 'test']) expect(items.filter((q) => q.type === type && q.split === split).length, `${type}/${split}`).toBeGreaterThan(0);
      const rule = stratifiedSplit(items);
      expect(items.filter((q) => rule.get(q.id) !== q.split).map((q) => q.id)).toEqual([]);
      // tests/evals/evalset-pin.test.ts checks the pin matches.
      expect(existsSync(join(dir, 'evalset.lock.json')), 'run `ragfolio evalset pin` with this dataset').toBe(true);
    });
  });
});
