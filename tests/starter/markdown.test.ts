import { describe, expect, test } from 'vitest';
import { isMarkdownish, markdownBlocks, plainHeading, proseSpans, proseText } from '../../starter/markdown.ts';

const slices = (text: string) => proseSpans(text).map((s) => text.slice(s.start, s.end));

describe('proseSpans', () => {
  test.each<[string, string, string[]]>([
    ['plain prose is one span over the trimmed text', '  We will cut taxes. And we will do it now.  \n', ['We will cut taxes. And we will do it now.']],
    ['plain paragraphs separated by blank lines are still one span', 'First part.\n\nSecond part.', ['First part.\n\nSecond part.']],
    ['empty text has no prose', ' \n ', []],
    ['heading text without its # markers (closing run too)', '## Hooks ##\n\nHooks are registered.', ['Hooks', 'Hooks are registered.']],
    ['a fenced code block is left out', 'Call it:\n\n```js\nfastify.listen({ port: 3000 })\n```\n\nThen wait.', ['Call it:', 'Then wait.']],
    ['a tilde fence is left out, even with a ``` line inside', '# T\n\n~~~md\n```\nnot prose\n~~~\nAfter.', ['T', 'After.']],
    ['an unclosed fence runs to the end', '# T\n\nText.\n\n```js\nconst a = 1;\n\nconst b = 2;', ['T', 'Text.']],
    ['an indented code block after a blank line is left out', 'Run:\n\n    npm install fastify\n    npm test\n\nDone.', ['Run:', 'Done.']],
    ['list items start after their markers', '- first item\n* second item\n1. third item\n2) fourth', ['first item', 'second item', 'third item', 'fourth']],
    ['a wrapped list item is one span, lazy line included', '- a long item\n  that wraps here\n- next', ['a long item\n  that wraps here', 'next']],
    ['an indented continuation paragraph of a list item is prose, not code', '- item\n\n    more about the item\n\nAfter.', ['item', 'more about the item', 'After.']],
    [
      'quote paragraphs start after the > marker; a bare > separates them',
      '> ℹ️ Note:\n> The done callback\n> is not available.\n>\n> Second.',
      ['ℹ️ Note:\n> The done callback\n> is not available.', 'Second.'],
    ],
    ['code fenced inside a quote is left out; a # line in a quote is a heading', '> ## Semver\n>\n> Pin it:\n> ```json\n> { "a": 1 }\n> ```\n> Then wait.', ['Semver', 'Pin it:', 'Then wait.']],
    ['table rows are left out', 'Codes:\n\n| Code | Meaning |\n| --- | --- |\n| A | alpha |\n\nAfter.', ['Codes:', 'After.']],
    ['a table without outer pipes is recognized by its delimiter row', 'a | b\n--|--\n1 | 2\n\nText.', ['Text.']],
    ['a line with a pipe above a bare --- is prose, not a table', 'x | y\n---\n\nz', ['x | y', 'z']],
    ['HTML comments and HTML lines are left out', '<!-- hidden\nstill hidden -->\n<a id="x"></a>\n## Title\nBody.', ['Title', 'Body.']],
    ['front matter is left out', '---\ntitle: x\n---\n# Real\n\nBody.', ['Real', 'Body.']],
    ['thematic breaks are left out', 'One.\n\n---\n\nTwo.\n\n* * *', ['One.', 'Two.']],
    ['an autolink at a line start is prose, not HTML', '- x\n\n<https://fastify.dev> is the site.', ['x', '<https://fastify.dev> is the site.']],
    ['a #hashtag is not a heading', '- a\n\n#hashtag stays.', ['a', '#hashtag stays.']],
    ['CRLF line ends', '# T\r\n\r\nBody here.\r\n', ['T', 'Body here.']],
  ])('%s', (_name, text, expected) => {
    expect(slices(text)).toEqual(expected);
  });

  test('every span lies inside the text, in order, trimmed and without overlap', () => {
    const text = '# A\n\nPara one.\n\n- item\n\n> quote\n\n```\ncode\n```\n\n| t |\n|---|\n';
    let last = 0;
    for (const s of proseSpans(text)) {
      expect(s.start).toBeGreaterThanOrEqual(last);
      expect(s.end).toBeGreaterThan(s.start);
      const slice = text.slice(s.start, s.end);
      expect(slice).toBe(slice.trim());
      last = s.end;
    }
  });
});

describe('markdownBlocks', () => {
  test('kinds, levels and offsets', () => {
    const text = '# Title\n\nIntro.\n\n## Sub\n\n```js\nx\n```\n';
    const blocks = markdownBlocks(text);
    expect(blocks.map((b) => [b.kind, b.level, text.slice(b.start, b.end)])).toEqual([
      ['heading', 1, '# Title'],
      ['paragraph', undefined, 'Intro.'],
      ['heading', 2, '## Sub'],
      ['code', undefined, '```js\nx\n```'],
    ]);
  });
});

describe('isMarkdownish, proseText, plainHeading', () => {
  test.each<[string, boolean]>([
    ['Just a sentence. And another.', false],
    ['Para.\n\nPara.', false],
    ['# Heading', true],
    ['Text\n\n```\ncode\n```', true],
    ['- a list', true],
    ['> quoted', true],
  ])('isMarkdownish(%j) is %s', (text, expected) => {
    expect(isMarkdownish(text)).toBe(expected);
  });

  test('proseText drops the > of continued quote lines and joins lines', () => {
    const text = '> The done callback\n> is not available.';
    const [span] = proseSpans(text);
    expect(proseText(text, span!)).toBe('The done callback is not available.');
  });

  test.each<[string, string]>([
    ['`reply.send(data)`', 'reply.send(data)'],
    ['[Routes](#routes) and **bold**', 'Routes and bold'],
    ['fastify(opts?: [FastifyServerOptions][FastifyServerOptions])', 'fastify(opts?: FastifyServerOptions)'],
    ['FST_ERR_NOT_FOUND', 'FST_ERR_NOT_FOUND'],
    ['_emphasis_ here', 'emphasis here'],
    ['<a id="x"></a>Hooks', 'Hooks'],
  ])('plainHeading(%j) is %j', (raw, expected) => {
    expect(plainHeading(raw)).toBe(expected);
  });
});
