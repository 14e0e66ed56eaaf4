import { describe, expect, test } from 'vitest';
import { markdownTitle, splitMarkdownIntoPassages, TITLE_SEPARATOR } from '../../starter/passages.ts';
import { countWords } from '../../starter/sentences.ts';

/** n sentences of 10 words each. */
const prose = (n: number, topic = 'river') => Array.from({ length: n }, (_, i) => `Sentence ${i} says the ${topic} bridge is open to every visitor.`).join(' ');
const options = { minWords: 40, maxWords: 80 };
const split = (text: string) => splitMarkdownIntoPassages(text, options, 'file.md');
const sliced = (text: string) => split(text).map((p) => ({ title: p.title, text: text.slice(p.start, p.end) }));

describe('splitMarkdownIntoPassages', () => {
  const doc = [
    '# Guide',
    prose(5, 'intro'),
    '## Install',
    prose(6, 'install'),
    '### From npm',
    prose(5, 'npm'),
    '```js\nconst a = 1;\n\nconst b = 2; // Not. A. Sentence. End.\n```',
    prose(2, 'after'),
    '## Use',
    prose(12, 'use'),
  ].join('\n\n');
  const passages = split(doc);

  test('titles are heading paths under the file title; the first heading is the file title', () => {
    expect([...new Set(passages.map((p) => p.title))]).toEqual(['Guide', `Guide${TITLE_SEPARATOR}Install`, `Guide${TITLE_SEPARATOR}Install${TITLE_SEPARATOR}From npm`, `Guide${TITLE_SEPARATOR}Use`]);
  });

  test('passages never cross a heading: a heading line only ever opens a passage', () => {
    for (const p of passages) {
      const text = doc.slice(p.start, p.end);
      expect(
        text
          .split('\n')
          .slice(1)
          .some((line) => line.startsWith('#')),
      ).toBe(false);
    }
  });

  test('a code block is kept whole, even with sentence-like text and blank lines inside', () => {
    const code = doc.indexOf('```js');
    const codeEnd = doc.indexOf('```', code + 3) + 3;
    const holder = passages.filter((p) => p.start <= code && codeEnd <= p.end);
    expect(holder).toHaveLength(1);
    expect(passages.some((p) => (p.start > code && p.start < codeEnd) || (p.end > code && p.end < codeEnd))).toBe(false);
  });

  test('long sections are split by whole sentences within the word limits; offsets slice back to trimmed text', () => {
    const use = passages.filter((p) => p.title.endsWith('Use'));
    expect(use.length).toBeGreaterThan(1);
    for (const p of passages) {
      const text = doc.slice(p.start, p.end);
      expect(text).toBe(text.trim());
      expect(countWords(text)).toBeLessThanOrEqual(options.maxWords);
    }
    for (const p of use.slice(1)) expect(doc.slice(p.start, p.end)).toMatch(/^Sentence \d+ says/);
  });

  test('a tiny section followed by its subsection joins it; tiny siblings join each other; a tiny last section stays', () => {
    const text = ['# API', '## Errors', 'Short intro.', '### E_ONE', 'One failed.', '### E_TWO', 'Two failed.', '### E_BIG', prose(5)].join('\n\n');
    const titles = sliced(text).map((p) => p.title);
    expect(titles[0]).toBe(['API', 'Errors', 'E_ONE, E_TWO, E_BIG'].join(TITLE_SEPARATOR));
    expect(sliced(text)[0]?.text.startsWith('# API\n\n## Errors\n\nShort intro.\n\n### E_ONE')).toBe(true);
    expect(sliced(`# A\n\n${prose(5)}\n\n## B\n\nTiny.`).map((p) => p.title)).toEqual(['A', `A${TITLE_SEPARATOR}B`]);
  });

  test('a heading is never a passage of its own when text follows it', () => {
    const text = `# T\n\n## Empty\n\n### Child\n\n${prose(3)}`;
    const out = sliced(text);
    expect(out).toHaveLength(1);
    expect(out[0]?.title).toBe(['T', 'Empty', 'Child'].join(TITLE_SEPARATOR));
  });

  test('code fenced inside a quote stays whole too', () => {
    const text = `# T\n\n> Note: ${prose(3)}\n>\n> \`\`\`js\n> const a = 1. // Looks. Like. Sentences.\n> \`\`\`\n> ${prose(6)}\n`;
    const code = text.indexOf('> ```js');
    const codeEnd = text.indexOf('```\n>', code + 7) + 3;
    const out = split(text);
    expect(out.length).toBeGreaterThan(1);
    expect(out.filter((p) => p.start <= code + 2 && codeEnd <= p.end)).toHaveLength(1);
    expect(out.some((p) => (p.start > code && p.start < codeEnd) || (p.end > code && p.end < codeEnd))).toBe(false);
  });

  test('a long table is split between rows, its header kept with the first row', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `| CODE_${i} | what went wrong number ${i} here |`);
    const text = `# Codes\n\n| Code | Meaning |\n| --- | --- |\n${rows.join('\n')}\n`;
    const out = sliced(text);
    expect(out.length).toBeGreaterThan(1);
    expect(out[0]?.text).toMatch(/^# Codes\n\n\| Code \| Meaning \|\n\| --- \| --- \|\n\| CODE_0/);
    for (const p of out.slice(1)) expect(p.text.startsWith('| CODE_')).toBe(true);
  });

  test('a file without headings is titled with the fallback; HTML-only and empty files give nothing', () => {
    expect(split(prose(2)).map((p) => p.title)).toEqual(['file.md']);
    expect(split('<h1 align="center">Fastify</h1>\n\n<!-- nothing -->\n')).toEqual([]);
    expect(split('')).toEqual([]);
  });

  test('markdownTitle ignores a # line inside code and reduces inline syntax', () => {
    expect(markdownTitle('```sh\n# not a title\n```\n\n## The `listen` method\n')).toBe('The listen method');
    expect(markdownTitle('no heading')).toBeUndefined();
  });
});
