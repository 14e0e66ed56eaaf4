import { describe, expect, test } from 'vitest';
import { STOPWORDS, stem, tokenize } from '../../starter/tokenize.ts';

// Word pairs a question and a passage use for the same thing: they must share a stem.
const MUST_MEET: [string, string][] = [
  ['jobs', 'job'],
  ['rates', 'rate'],
  ['policies', 'policy'],
  ['proposed', 'propose'],
  ['proposal', 'propose'],
  ['taxes', 'tax'],
  ['cuts', 'cut'],
  ['invaded', 'invading'],
  ['nations', 'nation'],
  ['economies', 'economy'],
  ['families', 'family'],
  ['hired', 'hiring'],
  ['cities', 'city'],
  ['studies', 'study'],
  ['deficits', 'deficit'],
];

// Different words that a crude suffix stripper would merge: they must stay apart.
const MUST_NOT_MEET: [string, string][] = [
  ['news', 'new'],
  ['arms', 'army'],
  ['general', 'generous'],
  ['policy', 'police'],
  ['state', 'statement'],
  ['united', 'unity'],
  ['bus', 'business'],
];

describe('stem (Porter2 / Snowball English)', () => {
  test.each(MUST_MEET)('%s and %s share a stem', (a, b) => {
    expect(stem(a)).toBe(stem(b));
  });
  test.each(MUST_NOT_MEET)('%s and %s keep different stems', (a, b) => {
    expect(stem(a)).not.toBe(stem(b));
  });
  test('short words are stemmed too (the old stripper left words of four letters or fewer alone)', () => {
    expect(stem('jobs')).toBe('job');
    expect(stem('cuts')).toBe('cut');
  });
});

describe('tokenize', () => {
  test('lower-cases, drops stop words and apostrophes, stems', () => {
    expect(tokenize("What did the President's plan propose for jobs?")).toEqual(['presid', 'plan', 'propos', 'job']);
  });
  test('keeps numbers as tokens', () => {
    expect(tokenize('1.9 trillion in 2021')).toEqual(['1', '9', 'trillion', '2021']);
    // Porter2 alone would give "199i": years must match years.
    expect(tokenize('the 1993 budget')).toEqual(['1993', 'budget']);
  });
  test('question words and auxiliaries are stop words', () => {
    for (const w of ['when', 'why', 'does', 'will', 'what', 'which', 'how']) expect(STOPWORDS.has(w)).toBe(true);
    expect(tokenize('When will it happen, and why does it?')).toEqual(['happen']);
  });
});
