import { describe, expect, it } from 'vitest';
import { abstained, abstentionCorrect, DEFAULT_ABSTAIN_MARKER, falseAbstention } from '../../../evals/metrics/abstention.ts';

describe('abstained', () => {
  it('detects the marker regardless of case, punctuation, articles and surrounding words', () => {
    expect(DEFAULT_ABSTAIN_MARKER).toBe('not found in the corpus');
    expect(abstained('Not found in the corpus.')).toBe(true);
    expect(abstained('NOT FOUND IN CORPUS')).toBe(true);
    expect(abstained('Sorry — this is not found in the corpus.')).toBe(true);
  });

  it('does not fire on ordinary answers or near misses', () => {
    expect(abstained('George Bush proposed it in 1990.')).toBe(false);
    expect(abstained('The document was not found in the archive.')).toBe(false);
    expect(abstained('')).toBe(false);
  });

  it('accepts a custom marker', () => {
    expect(abstained("I don't know.", "I don't know")).toBe(true);
    expect(abstained('Not found in the corpus.', "I don't know")).toBe(false);
  });

  it('rejects a marker that normalises to nothing', () => {
    expect(() => abstained('x', 'The.')).toThrow(RangeError);
  });
});

describe('abstentionCorrect / falseAbstention', () => {
  it('unanswerable: abstain_correct is 1 when the system abstains, 0 when it answers', () => {
    expect(abstentionCorrect('Not found in the corpus.', true)).toBe(1);
    expect(abstentionCorrect('Bush said 1991.', true)).toBe(0);
    expect(falseAbstention('Not found in the corpus.', true)).toBeNull();
  });

  it('answerable: false_abstention is 1 when the system abstains, 0 when it answers', () => {
    expect(falseAbstention('Not found in the corpus.', false)).toBe(1);
    expect(falseAbstention('Bush said 1991.', false)).toBe(0);
    expect(abstentionCorrect('Bush said 1991.', false)).toBeNull();
  });
});
