/**
 * Answer-type cues: what kind of thing a question asks for, whether a sentence holds one, and the short
 * span that answers it. Plain patterns, so every decision can be read back from the text.
 */
export type AnswerType = 'number' | 'date' | 'person' | 'default' | 'version' | 'command' | 'option';

// "How many jobs", "what percentage", "by how much": the answer is a quantity.
const ASKS_NUMBER =
  /\b(how (much|many|large|big|long|far|high|low|old|fast)|by how much|what (percent|percentage|share|fraction|portion|proportion|number|amount|sum|rate|figure|price|cost|total)|how many)\b/i;
const ASKS_DATE = /\b(when|what year|which year|what date|what month|by what year|since when)\b/i;
const ASKS_PERSON = /\b(who|whom|whose|which (person|man|woman|leader|official|senator|soldier|officer|general|judge|justice|hero|student|teacher|child|boy|girl)|name of the (person|man|woman))\b/i;

const NUMBER_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|half|quarter|third|double|triple|dozen';
const SCALE = '(?:\\s*(?:percent|%|thousand|million|billion|trillion|hundred))*';
/** A quantity as speeches write it: "$1.9 trillion", "100,000", "3 percent", "two million", "half". */
const NUMBER = new RegExp(`(?:\\$\\s?)?\\b\\d(?:[\\d,]*\\d)?(?:\\.\\d+)?${SCALE}|\\b(?:${NUMBER_WORDS})(?:[\\s-]+(?:${NUMBER_WORDS}))*${SCALE}\\b`, 'gi');
// A bare year answers "when", not "how many".
const BARE_YEAR = /^(1[7-9]\d\d|20\d\d)$/;
const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December';
const DATE = new RegExp(`\\b(?:(?:${MONTHS})(?:\\s+\\d{1,2}(?:st|nd|rd|th)?)?,?\\s+)?(?:1[7-9]\\d\\d|20\\d\\d)s?\\b|\\b(?:${MONTHS})(?:\\s+\\d{1,2})?\\b`, 'g');
// Two or more capitalised words ("James Markwell", "Sergeant First Class Cory Remsburg", "George W. Bush"). A
// period ends a name word only in an initial or a title, so a name never runs across a sentence end ("bin Laden. On").
const NAME_WORD = "(?:(?:Mr|Mrs|Ms|Dr|Jr|Sr|St)\\.|[A-Z]\\.|[A-Z][a-z'’-]+)";
const NAME = new RegExp(`\\b${NAME_WORD}(?:\\s+(?:${NAME_WORD}|de|van|von|bin))+`, 'g');
// Capitalised phrases that are not people in these texts.
const NOT_A_NAME =
  /^(The|This|That|These|Those|Our|We|I|And|But|In|On|For|So|If|When|Now|Tonight|Today|Mr|Mrs|Ms|Madam|United States|American|Americans|America|Congress|Members|Senate|House|State|Union|God|Federal)\b/;

// Documentation questions: "What is the default for X?", "Which version…", "How do I install…", "Which option…".
const ASKS_DEFAULT = /\b(default|defaults|by default)\b/i;
const ASKS_VERSION = /\b((which|what) ([\w.]+ )?version|since (which|what) (release|version)|(minimum|oldest|supported) (\w+ )?versions?)\b/i;
const WHICH = "(?:what|which)(?:'s|’s| is| are)?(?: the| a)?";
const ASKS_COMMAND = new RegExp(
  `\\b(${WHICH} (\\w+ )?(command|cli command|script|flag)|how (do|can|should|would) (i|you|we|one) (install|run|start|launch|invoke|scaffold|generate|upgrade|add)|how to (install|run|start|invoke))\\b`,
  'i',
);
// "Which option…", "what setting…" (not "what are hooks?", a definition).
const ASKS_OPTION =
  /\b((?:which|what) ((?!(?:is|are|was|were|do|does)\b)[\w-]+ )?(option|setting|flag|property|key|field|parameter|argument|method|function|hook|event|decorator|rule|alias|header|config(uration)? (option|key|property))s?|what is the name of|what (is it|'s it) called)\b/i;

// "How do I …", "how can we …", "how to …": a procedure, which documentation shows in code.
const ASKS_HOW_TO = /\b(how (do|can|should|would|could) (i|you|we|one)|how to)\b/i;

/** Whether a question asks how to do something (its answer in documentation is often a code example). */
export function asksHowTo(question: string): boolean {
  return ASKS_HOW_TO.test(question);
}

export function askedType(question: string): AnswerType | undefined {
  // "How many … by default" asks for a number; "what is the default …" for a value.
  if (ASKS_NUMBER.test(question)) return 'number';
  if (ASKS_DEFAULT.test(question)) return 'default';
  if (ASKS_VERSION.test(question)) return 'version';
  if (ASKS_COMMAND.test(question)) return 'command';
  if (ASKS_OPTION.test(question)) return 'option';
  if (ASKS_DATE.test(question)) return 'date';
  if (ASKS_PERSON.test(question)) return 'person';
  return undefined;
}

const CODE_SPAN = /`([^`\n]+)`/g;
// A value after "Default:", "defaults to", "default is/value is", or a code span that holds "by default".
const DEFAULT_VALUE = /\bdefault(?:s to| is| value is|\s*:)\s*(`[^`\n]+`|"[^"\n]*"|'[^'\n]*'|[^\s,.;)]+)|(`[^`\n]+`)[^.`]{0,40}\bby default\b/gi;
const VERSION = /\b(?:v\d+(?:\.\d+){0,2}|\d+\.\d+(?:\.\d+)?(?:-[\w.]+)?|(?:Node(?:\.js)?|version)\s+\d+(?:\.\d+)*)\b/g;
// A command line: a package manager or runtime and what follows it.
const COMMAND = /(?:^|\n|`)\s*\$?\s*((?:npm|npx|yarn|pnpm|bun|node|deno|corepack)\b[^`\n]*)/g;

/** Candidate answer spans of a type in a sentence, in order of appearance. */
export function spansOfType(sentence: string, type: AnswerType): string[] {
  if (type === 'number') return [...sentence.matchAll(NUMBER)].map((m) => m[0].trim()).filter((span) => !BARE_YEAR.test(span));
  if (type === 'date') return [...sentence.matchAll(DATE)].map((m) => m[0].trim());
  if (type === 'default') return [...sentence.matchAll(DEFAULT_VALUE)].map((m) => (m[1] ?? m[2] ?? '').trim());
  if (type === 'version') return [...sentence.matchAll(VERSION)].map((m) => m[0].trim());
  if (type === 'command') return [...sentence.matchAll(COMMAND)].map((m) => (m[1] ?? '').trim());
  if (type === 'option') return [...sentence.matchAll(CODE_SPAN)].map((m) => m[0]);
  return [...sentence.matchAll(NAME)].map((m) => m[0].trim()).filter((name) => !NOT_A_NAME.test(name));
}

/**
 * The short answer in a sentence: the first span of the asked type that the question does not already
 * contain ("How many jobs since 1993?" should not answer "1993").
 */
export function shortAnswer(question: string, sentence: string, type: AnswerType): string | undefined {
  return shortAnswerAmong(question, spansOfType(sentence, type), type);
}

/** shortAnswer from a sentence's spans of the type (spansOfType), when they are already known. */
export function shortAnswerAmong(question: string, spansOfSentence: readonly string[], type: AnswerType): string | undefined {
  const q = question.toLowerCase();
  const spans = spansOfSentence
    .filter((span) => !q.includes(span.replace(/`/g, '').toLowerCase()))
    // "How many Americans…" is answered by a count ("Forty million"), never by a sum of money or a percentage.
    .filter((span) => !(type === 'number' && asksCount(question) && NOT_A_COUNT.test(span)));
  // "How much money…" wants the dollar figure, "what percentage…" the percentage, when the sentence has both kinds.
  const unit = type === 'number' ? (ASKS_MONEY.test(question) ? /\$|dollar/i : ASKS_PERCENT.test(question) ? /percent|%/i : undefined) : undefined;
  return (unit && spans.find((span) => unit.test(span))) || spans[0];
}

const ASKS_COUNT = /\bhow many\b/i;
const NOT_A_COUNT = /\$|dollar|percent|%/i;
const asksCount = (question: string) => ASKS_COUNT.test(question) && !ASKS_MONEY.test(question) && !ASKS_PERCENT.test(question);
const ASKS_MONEY = /\b(money|cost|costs|spend|spent|save|saved|saving|dollars?|funding|fund|budget|pay|paid|price|worth)\b/i;
const ASKS_PERCENT = /\b(percent|percentage|share|rate|proportion|fraction)\b/i;
