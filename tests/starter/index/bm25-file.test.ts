import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadProjectConfig } from '../../../starter/config.ts';
import { Bm25Index } from '../../../starter/index/bm25.ts';
import { openBm25, tokenizerId } from '../../../starter/index/bm25-file.ts';
import { ingest } from '../../../starter/ingest.ts';
import { projectPaths } from '../../../starter/paths.ts';
import { loadPipeline } from '../../../starter/pipeline.ts';
import { createTempProject } from '../../helpers/temp-project.ts';

// A real slice of the bundled speeches and real questions about them: many terms, long postings, ties.
const kit = resolve(import.meta.dirname, '../../..');
let documents: string[];
let queries: string[];
let dir: string;

beforeAll(async () => {
  const lines = (await readFile(join(kit, 'datasets/sotu/corpus.jsonl'), 'utf8')).split('\n').filter(Boolean);
  documents = lines.slice(0, 400).map((l) => (JSON.parse(l) as { text: string }).text);
  const evalLines = (await readFile(join(kit, 'datasets/sotu/evalset.jsonl'), 'utf8')).split('\n').filter(Boolean);
  queries = evalLines.slice(0, 80).map((l) => (JSON.parse(l) as { question: string }).question);
  dir = await mkdtemp(join(tmpdir(), 'ragfolio-bm25-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every query's full ranking with its exact scores, and the idf of every query term. */
function answers(index: Bm25Index) {
  return queries.map((q) => ({ hits: index.search(q, 100), idf: q.split(/\W+/).map((w) => index.idf(w.toLowerCase())) }));
}

describe('saved BM25 postings (openBm25)', () => {
  test('a saved file loads to the same rankings, scores and idf as tokenizing the documents again', async () => {
    const file = join(dir, 'round-trip.json');
    const params = { k1: 1.2, b: 0.75 };
    const first = await openBm25(file, documents, params);
    expect(first.source).toBe('built');
    const second = await openBm25(file, documents, params);
    expect(second.source).toBe('file');
    const rebuilt = new Bm25Index(documents, params);
    expect(answers(second.index)).toEqual(answers(rebuilt));
    expect(answers(first.index)).toEqual(answers(rebuilt));
    expect(second.index.size).toBe(documents.length);
    // The postings do not depend on k1 and b: one file serves another setting too.
    const other = await openBm25(file, documents, { k1: 0.9, b: 0.4 });
    expect(other.source).toBe('file');
    expect(answers(other.index)).toEqual(answers(new Bm25Index(documents)));
  });

  test('a file made from other documents is not trusted: rebuilt from these, and rewritten', async () => {
    const file = join(dir, 'stale.json');
    await openBm25(file, documents.slice(0, 200));
    const before = await readFile(file, 'utf8');
    // The same count with one chunk edited, and a different count: both are rebuilt.
    const edited = documents.slice(0, 200).map((d, i) => (i === 7 ? `${d} Kuwait` : d));
    const changed = await openBm25(file, edited);
    expect(changed.source).toBe('built');
    expect(changed.index.search('Kuwait', 300).map((h) => h.index)).toEqual(new Bm25Index(edited).search('Kuwait', 300).map((h) => h.index));
    expect(await readFile(file, 'utf8')).not.toBe(before);
    expect((await openBm25(file, edited)).source).toBe('file');
    expect((await openBm25(file, documents)).source).toBe('built');
  });

  test('a file from another tokenizer or file version is rebuilt', async () => {
    const file = join(dir, 'versions.json');
    await openBm25(file, documents);
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(saved.tokenizer).toBe(tokenizerId());
    for (const edit of [{ tokenizer: `0-${tokenizerId()}` }, { version: 999 }, { extra: true }]) {
      await writeFile(file, JSON.stringify({ ...saved, ...edit }));
      expect((await openBm25(file, documents)).source).toBe('built');
    }
  });

  test('a damaged file is rebuilt, never trusted, and the rebuild ranks as a fresh index does', async () => {
    const file = join(dir, 'damaged.json');
    await openBm25(file, documents);
    const good = await readFile(file, 'utf8');
    const saved = JSON.parse(good) as { docs: string; tfs: string; df: string; terms: string[] };
    const bytes = Buffer.from(saved.docs, 'base64');
    const outOfRange = Buffer.from(bytes);
    outOfRange.writeUInt32LE(documents.length + 5, 0);
    const damaged = [
      good.slice(0, good.length / 2), // truncated
      '',
      'null',
      JSON.stringify({ ...saved, docs: outOfRange.toString('base64') }), // a posting names no document
      JSON.stringify({ ...saved, docs: bytes.subarray(4).toString('base64') }), // one posting short
      JSON.stringify({ ...saved, tfs: Buffer.alloc(bytes.length).toString('base64') }), // counts of zero
      JSON.stringify({ ...saved, df: `${saved.df.slice(0, -4)}` }), // not whole uint32s
      JSON.stringify({ ...saved, terms: saved.terms.map((t, i) => (i === 1 ? (saved.terms[0] ?? t) : t)) }), // a term twice
    ];
    for (const text of damaged) {
      await writeFile(file, text);
      const opened = await openBm25(file, documents);
      expect(opened.source).toBe('built');
      expect(answers(opened.index)).toEqual(answers(new Bm25Index(documents)));
      expect((await openBm25(file, documents)).source).toBe('file');
    }
  });
});

describe('the pipeline and ingest', () => {
  test('an index from a kit that saved no postings still answers the same; ingest or the first start saves them', async () => {
    const { root } = await createTempProject({ config: { dataset: 'datasets/x', embeddings: { provider: 'local', workers: 1 }, retriever: { kind: 'bm25', k: 3 } } });
    try {
      const project = await loadProjectConfig(root);
      const { bm25 } = projectPaths(project);
      await ingest(project);
      const saved = await readFile(bm25, 'utf8');
      const question = 'When did the harbor close for the storm?';
      const withFile = (await (await loadPipeline(project)).retriever.retrieve(question)).map((r) => [r.chunk.id, r.score]);
      // An older kit's index: no postings file.
      await rm(bm25);
      const pipeline = await loadPipeline(project);
      expect((await pipeline.retriever.retrieve(question)).map((r) => [r.chunk.id, r.score])).toEqual(withFile);
      expect(withFile[0]?.[0]).toMatch(/^t-3/);
      expect(await readFile(bm25, 'utf8')).toBe(saved);
      // An up-to-date ingest writes a missing file too.
      await rm(bm25);
      expect((await ingest(project)).upToDate).toBe(true);
      expect(await readFile(bm25, 'utf8')).toBe(saved);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
