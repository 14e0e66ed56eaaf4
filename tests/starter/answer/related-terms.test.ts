import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { buildRelatedTerms, parseRelatedTerms, parseWordNet, pruneRelatedTerms, type RelatedTerms, serializeRelatedTerms, type WordNetFileName } from '../../../starter/answer/related-terms.ts';
import { loadRelatedTerms, RELATED_TERMS_FILE } from '../../../starter/answer/related-terms-file.ts';
import { tokenize } from '../../../starter/tokenize.ts';

/** The one stem of a word, through the project's tokenizer (so no stem is written by hand). */
const stemOf = (word: string): string => {
  const stems = tokenize(word);
  if (stems.length !== 1) throw new Error(`"${word}" is ${stems.length} stems`);
  return stems[0]!;
};
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

// A tiny WordNet in the database files' format: licence header lines start with two spaces; "car" has three noun
// senses (the third, "gondola" car, is past the two that count); "automobile" is word 2 of the first synset, and
// a lexical "+" pointer from word 2 reaches word 2 ("motor") of a verb synset, whose frames the parser skips.
const MINI: Record<WordNetFileName, string> = {
  'data.noun': [
    '  1 This software and database is being provided to you, the LICENSEE, by  ',
    '00000001 06 n 02 car 0 automobile 0 002 @ 00000002 n 0000 + 00000010 v 0202 | a motor vehicle  ',
    '00000002 06 n 02 vehicle 0 motor_vehicle 0 001 ~ 00000001 n 0000 | a conveyance  ',
    '00000003 06 n 01 car 0 000 | a wheeled vehicle adapted to the rails of railroad  ',
    '00000004 06 n 02 car 0 gondola 0 000 | the compartment suspended from an airship  ',
    '',
  ].join('\n'),
  'index.noun': [
    '  1 This software and database is being provided to you, the LICENSEE, by  ',
    'automobile n 1 2 @ + 1 1 00000001  ',
    'car n 3 2 @ + 3 1 00000001 00000003 00000004  ',
    'gondola n 1 0 1 0 00000004  ',
    'motor_vehicle n 1 1 ~ 1 0 00000002  ',
    'vehicle n 1 1 ~ 1 0 00000002  ',
    '',
  ].join('\n'),
  'data.verb': '00000010 38 v 02 drive 0 motor 0 000 01 + 08 00 | travel in a vehicle  \n',
  'index.verb': 'drive v 1 0 1 0 00000010  \nmotor v 1 0 1 0 00000010  \n',
  // A satellite ("s") reached by a similar-to pointer; "(a)" position markers are dropped.
  'data.adj': '00000020 00 a 01 big(a) 0 001 & 00000021 s 0000 | above average in size  \n00000021 00 s 01 large 0 001 & 00000020 a 0000 | big  \n',
  'index.adj': 'big a 1 1 & 1 0 00000020  \nlarge a 1 1 & 1 0 00000021  \n',
  'data.adv': '',
  'index.adv': '',
};

describe('buildRelatedTerms on a tiny WordNet', () => {
  test('synonyms and followed links of the first two senses, lexical links only from the lemma’s own word', () => {
    const table = buildRelatedTerms(parseWordNet(MINI), tokenize);
    const expected: [string, string[]][] = [
      ['automobile', ['car', 'vehicle', 'motor']],
      ['big', ['large']],
      ['car', ['automobile', 'vehicle']],
      ['drive', ['motor']],
      ['gondola', ['car']],
      ['large', ['big']],
      ['motor', ['drive']],
      ['vehicle', ['car', 'automobile']],
    ];
    expect(serializeRelatedTerms(table)).toBe(serializeRelatedTerms(new Map(expected.map(([word, related]) => [stemOf(word), related.map(stemOf)]))));
  });

  test.each([
    ['data.noun', '00000001 06 n zz car 0 000 | bad word count', 'WordNet data.noun, line 1: malformed hex number "zz"'],
    ['data.noun', '00000001 06 n 01 car 0 001 @ 00000002 q 0000 | bad part of speech', 'WordNet data.noun, line 1: malformed part of speech "q"'],
    ['data.noun', '00000001 06 n 02 car 0 | too few words', 'WordNet data.noun, line 1: malformed record (no field 7)'],
    ['index.noun', '  1 header\ncar n 2 0 2 1 00000001', 'WordNet index.noun, line 2: malformed record (7 fields for 2 synsets and 0 pointer kinds)'],
  ] as const)('a malformed line of %s is an error naming the file and line', (file, text, message) => {
    expect(() => parseWordNet({ ...MINI, [file]: text })).toThrow(message);
  });

  test('a synset the index names but the data lacks is an error', () => {
    expect(() => buildRelatedTerms(parseWordNet({ ...MINI, 'index.adv': 'fast r 1 0 1 0 00000099\n' }), tokenize)).toThrow('synset adv:00000099, which the lemma "fast" leads to, is missing');
  });
});
