import { describe, expect, test } from 'vitest';
import { splitIntoPassages } from '../../starter/passages.ts';
import { countWords, splitSentences } from '../../starter/sentences.ts';

/** Sentence k with exactly `words` words: "Point k w0 w1 ... ." */
function sentence(k: number, words: number): string {
  const filler = Array.from({ length: words - 2 }, (_, i) => `w${i}`);
  return `Point ${[k, ...filler].join(' ')}.`;
}

/** Sentences of the given word counts, separated by two spaces. */
function document(wordCounts: number[]): string {
  return wordCounts.map((n, k) => sentence(k, n)).join('  ');
}

describe('splitIntoPassages', () => {
  const lengths = [11, 7, 7, 11, 7, 7, 11, 30, 4, 7, 3];
  const text = `\n ${document(lengths)}\n`;
  const options = { minWords: 15, maxWords: 25 };
  const passages = splitIntoPassages(text, options);
  const sentenceSpans = splitSentences(text);

  test('the helper builds sentences of the intended length', () => {
    expect(sentenceSpans.map((s) => countWords(text.slice(s.start, s.end)))).toEqual(lengths);
  });

  test('passages are whole sentences: each starts at a sentence start and ends at a sentence end', () => {
    const starts = new Set(sentenceSpans.map((s) => s.start));
    const ends = new Set(sentenceSpans.map((s) => s.end));
    for (const p of passages) {
      expect(starts.has(p.start)).toBe(true);
      expect(ends.has(p.end)).toBe(true);
      const slice = text.slice(p.start, p.end);
      expect(slice).toBe(slice.trim());
    }
  });

  test('no text is lost between passages except white space', () => {
    expect(passages.length).toBeGreaterThan(1);
    expect(text.slice(0, passages[0]!.start).trim()).toBe('');
    for (let i = 1; i < passages.length; i++) {
      expect(passages[i]!.start).toBeGreaterThanOrEqual(passages[i - 1]!.end);
      expect(text.slice(passages[i - 1]!.end, passages[i]!.start).trim()).toBe('');
    }
    expect(text.slice(passages.at(-1)!.end).trim()).toBe('');
    // Together the passages hold every word of the text, in order.
    const joined = passages.map((p) => text.slice(p.start, p.end)).join(' ');
    expect(joined.split(/\s+/)).toEqual(text.trim().split(/\s+/));
  });

  test('word bounds: groups close at minWords, never pass maxWords unless one sentence is longer', () => {
    const words = passages.map((p) => countWords(text.slice(p.start, p.end)));
    // 11+7 → 18 ≥ 15; 7+11 → 18; 7+7+11 → 25 (exactly max); the 30-word sentence stays whole, alone;
    // then 4+7 = 11 would close only at 15, but the 3-word tail (< 15/2) joins it: 14.
    expect(words).toEqual([18, 18, 25, 30, 14]);
    for (const [i, p] of passages.entries()) {
      const n = words[i]!;
      const sentencesInside = sentenceSpans.filter((s) => s.start >= p.start && s.end <= p.end).length;
      if (n > options.maxWords) expect(sentencesInside).toBe(1);
    }
  });

  test('a group that would overflow maxWords closes early, below minWords', () => {
    const t = document([10, 20, 10]);
    const spans = splitIntoPassages(t, { minWords: 15, maxWords: 25 });
    expect(spans.map((p) => countWords(t.slice(p.start, p.end)))).toEqual([10, 20, 10]);
  });

  test('a short tail stands alone when it has at least half of minWords', () => {
    const t = document([15, 8]);
    const spans = splitIntoPassages(t, { minWords: 15, maxWords: 25 });
    expect(spans.map((p) => countWords(t.slice(p.start, p.end)))).toEqual([15, 8]);
    const merged = document([15, 7]);
    expect(splitIntoPassages(merged, { minWords: 15, maxWords: 25 }).map((p) => countWords(merged.slice(p.start, p.end)))).toEqual([22]);
  });

  test('abbreviations inside a passage do not cut it', () => {
    const t = 'Mr. Speaker, Mr. Vice President, Members of Congress: I come tonight to report. The state of our Union is strong.';
    const spans = splitIntoPassages(t, { minWords: 5, maxWords: 40 });
    expect(spans.map((p) => t.slice(p.start, p.end))).toEqual(['Mr. Speaker, Mr. Vice President, Members of Congress: I come tonight to report.', 'The state of our Union is strong.']);
  });

  test('empty text has no passages', () => {
    expect(splitIntoPassages('', { minWords: 5, maxWords: 10 })).toEqual([]);
  });
});
