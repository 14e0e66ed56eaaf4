import { describe, expect, it } from 'vitest';
import { answerContains, normalizeForContains } from '../../../evals/metrics/contains.ts';

describe('answerContains', () => {
  it.each([
    // prediction, gold, contains
    ['In 1990, President George Bush said so.', 'george bush', 1],
    ['The answer is the Clean Air Act.', 'Clean Air Act', 1],
    // possessives, straight and curly (issue 22: "Master Lock's" vs gold "Master Lock")
    ["She thanked Master Lock's workers in Milwaukee.", 'Master Lock', 1],
    ['She thanked Master Lock’s workers in Milwaukee.', 'Master Lock', 1],
    ['the workers’ pensions', 'workers pensions', 1],
    ['Bush’s plan', 'Bush', 1],
    ["the 1990's budget", '1990', 1],
    // dashes separate words ("Paris Accord—because")
    ['we rejoined the Paris Accord—because it matters', 'Paris Accord', 1],
    ['from 1990–2000 the deficit fell', '2000', 1],
    ['a long pause – then the vote', 'pause', 1],
    // hyphens and slashes separate words, either side
    ['a 70-percent cut', '70 percent', 1],
    ['a 70 percent cut', '70-percent', 1],
    ['research and/or development', 'or development', 1],
    // curly and straight double quotes
    ['he called it “the Clean Air Act”', 'Clean Air Act', 1],
    // SQuAD's deletions still apply: abbreviations and digit groups
    ['the U.S. economy', 'US', 1],
    ['1,000 new police', '1000', 1],
    ['$500 billion', '500 billion', 1],
    // token boundaries still hold
    ['The bushes were trimmed.', 'bush', 0],
    ['about 1990s policy', '1990', 0],
    ['Lockheed Martin', 'Lock', 0],
    ['Master Locksmiths', 'Master Lock', 0],
    // a gold that normalises to "" never matches
    ['anything at all', 'The', 0],
  ] as const)('%j contains %j: %i', (prediction, gold, expected) => {
    expect(answerContains(prediction, [gold])).toBe(expected);
  });

  it('max over several golds', () => {
    expect(answerContains('The answer is the Clean Air Act.', ['nothing', 'Clean Air Act'])).toBe(1);
    expect(answerContains('The answer is the Clean Air Act.', ['nothing', 'else'])).toBe(0);
  });

  it('throws on an empty gold list: the metric is undefined there', () => {
    expect(() => answerContains('x', [])).toThrow(RangeError);
  });
});

describe('normalizeForContains', () => {
  it('folds, drops possessives, splits at dashes, then applies SQuAD normalisation', () => {
    expect(normalizeForContains('The Paris Accord—because Master Lock’s … U.S.-made')).toBe('paris accord because master lock us made');
  });
});
