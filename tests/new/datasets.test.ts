import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evalsetJsonl, importBeir, splitForId } from '../../evals/beir.ts';
import { findEvalsetProblems } from '../../evals/evalset.ts';
import { documentTitle, importTextFolder } from '../../scripts/new/datasets/folder.ts';
import { importJsonlCorpus } from '../../scripts/new/datasets/jsonl.ts';
import { loadDataset } from '../../scripts/new/datasets/load.ts';
import { corpusJsonl, type DatasetChoice } from '../../scripts/new/datasets/types.ts';
import { parseCorpus } from '../../starter/corpus.ts';
import { UserError } from '../../starter/errors.ts';

const sentence = (i: number) => `Sentence number ${i} talks about the river bridge and the harbor in plain words.`;
const prose = (n: number) => Array.from({ length: n }, (_, i) => sentence(i)).join(' ');

describe('a folder of .md/.txt files', () => {
  const files = [
    { path: 'guide/Intro Notes.md', text: `# Getting started\n\n${prose(30)}` },
    { path: 'b.txt', text: prose(3) },
    { path: 'empty.md', text: '   \n' },
  ];

  test('becomes passages with ids <file-slug>-<nnn>, docId = slug, title = first heading or file name, offsets into the file', () => {
    const { passages, documents } = importTextFolder(files, 'notes');
    expect(documents).toBe(2);
    expect([...new Set(passages.map((p) => p.docId))]).toEqual(['b', 'guide-intro-notes']);
    expect(passages[0]).toMatchObject({ id: 'b-000', docId: 'b', title: 'b.txt', start: 0, meta: { file: 'b.txt' } });
    const guide = passages.filter((p) => p.docId === 'guide-intro-notes');
    expect(guide.map((p) => p.id)).toEqual(guide.map((_, i) => `guide-intro-notes-${String(i).padStart(3, '0')}`));
    expect(guide.length).toBeGreaterThan(1);
    const source = files[0]?.text ?? '';
    for (const p of guide) {
      expect(p.title).toBe('Getting started');
      expect(source.slice(p.start, p.end)).toBe(p.text);
    }
    // The output is a valid corpus for the app.
    expect(parseCorpus(corpusJsonl(passages), 'corpus.jsonl').passages).toHaveLength(passages.length);
  });

  test('two files with the same slug get distinct document ids; order does not depend on input order', () => {
    const twins = [
      { path: 'notes.txt', text: prose(2) },
      { path: 'notes.md', text: prose(2) },
    ];
    const a = importTextFolder(twins, 'x').passages.map((p) => p.docId);
    const b = importTextFolder([...twins].reverse(), 'x').passages.map((p) => p.docId);
    expect(a).toEqual(['notes', 'notes-2']);
    expect(b).toEqual(a);
  });

  test('titles: ATX heading of a Markdown file, else the file name', () => {
    expect(documentTitle({ path: 'a.md', text: 'intro\n\n## Deep dive ##\n' })).toBe('Deep dive');
    expect(documentTitle({ path: 'a.md', text: 'no heading' })).toBe('a.md');
    expect(documentTitle({ path: 'x/a.txt', text: '# not markdown' })).toBe('a.txt');
  });

  test('no text at all is a UserError, not an empty corpus', () => {
    expect(() => importTextFolder([{ path: 'a.md', text: '\n\n' }], 'notes')).toThrow(UserError);
    expect(() => importTextFolder([], 'notes')).toThrow(/notes: no text found/);
  });
});

describe('a ragfolio .jsonl corpus', () => {
  const line = (id: string) => JSON.stringify({ id, docId: 'd', title: 'T', text: 'Some text.', start: 0, end: 10 });

  test('is validated with parseCorpus and kept as given', () => {
    const text = `${line('a')}\n${line('b')}\n`;
    expect(importJsonlCorpus({ text, file: 'c.jsonl' })).toEqual({ corpus: text, passages: 2, documents: 1, questions: 0 });
  });

  test('errors name file and line; an empty corpus is refused', () => {
    expect(() => importJsonlCorpus({ text: `${line('a')}\n{"id": 1}\n`, file: 'c.jsonl' })).toThrow(/^c\.jsonl:2:2: id: /);
    expect(() => importJsonlCorpus({ text: '\n', file: 'c.jsonl' })).toThrow(/c\.jsonl: the corpus has no passages/);
  });

  test('an eval set beside it is validated against its passage ids', () => {
    const evalset = `${JSON.stringify({ id: 'q', question: 'Q?', answers: ['x'], gold: ['zzz'], type: 'factoid', split: 'dev' })}\n`;
    expect(() => importJsonlCorpus({ text: `${line('a')}\n`, file: 'c.jsonl' }, { text: evalset, file: 'e.jsonl' })).toThrow(/^e\.jsonl:1: unknown passage id "zzz"/);
  });
});

describe('a BEIR folder', () => {
  const corpus = {
    file: 'scifact/corpus.jsonl',
    text: ['{"_id": "d1", "title": "One", "text": "Alpha text."}', '{"_id": 2, "title": "Two", "text": "Beta text."}', '{"_id": "d3", "title": "Three", "text": "Gamma text."}'].join('\n'),
  };
  const queries = { file: 'scifact/queries.jsonl', text: ['{"_id": "q1", "text": "alpha?"}', '{"_id": "q2", "text": "beta or gamma?"}', '{"_id": "q3", "text": "train split only"}'].join('\n') };
  const qrels = { file: 'scifact/qrels/test.tsv', text: 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\t2\t1\nq2\td3\t2\nq2\td1\t0\n' };

  test('one passage per document; queries with relevant documents become retrieval-only eval items', () => {
    const { passages, items, notes } = importBeir(corpus, queries, qrels);
    expect(passages.map((p) => [p.id, p.docId, p.title, p.start, p.end])).toEqual([
      ['d1', 'd1', 'One', 0, 11],
      ['2', '2', 'Two', 0, 10],
      ['d3', 'd3', 'Three', 0, 11],
    ]);
    expect(items).toEqual([
      { id: 'q1', question: 'alpha?', answers: [], gold: ['d1'], type: 'factoid', split: splitForId('q1'), retrievalOnly: true },
      { id: 'q2', question: 'beta or gamma?', answers: [], gold: ['2', 'd3'], type: 'factoid', split: splitForId('q2'), retrievalOnly: true },
    ]);
    // q1 and q2 both hash into test: the import says so, since `eval` scores dev by default.
    expect(notes).toEqual(['left out 1 query without a relevant document in test.tsv', expect.stringMatching(/^no question fell in the dev split/)]);
    expect(findEvalsetProblems(evalsetJsonl(items), new Set(passages.map((p) => p.id))).problems).toEqual([]);
  });

  test('the dev/test split is a deterministic hash of the id, about half each', () => {
    const splits = Array.from({ length: 2000 }, (_, i) => splitForId(`q${i}`));
    const dev = splits.filter((s) => s === 'dev').length;
    expect(dev).toBeGreaterThan(900);
    expect(dev).toBeLessThan(1100);
    expect(splitForId('q7')).toBe(splitForId('q7'));
  });

  test('qrels naming an unknown corpus id or query id: a UserError naming file:line', () => {
    expect(() => importBeir(corpus, queries, { ...qrels, text: 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\tnope\t1\n' })).toThrow(
      /^scifact\/qrels\/test\.tsv:3: corpus id "nope" is not in scifact\/corpus\.jsonl/,
    );
    expect(() => importBeir(corpus, queries, { ...qrels, text: 'qx\td1\t1\n' })).toThrow(/^scifact\/qrels\/test\.tsv:1: query id "qx"/);
    expect(() => importBeir(corpus, queries, { ...qrels, text: 'q1 d1 1\n' })).toThrow(/test\.tsv:1: expected "query-id<TAB>corpus-id<TAB>score"/);
  });

  test('an empty corpus, duplicate ids, or no relevant judgement at all are UserErrors', () => {
    expect(() => importBeir({ ...corpus, text: '' }, queries, qrels)).toThrow(/corpus\.jsonl: the corpus has no documents/);
    expect(() => importBeir({ ...corpus, text: `${corpus.text}\n{"_id": "d1", "text": "again"}` }, queries, qrels)).toThrow(/corpus\.jsonl:4: duplicate _id "d1"/);
    expect(() => importBeir(corpus, queries, { ...qrels, text: 'q1\td1\t0\n' })).toThrow(/no query has a relevant document/);
  });
});

describe('loadDataset (reads the folder the user names)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ragfolio-new-datasets-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const kindOf = (d: DatasetChoice) => d.kind;

  test('"sotu" is the bundled dataset; a missing path is a UserError', async () => {
    expect(await loadDataset('sotu', dir)).toEqual({ kind: 'bundled', name: 'sotu' });
    await expect(loadDataset('./nope', dir)).rejects.toThrow(/^\.\/nope: dataset not found/);
  });

  test('detects a text folder, a .jsonl corpus and a BEIR folder', async () => {
    await mkdir(join(dir, 'My Notes', 'sub'), { recursive: true });
    await writeFile(join(dir, 'My Notes', 'a.md'), `# A\n\n${prose(5)}`);
    await writeFile(join(dir, 'My Notes', 'sub', 'b.txt'), prose(5));
    await writeFile(join(dir, 'My Notes', 'skip.pdf'), 'binary');
    const notes = await loadDataset('My Notes', dir);
    expect(kindOf(notes)).toBe('folder');
    expect(notes).toMatchObject({ name: 'my-notes', source: 'My Notes', documents: 2 });

    await writeFile(join(dir, 'wiki.jsonl'), `${JSON.stringify({ id: 'a', docId: 'd', title: 'T', text: 'Text.', start: 0, end: 5 })}\n`);
    expect(await loadDataset('wiki.jsonl', dir)).toMatchObject({ kind: 'jsonl', name: 'wiki', passages: 1 });

    await mkdir(join(dir, 'beir', 'qrels'), { recursive: true });
    await writeFile(join(dir, 'beir', 'corpus.jsonl'), '{"_id": "d1", "title": "", "text": "Alpha."}\n');
    await writeFile(join(dir, 'beir', 'queries.jsonl'), '{"_id": "q1", "text": "alpha?"}\n');
    await writeFile(join(dir, 'beir', 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\n');
    const beir = await loadDataset('./beir', dir);
    expect(beir).toMatchObject({ kind: 'beir', name: 'beir', passages: 1, questions: 1 });
    expect(beir.kind !== 'bundled' && beir.files.map((f) => f.path)).toEqual(['corpus.jsonl', 'evalset.jsonl']);
  });

  test('a BEIR corpus without its queries or qrels names the missing file', async () => {
    await mkdir(join(dir, 'half'), { recursive: true });
    await writeFile(join(dir, 'half', 'corpus.jsonl'), '{"_id": "d1", "title": "", "text": "Alpha."}\n');
    await expect(loadDataset('half', dir)).rejects.toThrow(/^half\/queries\.jsonl: missing/);
  });

  test('a symlink that resolves outside the dataset folder is refused', async () => {
    await mkdir(join(dir, 'outside'), { recursive: true });
    await writeFile(join(dir, 'outside', 'secret.md'), prose(5));
    await mkdir(join(dir, 'linked'), { recursive: true });
    await writeFile(join(dir, 'linked', 'ok.md'), prose(5));
    await symlink(join(dir, 'outside', 'secret.md'), join(dir, 'linked', 'escape.md'));
    await expect(loadDataset('linked', dir)).rejects.toThrow(/^linked\/escape\.md: resolves outside the dataset folder/);

    await mkdir(join(dir, 'beir-linked', 'qrels'), { recursive: true });
    await writeFile(join(dir, 'outside', 'corpus.jsonl'), '{"_id": "d1", "title": "", "text": "Alpha."}\n');
    await symlink(join(dir, 'outside', 'corpus.jsonl'), join(dir, 'beir-linked', 'corpus.jsonl'));
    await expect(loadDataset('beir-linked', dir)).rejects.toThrow(/resolves outside the dataset folder/);

    // A linked folder is a folder to copy, not a file.
    await mkdir(join(dir, 'outside', 'notes'), { recursive: true });
    await writeFile(join(dir, 'outside', 'notes', 'n.md'), prose(5));
    await mkdir(join(dir, 'folder-linked'), { recursive: true });
    await writeFile(join(dir, 'folder-linked', 'ok.md'), prose(5));
    await symlink(join(dir, 'outside', 'notes'), join(dir, 'folder-linked', 'notes'));
    await expect(loadDataset('folder-linked', dir)).rejects.toThrow(/^folder-linked\/notes: resolves outside the dataset folder \(a symlink to \S+\)\. Copy the folder into folder-linked instead\.$/);
    await expect(loadDataset('linked', dir)).rejects.toThrow(/Copy the file into linked instead\.$/);
  });

  test('a symlink inside the folder is fine', async () => {
    await mkdir(join(dir, 'inner'), { recursive: true });
    await writeFile(join(dir, 'inner', 'real.md'), prose(5));
    await symlink(join(dir, 'inner', 'real.md'), join(dir, 'inner', 'alias.md'));
    expect(await loadDataset('inner', dir)).toMatchObject({ kind: 'folder', documents: 2 });
  });
});
