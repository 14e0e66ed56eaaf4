import { describe, expect, test } from 'vitest';
import { countWords, splitSentences } from '../../starter/sentences.ts';

const sentencesOf = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  test('spans index into the text: slicing at each span gives the sentence, trimmed', () => {
    const text = '  The vote passed.   It was close!\nWas it fair?  Nobody knows.  ';
    const spans = splitSentences(text);
    expect(sentencesOf(text)).toEqual(['The vote passed.', 'It was close!', 'Was it fair?', 'Nobody knows.']);
    for (const { start, end } of spans) {
      const sentence = text.slice(start, end);
      expect(sentence).toBe(sentence.trim());
      expect(sentence.length).toBeGreaterThan(0);
    }
    // In order and not overlapping.
    for (let i = 1; i < spans.length; i++) expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
  });

  test('titles and abbreviations do not end a sentence', () => {
    const text = 'Mr. Speaker, Mrs. Jones and Dr. Smith are here. Gen. Grant met Sen. Byrd in St. Louis. The U.S. economy grew. No. 5 is next.';
    expect(sentencesOf(text)).toEqual(['Mr. Speaker, Mrs. Jones and Dr. Smith are here.', 'Gen. Grant met Sen. Byrd in St. Louis.', 'The U.S. economy grew.', 'No. 5 is next.']);
  });

  test('a closing quote or bracket stays with its sentence; decimals do not split', () => {
    const text = 'He said "we will win." Then he left. (It rained.) Growth was 3.5 percent. Done';
    expect(sentencesOf(text)).toEqual(['He said "we will win."', 'Then he left.', '(It rained.)', 'Growth was 3.5 percent.', 'Done']);
  });

  test('a full stop before a lower-case word is not an end', () => {
    expect(sentencesOf('We met at 5 p.m. on Friday. It went well.')).toEqual(['We met at 5 p.m. on Friday.', 'It went well.']);
  });

  test('a sentence may start with a digit or an opening quote', () => {
    expect(sentencesOf('It ended. 1991 was hard. "Never again," he said.')).toEqual(['It ended.', '1991 was hard.', '"Never again," he said.']);
  });

  test('empty or blank text has no sentences; text without an end mark is one sentence', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   \n ')).toEqual([]);
    expect(splitSentences('no full stop here')).toEqual([{ start: 0, end: 17 }]);
  });
});

describe('countWords', () => {
  test('counts runs of non-space characters', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords('one')).toBe(1);
    expect(countWords('  Mr. Speaker,\tthe  state\nof the Union ')).toBe(7);
  });
});
