import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parseRelatedTerms, pruneRelatedTerms, type RelatedTerms, serializeRelatedTerms } from '../../../starter/answer/related-terms.ts';
import { loadRelatedTerms, RELATED_TERMS_FILE } from '../../../starter/answer/related-terms-file.ts';
import { stemOf } from '../../helpers/stem.ts';

const entries = (table: RelatedTerms) => [...table].map(([stem, related]) => [stem, [...related]]);

describe('the shipped table (starter/answer/related-terms.txt)', () => {
  // Question word → a word of an answer sentence that the study found should count as covering it.
  test.each([
    ['hooked', 'addicted'],
    ['glitch', 'bug'],
    ['television', 'tv'],
    ['unsuitable', 'inappropriate'],
    ['young', 'juvenile'],
    ['young', 'youth'],
    ['automobile', 'car'],
    ['doctor', 'physician'],
    ['attorney', 'lawyer'],
    ['film', 'movie'],
    ['buy', 'purchase'],
  ])('%s meets %s', async (question, sentence) => {
    expect((await loadRelatedTerms()).get(stemOf(question))).toContain(stemOf(sentence));
  });

  // Pairs a looser table (every sense, not the first two) made meet, and that should not.
  test.each([
    ['budget', 'tsunami'],
    ['job', 'marijuana'],
    ['troop', 'refuge'],
  ])('%s does not meet %s', async (question, sentence) => {
    const related = (await loadRelatedTerms()).get(stemOf(question));
    expect(related?.length).toBeGreaterThan(0);
    expect(related).not.toContain(stemOf(sentence));
  });

  test('is canonical (sorted lines and lists, as serialize writes them), relates no stem to itself, loads once per process', async () => {
    const table = await loadRelatedTerms();
    expect(table.size).toBeGreaterThan(10_000);
    expect(serializeRelatedTerms(table) === (await readFile(RELATED_TERMS_FILE, 'utf8'))).toBe(true);
    expect([...table].filter(([stem, related]) => related.includes(stem) || new Set(related).size !== related.length).map(([stem]) => stem)).toEqual([]);
    expect(await loadRelatedTerms()).toBe(table);
  });
});

describe('the table format', () => {
  const text = 'automobil\tcar vehicl\ncar\tautomobil\ngondola\tcar\n';

  test('serialize ∘ parse gives the text back; parse ∘ serialize the table (lines and lists sorted)', () => {
    expect(serializeRelatedTerms(parseRelatedTerms(text))).toBe(text);
    const unsorted = new Map([
      ['gondola', ['car']],
      ['automobil', ['vehicl', 'car']],
      ['car', ['automobil']],
    ]);
    expect(serializeRelatedTerms(unsorted)).toBe(text);
    expect(entries(parseRelatedTerms(serializeRelatedTerms(unsorted)))).toEqual([
      ['automobil', ['car', 'vehicl']],
      ['car', ['automobil']],
      ['gondola', ['car']],
    ]);
    expect(serializeRelatedTerms(new Map())).toBe('');
  });

  test('a parsed table answers lookups before and after iteration', () => {
    const table = parseRelatedTerms(text);
    expect(table.get('automobil')).toEqual(['car', 'vehicl']);
    expect(table.get('automobil')).toBe(table.get('automobil'));
    expect(table.get('truck')).toBeUndefined();
    expect(table.has('car')).toBe(true);
    expect(table.size).toBe(3);
    expect([...table.keys()]).toEqual(['automobil', 'car', 'gondola']);
    expect([...table.values()]).toEqual([['car', 'vehicl'], ['automobil'], ['car']]);
    const seen: string[] = [];
    table.forEach((related, stem) => {
      seen.push(`${stem}:${related.join(',')}`);
    });
    expect(seen).toEqual(['automobil:car,vehicl', 'car:automobil', 'gondola:car']);
  });

  test.each([
    ['no tab', 'car\nbus\tcoach\n', 1],
    ['an empty list', 'car\tautomobil\nbus\t\n', 2],
    ['two tabs', 'car\tautomobil\tvehicl\n', 1],
  ])('a line with %s is an error naming the line', (_, bad, line) => {
    expect(() => parseRelatedTerms(bad)).toThrow(`line ${line}:`);
  });

  test('prune keeps the related stems in the vocabulary and drops keys left with none (keys are not pruned)', () => {
    const pruned = pruneRelatedTerms(parseRelatedTerms(text), new Set(['car']));
    expect(entries(pruned)).toEqual([
      ['automobil', ['car']],
      ['gondola', ['car']],
    ]);
  });
});
