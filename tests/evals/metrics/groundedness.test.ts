import { describe, expect, it } from 'vitest';
import { CONTENT_STOPWORDS, contentTokens, foldTypography, groundedness } from '../../../evals/metrics/groundedness.ts';

const passages = ['In 1990 the President proposed a capital gains tax cut to spur investment.', 'The Clean Air Act was sent to the Congress last summer.'];

describe('contentTokens', () => {
  it('normalises, drops stopwords and deduplicates', () => {
    expect([...contentTokens('The President proposed a tax cut, a TAX cut!')]).toEqual(['president', 'proposed', 'tax', 'cut']);
  });

  it('keeps numbers and negations', () => {
    expect([...contentTokens('It was not 1990.')]).toEqual(['not', '1990']);
    expect(CONTENT_STOPWORDS.has('not')).toBe(false);
    expect(CONTENT_STOPWORDS.has('never')).toBe(false);
  });

  it('folds typographic quotes so curly and straight apostrophes agree', () => {
    expect(foldTypography('nation\u2019s \u201cbest\u201d 1990\u20131991')).toBe('nation\'s "best" 1990 1991');
    expect(contentTokens('nation\u2019s')).toEqual(contentTokens("nation's"));
  });
});

describe('groundedness', () => {
  it('1 when every sentence is covered by some passage (citation markers ignored)', () => {
    // S1 content {president, proposed, capital, gains, tax, cut} ⊂ passage 0
    // S2 content {sent, clean, air, act, congress} ⊂ passage 1
    const answer = 'The President proposed a capital gains tax cut [1990-bush-003]. He sent the Clean Air Act to Congress [1990-bush-004].';
    expect(groundedness(answer, passages)).toBe(1);
  });

  it('is the share of supported sentences', () => {
    // S3 content {passed, unanimously, 1991}: 0/3 in either passage → unsupported; 2 of 3 sentences supported
    const answer = 'The President proposed a capital gains tax cut. He sent the Clean Air Act to Congress. It passed unanimously in 1991.';
    expect(groundedness(answer, passages)).toBeCloseTo(2 / 3, 12);
  });

  it('the threshold is inclusive and configurable', () => {
    // content {president, proposed, gains, tax, 2001}: 4/5 = 0.8 found in passage 0 (2001 is not)
    const answer = 'The President proposed gains tax in 2001.';
    expect(groundedness(answer, passages)).toBe(1);
    expect(groundedness(answer, passages, { threshold: 0.81 })).toBe(0);
    expect(() => groundedness(answer, passages, { threshold: 0 })).toThrow(RangeError);
    expect(() => groundedness(answer, passages, { threshold: 1.5 })).toThrow(RangeError);
  });

  it('support must come from ONE passage, not the union', () => {
    // {capital, gains, clean, air, congress}: 2/5 in passage 0, 3/5 in passage 1, 5/5 in the union
    expect(groundedness('Capital gains, clean air, Congress.', passages)).toBe(0);
  });

  it('curly apostrophes in the answer match straight ones in the passage', () => {
    expect(groundedness('The nation\u2019s economy grew.', ["The nation's economy grew fast."])).toBe(1);
  });

  it('0 when nothing was retrieved', () => {
    expect(groundedness('The President proposed a tax cut.', [])).toBe(0);
  });

  it('null for abstentions, empty answers and answers without content tokens', () => {
    expect(groundedness('Not found in the corpus.', passages)).toBeNull();
    expect(groundedness("I don't know.", passages, { abstainMarker: "I don't know" })).toBeNull();
    expect(groundedness('', passages)).toBeNull();
    expect(groundedness('[1990-bush-003]', passages)).toBeNull();
    expect(groundedness('It is.', passages)).toBeNull();
  });

  it('sentences without content tokens are left out of the denominator', () => {
    expect(groundedness('It is. The President proposed a tax cut.', passages)).toBe(1);
  });
});
