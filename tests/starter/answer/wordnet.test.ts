import { describe, expect, test } from 'vitest';
import { buildRelatedTerms, parseWordNet, type WordNetFileName } from '../../../scripts/wordnet.ts';
import { serializeRelatedTerms } from '../../../starter/answer/related-terms.ts';
import { tokenize } from '../../../starter/tokenize.ts';
import { stemOf } from '../../helpers/stem.ts';

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
