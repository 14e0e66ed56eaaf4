import { describe, expect, it } from 'vitest';
import { exactMatch, normalizeAnswer, tokenF1 } from '../../../evals/metrics/squad.ts';

// Expected outputs below were produced by running normalize_answer / exact_match_score / f1_score
// from the official SQuAD v1.1 evaluation script (evaluate-v1.1.py) under CPython 3.11.
const NORMALIZE_CASES: ReadonlyArray<readonly [string, string]> = [
  ['The Cat sat.', 'cat sat'],
  ['cat sat', 'cat sat'],
  ['  An  apple a day\tkeeps THE doctor away! ', 'apple day keeps doctor away'],
  ['the-art', 'theart'], // punctuation goes before articles, so "the" is glued to "art"
  ['theater', 'theater'],
  ['Anna and an ant', 'anna and ant'],
  ['U.S. $1,000,000', 'us 1000000'],
  ['Bush\u2019s plan', 'bush\u2019s plan'], // only ASCII punctuation is removed
  ["Mr. O'Neill's", 'mr oneills'],
  ['caf\u00e9a', 'caf\u00e9a'],
  ['\u00e9a b', '\u00e9a b'], // Python's \b is Unicode-aware: "é" is a word character
  ['a\u00e9 b', 'a\u00e9 b'],
  ['x_a y', 'xa y'], // "_" is punctuation
  ['a_b', 'ab'],
  ['2a b', '2a b'],
  ['a2 b', 'a2 b'],
  ['1990\u2014the year', '1990\u2014 year'], // em dash is not ASCII punctuation but is a \b boundary
  ['\u00a0non\u00a0breaking\u2003space', 'non breaking space'],
  ['line\u001cbreak', 'line break'], // str.split() splits on U+001C, JS \s does not
  ['zero\ufeffwidth', 'zero\ufeffwidth'], // JS \s matches U+FEFF, str.split() does not
  ['\u0130stanbul', 'i\u0307stanbul'],
  ['\u039f\u0394\u039f\u03a3', '\u03bf\u03b4\u03bf\u03c2'], // final sigma
  ['A', ''],
  ['the', ''],
  ['', ''],
  ['(the) [a] {an}', ''],
  ['a.b the.c', 'ab thec'],
];

// [prediction, golds, EM, F1] from the script (max over golds).
const SCORE_CASES: ReadonlyArray<readonly [string, readonly string[], number, number]> = [
  ['The Cat sat.', ['cat sat'], 1, 1],
  ['the cat sat on the mat', ['a cat sat'], 0, 0.6666666666666666],
  ['cat cat cat', ['cat'], 0, 0.5],
  ['cat', ['cat cat dog'], 0, 0.5],
  ['George Bush', ['President George H. W. Bush', 'Bush'], 0, 0.6666666666666666],
  ['the', ['a'], 1, 0],
  ['', [''], 1, 0],
  ['', ['cat'], 0, 0],
  ['Persian Gulf war in 1991', ['the Persian Gulf War', '1991'], 0, 0.7499999999999999],
  ['$2.3 trillion', ['2.3 trillion dollars'], 0, 0.8],
];

describe('normalizeAnswer matches the SQuAD v1.1 script', () => {
  it.each(NORMALIZE_CASES)('%j → %j', (input, expected) => {
    expect(normalizeAnswer(input)).toBe(expected);
  });
});

describe('exactMatch and tokenF1 match the SQuAD v1.1 script', () => {
  it.each(SCORE_CASES)('%j vs %j', (prediction, golds, em, f1) => {
    expect(exactMatch(prediction, golds)).toBe(em);
    expect(tokenF1(prediction, golds)).toBe(f1); // bit-for-bit, same operation order as the script
  });
});

describe('hand-computed F1', () => {
  it('partial overlap', () => {
    // pred "cat sat on mat" (4 tokens), gold "cat sat" (2): overlap 2 → P = 2/4, R = 2/2, F1 = 2PR/(P+R) = 2/3
    expect(tokenF1('the cat sat on the mat', ['a cat sat'])).toBeCloseTo(2 / 3, 12);
  });

  it('Counter intersection: repeated tokens match at most min(count) times', () => {
    // overlap min(3, 1) = 1 → P = 1/3, R = 1 → F1 = 0.5
    expect(tokenF1('cat cat cat', ['cat'])).toBeCloseTo(0.5, 12);
    // overlap min(2, 2) + min(1, 0) = 2 → P = 2/3, R = 2/2 → F1 = 0.8
    expect(tokenF1('cat cat dog', ['cat cat'])).toBeCloseTo(0.8, 12);
  });

  it('max over golds, not mean', () => {
    // gold 1 "president george h w bush": overlap 2, P = 1, R = 2/5 → 0.571; gold 2 "bush": P = 1/2, R = 1 → 0.667
    expect(tokenF1('George Bush', ['President George H. W. Bush', 'Bush'])).toBeCloseTo(2 / 3, 12);
    expect(exactMatch('bush', ['George Bush', 'Bush'])).toBe(1);
  });
});

describe('empty gold list', () => {
  it('throws: max over no golds is undefined', () => {
    expect(() => exactMatch('x', [])).toThrow(RangeError);
    expect(() => tokenF1('x', [])).toThrow(RangeError);
  });
});
