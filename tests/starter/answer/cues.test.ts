import { describe, expect, test } from 'vitest';
import { askedType, shortAnswer, spansOfType } from '../../../starter/answer/cues.ts';

describe('askedType', () => {
  test.each([
    ['How many new jobs were created?', 'number'],
    ['By how much did the deficit fall?', 'number'],
    ['What percentage of children had health insurance?', 'number'],
    ['When will the troops come home?', 'date'],
    ['In what year did the program start?', 'date'],
    ['Who led the study on capital gains?', 'person'],
    ['Which soldier wrote the letter?', 'person'],
    ['What did the president propose for Social Security?', undefined],
    ['Why did the president veto the bill?', undefined],
  ])('%s → %s', (question, type) => {
    expect(askedType(question)).toBe(type);
  });
});

describe('spans and short answers', () => {
  test('quantities as speeches write them', () => {
    expect(spansOfType('We cut the deficit by $1.9 trillion and created 100,000 jobs, up 3 percent.', 'number')).toEqual(['$1.9 trillion', '100,000', '3 percent']);
    expect(spansOfType('Two million Americans and half of all families.', 'number')).toEqual(['Two million', 'half']);
  });
  test('a bare year is a date, not a quantity; trailing punctuation is not part of a number', () => {
    expect(spansOfType('In 1945, there were about two dozen democracies. Today, there are 122.', 'number')).toEqual(['two dozen', '122']);
    expect(shortAnswer('How many democracies, compared with two dozen in 1945?', 'In 1945, there were two dozen. Today, there are 122.', 'number')).toBe('122');
  });
  test('dates and names', () => {
    expect(spansOfType('By January 2001 the plan ends; in 1995 it began.', 'date')).toEqual(['January 2001', '1995']);
    expect(spansOfType('Tonight we honor Sergeant Cory Remsburg and The American people.', 'person')).toEqual(['Sergeant Cory Remsburg']);
  });
  test.each([
    // A name stops at a sentence end: the next sentence's first word is not a surname.
    ['On it are each of their names. For the first time, Usama bin Laden is not a threat.', ['Usama bin Laden']],
    ['He was a starving boy in North Korea. One day he tried to steal coal.', ['North Korea']],
    // Initials and titles keep their period inside a name.
    ['We thank John F. Kennedy Jr. for his service.', ['John F. Kennedy Jr.']],
    ['We thank Dr. Martin Luther King for his dream.', ['Dr. Martin Luther King']],
  ])('names in %s', (sentence, names) => {
    expect(spansOfType(sentence, 'person')).toEqual(names);
  });
  test('the short answer skips spans the question already holds', () => {
    expect(shortAnswer('How many jobs were created since 1993?', 'Since 1993 we created 8 million jobs.', 'number')).toBe('8 million');
    expect(shortAnswer('Who did the president honor?', 'We honor the memory of Jack Lucas.', 'person')).toBe('Jack Lucas');
    expect(shortAnswer('How many?', 'No numbers here at all.', 'number')).toBeUndefined();
    // The kind of quantity asked for wins over the first number in the sentence.
    const cut = 'I announced a cut in the White House staff of 25 percent, saving approximately $10 million.';
    expect(shortAnswer('How much money did the staff cut save?', cut, 'number')).toBe('$10 million');
    expect(shortAnswer('By what percentage was the staff cut?', cut, 'number')).toBe('25 percent');
  });
});

describe('documentation cues', () => {
  test.each([
    ['What is the default value of bodyLimit?', 'default'],
    ['How many retries does it make by default?', 'number'],
    ['Which Node.js version is required?', 'version'],
    ['How do I install markdownlint?', 'command'],
    ['What command runs the linter?', 'command'],
    ['Which option disables the logger?', 'option'],
    ['What is the name of the rule that checks headings?', 'option'],
    ['What does the logger option do?', undefined],
    ['What are decorators in Fastify?', undefined],
    ["What's the npm command to add it as a dev dependency?", 'command'],
    ['Which MD024 setting allows repeated headings?', 'option'],
  ])('%s → %s', (question, type) => {
    expect(askedType(question)).toBe(type);
  });

  test.each([
    ['default', 'What is the default of bodyLimit?', 'Factory › `bodyLimit` — Default: `1048576` (1MiB)', '`1048576`'],
    ['default', 'What does ignoreTrailingSlash default to?', 'The ignoreTrailingSlash option defaults to `false` for every route.', '`false`'],
    ['default', 'What is the default list of ignored names?', 'Default: `["a", "b"]`', '`["a", "b"]`'],
    ['default', 'What is the default style?', 'The rule uses `consistent` by default, which matches the first one.', '`consistent`'],
    ['version', 'Which version of Node.js is required?', 'Fastify v5 requires Node.js 20 or later.', 'v5'],
    ['command', 'How do I install markdownlint?', 'Install it like this:\n```sh\nnpm install markdownlint --save-dev\n```', 'npm install markdownlint --save-dev'],
    ['command', 'How do I run it?', 'Run `npx markdownlint-cli2 "**/*.md"` from the root.', 'npx markdownlint-cli2 "**/*.md"'],
    ['option', 'Which option disables request logging?', 'Set `disableRequestLogging` to `true`.', '`disableRequestLogging`'],
  ] as const)('%s: %s → %s', (type, question, sentence, short) => {
    expect(shortAnswer(question, sentence, type)).toBe(short);
  });
});

describe('the number cue: "how many" is answered by a count', () => {
  test.each([
    ['How many Americans did not have health insurance?', 'Forty million Americans still lack health insurance, and care costs $4,500 a family.', 'Forty million'],
    ['How many Americans did not have health insurance?', 'It costs a family $4,500, up 12 percent since 1993.', undefined],
    ['How many rules are enabled by default?', 'All 53 rules are enabled by default since 2019.', '53'],
    ['How many troops came home?', 'In 2011, 150,000 troops came home.', '150,000'],
    ['How many dollars did the plan save?', 'The plan saved $10 million and 300 jobs.', '$10 million'],
    ['How much did it cost?', 'It cost $4,500 for 2 people.', '$4,500'],
  ])('%s in %j → %s', (question, sentence, short) => {
    expect(shortAnswer(question, sentence, 'number')).toBe(short);
  });
});
