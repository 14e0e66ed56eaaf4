import { describe, expect, test } from 'vitest';
import { chunkCorpus, rebuildDocument, searchText } from '../../starter/chunk.ts';
import type { Passage } from '../../starter/corpus.ts';
import { splitIntoPassages } from '../../starter/passages.ts';

const docs = {
  'doc-a':
    'The committee approved a new bridge over the Blue River. It will carry four lanes of traffic and a cycle path. Work starts in the spring and should take two years. ' +
    'The mayor said the old ferry would keep running until then. Farmers in the valley welcomed the news. Their trucks now wait an hour for the ferry each morning.',
  'doc-b':
    'A storm closed the harbor for three days. Fishing boats stayed at the dock until the wind dropped. The coast guard rescued two sailors near the lighthouse. ' +
    'Repairs to the pier will cost about four million dollars. The council meets next week to decide how to pay for them.',
};

/** Passages cut from each document at sentence boundaries, with true offsets; the two documents interleaved. */
function makePassages(): Passage[] {
  const byDoc = Object.entries(docs).map(([docId, text]) =>
    splitIntoPassages(text, { minWords: 12, maxWords: 30 }).map((span, i) => ({
      id: `${docId}-${i}`,
      docId,
      title: `Title of ${docId}`,
      text: text.slice(span.start, span.end),
      start: span.start,
      end: span.end,
      meta: {},
    })),
  );
  const out: Passage[] = [];
  for (let i = 0; i < Math.max(...byDoc.map((d) => d.length)); i++) {
    for (const d of byDoc) {
      const passage = d[i];
      if (passage) out.push(passage);
    }
  }
  return out;
}

const passages = makePassages();

describe('rebuildDocument', () => {
  test('puts passages back at their offsets; the white space between them becomes spaces', () => {
    for (const [docId, text] of Object.entries(docs)) {
      expect(rebuildDocument(passages.filter((p) => p.docId === docId))).toBe(text);
    }
  });

  test('a gap between passages is filled with spaces so later offsets stay true', () => {
    const text = rebuildDocument([
      { id: 'x', docId: 'd', title: '', text: 'Alpha.', start: 0, end: 6, meta: {} },
      { id: 'y', docId: 'd', title: '', text: 'Beta.', start: 10, end: 15, meta: {} },
    ]);
    expect(text).toBe('Alpha.    Beta.');
    expect(text.slice(10, 15)).toBe('Beta.');
  });
});

describe('chunkCorpus', () => {
  test('the fixture has several passages per document', () => {
    expect(passages.filter((p) => p.docId === 'doc-a').length).toBeGreaterThan(2);
    expect(passages.filter((p) => p.docId === 'doc-b').length).toBeGreaterThan(1);
  });

  test('passage mode: one chunk per passage, same id, text and span, citing only itself', async () => {
    const chunks = await chunkCorpus(passages, { mode: 'passage' });
    expect(chunks).toHaveLength(passages.length);
    chunks.forEach((chunk, i) => {
      const p = passages[i]!;
      expect(chunk).toEqual({ id: p.id, docId: p.docId, title: p.title, text: p.text, start: p.start, end: p.end, passageIds: [p.id] });
    });
  });

  test('split mode: every chunk is the rebuilt document sliced at its offsets, within size', async () => {
    const size = 90;
    const chunks = await chunkCorpus(passages, { mode: 'split', size, overlap: 20 });
    expect(chunks.length).toBeGreaterThan(passages.length);
    for (const chunk of chunks) {
      const doc = rebuildDocument(passages.filter((p) => p.docId === chunk.docId));
      expect(chunk.text).toBe(doc.slice(chunk.start, chunk.end));
      expect(chunk.text.length).toBeLessThanOrEqual(size);
      expect(chunk.title).toBe(`Title of ${chunk.docId}`);
    }
  });

  test('split mode: passageIds are exactly the passages whose span overlaps the chunk', async () => {
    const chunks = await chunkCorpus(passages, { mode: 'split', size: 90, overlap: 20 });
    let straddling = 0;
    for (const chunk of chunks) {
      const expected = passages
        .filter((p) => p.docId === chunk.docId && p.start < chunk.end && p.end > chunk.start)
        .sort((a, b) => a.start - b.start)
        .map((p) => p.id);
      expect(chunk.passageIds).toEqual(expected);
      expect(chunk.passageIds.length).toBeGreaterThan(0);
      if (chunk.passageIds.length > 1) straddling++;
    }
    // The sizes are chosen so that some chunk crosses a passage boundary.
    expect(straddling).toBeGreaterThan(0);
    // Every passage is reached by some chunk.
    expect(new Set(chunks.flatMap((c) => c.passageIds))).toEqual(new Set(passages.map((p) => p.id)));
  });

  test('split mode: chunk ids number the pieces of each document in document order', async () => {
    const chunks = await chunkCorpus(passages, { mode: 'split', size: 90, overlap: 20 });
    for (const docId of Object.keys(docs)) {
      const mine = chunks.filter((c) => c.docId === docId);
      expect(mine.map((c) => c.id)).toEqual(mine.map((_, i) => `${docId}#${i}`));
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start).toBeGreaterThan(mine[i - 1]!.start);
    }
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
  });

  test('split mode with a size larger than a document keeps it whole', async () => {
    const chunks = await chunkCorpus(passages, { mode: 'split', size: 2000, overlap: 0 });
    expect(chunks.map((c) => [c.id, c.text])).toEqual(Object.entries(docs).map(([docId, text]) => [`${docId}#0`, text]));
  });
});

describe('searchText', () => {
  test('prefixes the title when there is one', () => {
    expect(searchText({ title: 'T', text: 'body' })).toBe('T\nbody');
    expect(searchText({ title: '', text: 'body' })).toBe('body');
  });
});
