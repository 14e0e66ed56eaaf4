import { describe, expect, test } from 'vitest';
import { formatContext } from '../../../starter/answer/chat.ts';
import { citedQuotes, parseCitations } from '../../../starter/answer/citations.ts';
import type { Chunk } from '../../../starter/chunk.ts';

const allowed = new Set(['1990-bush-003', '1991-bush-025', 'doc#2', 'a.b:c_d']);

describe('parseCitations', () => {
  test('finds [id] citations in order of first mention, each once', () => {
    const text = 'Kuwait was freed [1991-bush-025]. Taxes rose [1990-bush-003], as noted before [1991-bush-025].';
    expect(parseCitations(text, allowed)).toEqual(['1991-bush-025', '1990-bush-003']);
  });

  test('drops ids that were not retrieved (invented or mistyped citations)', () => {
    expect(parseCitations('See [1991-bush-999] and [1990-bush-003] and [2001-bush-001].', allowed)).toEqual(['1990-bush-003']);
  });

  test('accepts the id characters chunk ids use: letters, digits, _ . : # -', () => {
    expect(parseCitations('[doc#2] [a.b:c_d]', allowed)).toEqual(['doc#2', 'a.b:c_d']);
  });

  test('adjacent citations, citations glued to words, and lists are all found', () => {
    expect(parseCitations('true[1990-bush-003][1991-bush-025].', allowed)).toEqual(['1990-bush-003', '1991-bush-025']);
  });

  test('ignores brackets holding other things, and text without citations', () => {
    expect(parseCitations('No citations here.', allowed)).toEqual([]);
    expect(parseCitations('[1990-bush-003, 1991-bush-025] [ 1990-bush-003 ] [] [see above]', allowed)).toEqual([]);
    expect(parseCitations('(1990-bush-003) {1991-bush-025}', allowed)).toEqual([]);
  });

  test('an empty allowed set admits nothing', () => {
    expect(parseCitations('[1990-bush-003]', new Set())).toEqual([]);
  });
});

describe('formatContext', () => {
  const chunk = (id: string, passageIds: string[], text: string): Chunk => ({ id, docId: 'd', title: 'T', text, start: 0, end: text.length, passageIds });

  test('labels each chunk with its first passage id, so the model cites ids parseCitations accepts', () => {
    const context = formatContext([
      { chunk: chunk('p1', ['p1'], 'First text.'), score: 0.9 },
      { chunk: chunk('d#3', ['p7', 'p8'], 'Split chunk.'), score: 0.5 },
    ]);
    expect(context).toBe('[p1] First text.\n\n[p7] Split chunk.');
    expect(parseCitations(context, new Set(['p1', 'p7', 'p8']))).toEqual(['p1', 'p7']);
  });

  test('a chunk without passage ids falls back to its own id', () => {
    expect(formatContext([{ chunk: chunk('c9', [], 'Orphan.'), score: 1 }])).toBe('[c9] Orphan.');
  });
});

describe('citedQuotes', () => {
  test('splits an answer into its quotes, each with the ids cited right after it', () => {
    expect(citedQuotes('Taxes rose. [1990-bush-003] Kuwait was freed. [1991-bush-025] [doc#2]\n\nA note.')).toEqual([
      { text: 'Taxes rose.', ids: ['1990-bush-003'] },
      { text: 'Kuwait was freed.', ids: ['1991-bush-025', 'doc#2'] },
    ]);
  });
});
