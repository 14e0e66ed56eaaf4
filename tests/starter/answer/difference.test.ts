import { describe, expect, test } from 'vitest';
import { asksDifference, differenceOf, firstFigure, formatQuantity, quantity } from '../../../starter/answer/difference.ts';

describe('asksDifference', () => {
  test('"by how much" and "how much higher/more" ask for a gap; "how much did it fall" asks for each figure', () => {
    expect(asksDifference('By how much did the amount grow?')).toBe(true);
    expect(asksDifference('How much higher was the wage proposed in 2013?')).toBe(true);
    expect(asksDifference('How much did youth drug use fall in the two addresses?')).toBe(false);
  });
});

describe('quantity and formatQuantity', () => {
  test('reads dollars, percentages and counts written with digits, with their scale words; number words are left out', () => {
    expect(quantity('$1.5 trillion')).toEqual({ value: 1.5e12, kind: 'money' });
    expect(quantity('72 percent')).toEqual({ value: 72, kind: 'percent' });
    expect(quantity('1,700')).toEqual({ value: 1700, kind: 'count' });
    expect(quantity('two and a half million')).toBeUndefined();
  });

  test('writes a gap as a speech would', () => {
    expect(formatQuantity({ value: 5e11, kind: 'money' })).toBe('$500 billion');
    expect(formatQuantity({ value: 4.75, kind: 'money' })).toBe('$4.75');
    expect(formatQuantity({ value: 600, kind: 'count' })).toBe('600');
    expect(formatQuantity({ value: 14, kind: 'percent' })).toBe('14 percentage points');
  });
});

describe('differenceOf', () => {
  const question = 'How much higher was the wage proposed in 2013 than in 1995?';
  test("subtracts each text's first figure the question does not hold, when both are of one kind", () => {
    expect(differenceOf(question, 'Raise it to $9 an hour.', 'In 1995 people worked for $4.25 an hour.')).toEqual({ from: ['$9', '$4.25'], text: '$4.75' });
  });

  test('the digits of an ordinal or a decade are no figure: "21st century" holds no 21', () => {
    expect(firstFigure(question, '21st century businesses need to sell more products overseas.')).toBeUndefined();
    expect(firstFigure(question, 'For the 4th time in the 1990s, 11 million new jobs.')?.span).toBe('11 million');
    expect(differenceOf(question, 'It would create more than 1 million new jobs.', 'Thirty times as many jobs for 21st century businesses.')).toBeUndefined();
  });

  test('figures of two kinds, or equal figures, have no difference', () => {
    expect(differenceOf(question, 'Raise it to $9 an hour.', '40 States raised theirs.')).toBeUndefined();
    expect(differenceOf(question, 'It was $9.', 'It was $9.')).toBeUndefined();
  });
});
