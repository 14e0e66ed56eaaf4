import { describe, expect, test } from 'vitest';
import { answerUnits, leadingBlock, unitInContext } from '../../../starter/answer/units.ts';

const texts = (markdown: string) => answerUnits(markdown).map((u) => u.text);

describe('answer units: cleaning Markdown for reading', () => {
  test.each([
    ['A link: see [the guide](https://x.dev/guide) for more details.', 'A link: see the guide for more details.'],
    ['A reference link [group][18] whose definition lies elsewhere stays readable.', 'A reference link group whose definition lies elsewhere stays readable.'],
    ['Emphasis **bold**, *italic* and _under_ markers are dropped here.', 'Emphasis bold, italic and under markers are dropped here.'],
    ['Inline code like `bodyLimit` keeps its backticks in the answer.', 'Inline code like `bodyLimit` keeps its backticks in the answer.'],
    ['The source breaks\nits lines\nwhere it likes, and the answer joins them.', 'The source breaks its lines where it likes, and the answer joins them.'],
    ['Raw HTML <a id="x"></a>anchors are dropped from the sentence.', 'Raw HTML anchors are dropped from the sentence.'],
    ['An image ![the logo](logo.png) becomes its alt text here.', 'An image the logo becomes its alt text here.'],
  ])('%j → %j', (markdown, clean) => {
    expect(texts(markdown)).toEqual([clean]);
  });

  test('plain prose comes back byte for byte, sentence by sentence (shipped vectors are keyed by it)', () => {
    const prose = 'We cut the deficit by half.  Tonight,   I ask   you to act. Yes. Forty million Americans still lack health insurance.';
    const units = answerUnits(prose);
    expect(units.map((u) => u.text)).toEqual(['We cut the deficit by half.', 'Tonight,   I ask   you to act.', 'Forty million Americans still lack health insurance.']);
    expect(units.every((u) => prose.slice(u.start).startsWith(u.text))).toBe(true);
  });

  test('offsets point at the sentence in the raw Markdown', () => {
    const markdown = '# Title\n\nFirst **bold** sentence is here. Then a [linked](u) second sentence.';
    for (const unit of answerUnits(markdown)) expect(markdown.slice(unit.start, unit.start + 5)).toBe(unit.text.replace(/\*\*|\[/g, '').slice(0, 5));
  });
});

describe('answer units: documentation structure', () => {
  test('a sentence keeps the heading path it sits under: the title given, then headings the title does not name', () => {
    const units = answerUnits('## Options\n\n### `bodyLimit`\n\nDefines the maximum payload in bytes.');
    expect(units).toMatchObject([{ kind: 'sentence', text: 'Defines the maximum payload in bytes.', heading: 'Options › `bodyLimit`' }]);
    const [titled] = answerUnits('### `bodyLimit`\n\nDefines the maximum payload in bytes.\n\n#### Units\n\nThe limit is counted in bytes.', 'Factory › bodyLimit');
    expect(titled?.heading).toBe('Factory › bodyLimit');
    expect(answerUnits('### `bodyLimit`\n\n#### Units\n\nThe limit is counted in bytes.', 'Factory › bodyLimit')[0]?.heading).toBe('Factory › bodyLimit › Units');
    expect(unitInContext(titled!)).toBe('Factory › bodyLimit — Defines the maximum payload in bytes.');
    // Plain prose has no heading path: its units are its sentences alone.
    expect(answerUnits('We cut the deficit by half this year.', '1993 State of the Union')).toEqual([{ kind: 'sentence', text: 'We cut the deficit by half this year.', start: 0 }]);
  });

  test('a "Default:" line is a unit of its own, named by its heading, however short', () => {
    const units = answerUnits('### `bodyLimit`\n\n+ Default: `1048576` (1MiB)\n\nDefines the maximum payload in bytes.');
    expect(units[0]).toMatchObject({ kind: 'default', text: 'Default: `1048576` (1MiB)', heading: '`bodyLimit`' });
  });

  test.each([
    ['ends in a colon', 'Install it with npm:'],
    ['"like this"', 'It can be set as a separate boolean option like this'],
    ['"as follows"', 'The configuration looks as follows.'],
    ['"for example"', 'Pass the option to the factory, for example:'],
  ])('a sentence that introduces a code block (%s) carries it', (_, intro) => {
    const [unit] = answerUnits(`${intro}\n\n\`\`\`sh\nnpm i fastify\n\`\`\``);
    expect(unit).toMatchObject({ kind: 'sentence', attachment: { kind: 'code', markdown: '```sh\nnpm i fastify\n```' } });
  });

  test('an introduced list is kept as items, nested items indented, with its sentence', () => {
    const [unit] = answerUnits('The possible values are:\n\n- `false`: **off**\n- `object`: options, namely:\n  - `level`\n  - `serializers`\n');
    expect(unit?.attachment).toEqual({ kind: 'list', introduced: true, markdown: '- `false`: off\n- `object`: options, namely:\n  - `level`\n  - `serializers`' });
  });

  test('an option table gives one unit per row (header words as extra coverage) and is carried by its intro', () => {
    const units = answerUnits('The options are:\n\n| Option | Default |\n| --- | --- |\n| `maxAge` | `60` |\n| `strict` | `true` |\n');
    expect(units[0]?.attachment).toEqual({ kind: 'table', introduced: true, markdown: '- `maxAge` · `60`\n- `strict` · `true`' });
    expect(units.slice(1)).toMatchObject([
      { kind: 'row', text: '`maxAge` · `60`', extra: 'Option Default' },
      { kind: 'row', text: '`strict` · `true`', extra: 'Option Default' },
    ]);
  });

  test('a code block no sentence introduces is a unit under its heading, with its code as extra coverage', () => {
    const units = answerUnits('## Install\n\n```sh\nnpm i markdownlint --save-dev\n```\n');
    expect(units).toMatchObject([{ kind: 'code', text: '', heading: 'Install', extra: 'npm i markdownlint --save-dev\n', attachment: { kind: 'code' } }]);
  });

  test('an intro at the end of a text has no block yet; the text after it can supply one', () => {
    expect(answerUnits('Some words first here. Then install it like this:').at(-1)).toMatchObject({ text: 'Then install it like this:' });
    expect(answerUnits('Then install it like this:').at(-1)?.attachment).toBeUndefined();
    expect(leadingBlock('```sh\nnpm i x\n```\n\nMore text.')).toEqual({ kind: 'code', markdown: '```sh\nnpm i x\n```' });
    expect(leadingBlock('More text.\n\n```sh\nnpm i x\n```')).toBeUndefined();
  });

  test('sentences under four words are not units unless they introduce a block; headings are not quoted', () => {
    expect(texts('# A heading of several words\n\nToo short.\n\nThis one is long enough.')).toEqual(['This one is long enough.']);
    expect(answerUnits('Too short.\n\nFor example:\n\n```js\nx()\n```')).toMatchObject([{ text: 'For example:', attachment: { kind: 'code' } }]);
  });
});

describe('answer units: reference links around inline code', () => {
  test.each([
    ['If any [`markdown-it` plugins][markdown-it-plugin] are needed, use them.', 'If any `markdown-it` plugins are needed, use them.'],
    ['Index it as `rows[0][1]` in the table code.', 'Index it as `rows[0][1]` in the table code.'],
  ])('%j → %j', (markdown, clean) => {
    expect(answerUnits(`# T\n\n${markdown}`).map((u) => u.text)).toEqual([clean]);
  });
});
