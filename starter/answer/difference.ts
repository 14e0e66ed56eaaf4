import { spansOfType } from './cues.ts';

/**
 * The planner's one calculation: a question asking how much two figures differ ("By how much did … grow",
 * "How much higher was …") is answered by no quote, only by the gap between the figures the parts quote.
 * Pure, so the step can be read back: which two spans, and what came out.
 */

const ASKS_DIFFERENCE = /\b(?:by how much|how (?:much|many) (?:higher|more|lower|less|larger|bigger|smaller|fewer|greater))\b/i;

export function asksDifference(question: string): boolean {
  return ASKS_DIFFERENCE.test(question);
}

export interface Quantity {
  value: number;
  kind: 'money' | 'percent' | 'count';
}

const SCALES: Readonly<Record<string, number>> = { hundred: 1e2, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
// A figure written with digits, as the cues find it: "$1.5 trillion", "1,700", "72 percent". Number words are left out.
const FIGURE = /^(\$\s?)?(\d[\d,]*(?:\.\d+)?)((?:\s*(?:percent|%|hundred|thousand|million|billion|trillion))*)$/i;

/** The value of a number span, or undefined when it is not written with digits. */
export function quantity(span: string): Quantity | undefined {
  const m = FIGURE.exec(span.trim());
  if (!m?.[2]) return undefined;
  const words = (m[3] ?? '').toLowerCase().match(/percent|%|[a-z]+/g) ?? [];
  const value = words.reduce((v, w) => v * (SCALES[w] ?? 1), Number(m[2].replace(/,/g, '')));
  const kind = m[1] ? 'money' : words.some((w) => w === 'percent' || w === '%') ? 'percent' : 'count';
  return { value, kind };
}

/** A quantity as a speech would write it: "$500 billion", "$4.75", "600", "14 percentage points". */
export function formatQuantity({ value, kind }: Quantity): string {
  const scale = (['trillion', 'billion', 'million'] as const).find((name) => value >= (SCALES[name] ?? 1));
  const round = (x: number) => String(Number(x.toFixed(2)));
  const number = scale ? `${round(value / (SCALES[scale] ?? 1))} ${scale}` : Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(2);
  return kind === 'money' ? `$${number}` : kind === 'percent' ? `${number} percentage points` : number;
}

export interface Difference {
  /** The figures subtracted, as quoted. */
  from: [string, string];
  /** |a − b|, written as a speech would. */
  text: string;
}

/** Whether `span` occurs in `text` as a figure, not as the digits of an ordinal or a decade ("21st century", "4th"). */
function standsAlone(span: string, text: string): boolean {
  return new RegExp(`${span.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![a-z])`, 'i').test(text);
}

/**
 * The first figure written with digits that a text holds and the question does not: what a difference subtracts.
 * "21st century" holds no figure 21.
 */
export function firstFigure(question: string, text: string): { span: string; value: Quantity } | undefined {
  const q = question.toLowerCase();
  for (const span of spansOfType(text, 'number')) {
    const value = q.includes(span.toLowerCase()) || !standsAlone(span, text) ? undefined : quantity(span);
    if (value) return { span, value };
  }
  return undefined;
}

/**
 * The gap between the first figure each text holds ("$9" in one address, "$4.25" in the other), when both are
 * of one kind (dollars, percent, counts) and differ; otherwise undefined, since figures of two kinds have no
 * meaningful difference.
 */
export function differenceOf(question: string, first: string, second: string): Difference | undefined {
  const [a, b] = [firstFigure(question, first), firstFigure(question, second)];
  if (!a || !b || a.value.kind !== b.value.kind || a.value.value === b.value.value) return undefined;
  return { from: [a.span, b.span], text: formatQuantity({ kind: a.value.kind, value: Math.abs(a.value.value - b.value.value) }) };
}
