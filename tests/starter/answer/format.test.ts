import { describe, expect, test } from 'vitest';
import { formatAnswer, MAX_ANSWER_CHARS, MAX_CODE_LINES, MAX_PROSE_CHARS } from '../../../starter/answer/format.ts';
import { renderAnswerHtml } from '../../../starter/answer/render.ts';

const code = (lines: number) => ({ kind: 'code' as const, markdown: `\`\`\`js\n${Array.from({ length: lines }, (_, i) => `line${i}()`).join('\n')}\n\`\`\`` });

describe('formatAnswer', () => {
  test('plain prose runs read as before: "sentence [id] sentence [id]", each passage cited once', () => {
    expect(
      formatAnswer([
        { text: 'One sentence here.', passageId: 'a' },
        { text: 'Another one there.', passageId: 'b' },
      ]),
    ).toEqual({ text: 'One sentence here. [a] Another one there. [b]', citations: ['a', 'b'] });
  });

  test('an introduced code block follows its sentence on lines of its own, cut to MAX_CODE_LINES with a "…" line', () => {
    const { text } = formatAnswer([{ text: 'Install it like this:', passageId: 'a', attachment: code(MAX_CODE_LINES + 5) }]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Install it like this: [a]');
    expect(lines.slice(2, 3)).toEqual(['```js']);
    expect(lines.filter((l) => l.startsWith('line'))).toHaveLength(MAX_CODE_LINES);
    expect(lines.slice(-2)).toEqual(['…', '```']);
    expect(formatAnswer([{ text: 'Short:', passageId: 'a', attachment: code(3) }]).text).toBe('Short: [a]\n\n```js\nline0()\nline1()\nline2()\n```');
  });

  test('at most one code block: a later run that would bring a second is left out, with its sentence', () => {
    const { text, citations } = formatAnswer([
      { text: 'First like this:', passageId: 'a', attachment: code(2) },
      { text: 'Second like this:', passageId: 'b', attachment: code(2) },
      { text: 'A plain sentence to end.', passageId: 'c' },
    ]);
    expect(text).not.toContain('Second');
    expect(text.match(/```js/g)).toHaveLength(1);
    expect(text.endsWith('A plain sentence to end. [c]')).toBe(true);
    expect(citations).toEqual(['a', 'c']);
  });

  test('the block from the next passage cites that passage too', () => {
    expect(formatAnswer([{ text: 'Run:', passageId: 'a', attachment: code(1), attachmentPassageId: 'b' }]).citations).toEqual(['a', 'b']);
  });

  test('prose is bounded: later runs only if they fit, a single overlong sentence cut at a word with "…"', () => {
    const long = `${'word '.repeat(100).trim()}.`;
    const { text, citations } = formatAnswer([
      { text: long, passageId: 'a' },
      { text: long, passageId: 'b' },
    ]);
    expect(citations).toEqual(['a']);
    const alone = formatAnswer([{ text: `${'word '.repeat(200).trim()}.`, passageId: 'a' }]).text;
    expect(alone.length).toBeLessThanOrEqual(MAX_PROSE_CHARS + ' [a]'.length);
    expect(alone.endsWith('word … [a]')).toBe(true);
    expect(text).toBe(`${long} [a]`);
  });

  test('the whole answer stays within MAX_ANSWER_CHARS: long code lines are cut to fit, a later run that would pass it is left out', () => {
    const wide = { kind: 'code' as const, markdown: `\`\`\`js\n${Array.from({ length: 10 }, (_, i) => `const line${i} = '${'x'.repeat(90)}'`).join('\n')}\n\`\`\`` };
    const prose = `${'word '.repeat(80).trim()}.`;
    const { text, citations } = formatAnswer([
      { text: `${prose} Like this:`, heading: 'Guide', passageId: 'a', attachment: wide },
      { text: `A second sentence from elsewhere, ${'long '.repeat(20).trim()}.`, passageId: 'b' },
    ]);
    expect(text.length).toBeLessThanOrEqual(MAX_ANSWER_CHARS);
    expect(text).toMatch(/const line0 = /);
    expect(text).not.toMatch(/const line9 = /);
    expect(text.endsWith('…\n```')).toBe(true);
    expect(citations).toEqual(['a']);
    // A short answer leaves room for the second run.
    expect(
      formatAnswer([
        { text: 'Short:', passageId: 'a', attachment: code(3) },
        { text: 'A second sentence from elsewhere.', passageId: 'b' },
      ]).citations,
    ).toEqual(['a', 'b']);
  });

  test('a long list is cut to the items that fit, then "- …"; no answer ends in ":"', () => {
    const items = Array.from({ length: 60 }, (_, i) => `- item number ${i} with some words`).join('\n');
    const { text } = formatAnswer([{ text: 'The values are:', passageId: 'a', attachment: { kind: 'list', markdown: items } }]);
    expect(text.length).toBeLessThan(MAX_PROSE_CHARS + 100);
    expect(text.endsWith('\n- …')).toBe(true);
    expect(formatAnswer([{ text: `${'word '.repeat(200)}and so:`, passageId: 'a' }]).text).not.toMatch(/:\s*\[a\]$/);
  });
});

describe('renderAnswerHtml', () => {
  test('Markdown becomes HTML with raw HTML escaped, and cited ids become buttons', () => {
    const html = renderAnswerHtml('Use `bodyLimit` <script>alert(1)</script> like this: [a] [zz]\n\n```js\nfastify({ bodyLimit: 1 })\n```', ['a']);
    expect(html).toContain('<code>bodyLimit</code>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<button type="button" class="cite" data-passage="a" aria-label="Open cited passage a">[a]</button>');
    // An id the answer does not cite stays text.
    expect(html).toContain('[zz]');
    expect(html).toContain('<pre><code class="language-js">fastify({ bodyLimit: 1 })\n</code></pre>');
  });

  test('a plain prose answer is one paragraph whose text is the answer (the demo compares them)', () => {
    const answer = 'In 1991 we freed Kuwait & more. [1991-bush-003] Forty million "lack" it. [b]';
    const html = renderAnswerHtml(answer, ['1991-bush-003', 'b']);
    expect(html.startsWith('<p>')).toBe(true);
    expect(
      html
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"'),
    ).toBe(answer);
  });
});
