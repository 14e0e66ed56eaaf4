import { describe, expect, it } from 'vitest';
import { citationPrecision, citationRecall, stripCitationMarkers } from '../../../evals/metrics/citations.ts';

describe('citationPrecision', () => {
  it('is the share of distinct cited ids that are gold', () => {
    expect(citationPrecision(['a', 'b'], ['a', 'c'])).toBe(0.5);
    expect(citationPrecision(['a', 'a', 'b'], ['a'])).toBe(0.5); // "a" counted once
    expect(citationPrecision(['a'], ['a', 'b', 'c'])).toBe(1);
    expect(citationPrecision(['x'], ['a'])).toBe(0);
  });

  it('is null when nothing is cited', () => {
    expect(citationPrecision([], ['a'])).toBeNull();
  });

  it('is 0 when gold is empty but something is cited', () => {
    expect(citationPrecision(['a'], [])).toBe(0);
  });
});

describe('citationRecall', () => {
  it('is the share of distinct gold ids that are cited', () => {
    expect(citationRecall(['a', 'b'], ['a', 'c'])).toBe(0.5);
    expect(citationRecall(['a'], ['a', 'a'])).toBe(1);
    expect(citationRecall(['a', 'b', 'c'], ['a', 'b', 'd', 'e'])).toBe(0.5);
  });

  it('is 0 when nothing is cited and null when gold is empty', () => {
    expect(citationRecall([], ['a'])).toBe(0);
    expect(citationRecall(['a'], [])).toBeNull();
  });
});

describe('stripCitationMarkers', () => {
  it('removes id markers and the space before them', () => {
    expect(stripCitationMarkers('Bush proposed it [1990-bush-003].')).toBe('Bush proposed it.');
    expect(stripCitationMarkers('A [1990-bush-003, 1991-bush-010] and B [2].')).toBe('A and B.');
    expect(stripCitationMarkers('No markers here.')).toBe('No markers here.');
  });

  it('leaves bracketed prose alone', () => {
    expect(stripCitationMarkers('He said [the plan] works.')).toBe('He said [the plan] works.');
  });
});
