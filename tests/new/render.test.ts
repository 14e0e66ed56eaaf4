import { describe, expect, test } from 'vitest';
import { renderTemplate } from '../../scripts/new/render.ts';

describe('renderTemplate', () => {
  test('substitutes values and keeps or drops sections; tags alone on a line take the line with them', () => {
    const template = '# {{name}}\n{{#on}}\nshown\n{{/on}}\n{{^on}}\nhidden\n{{/on}}\ninline {{#off}}no{{/off}}{{^off}}yes{{/off}}.\n';
    expect(renderTemplate(template, { name: 'x' }, { on: true, off: false }, 't.md')).toBe('# x\nshown\ninline yes.\n');
  });

  test('an unknown placeholder or flag is a bug in the template, not silently empty', () => {
    expect(() => renderTemplate('{{nope}}', {}, {}, 't.md')).toThrow('t.md: unknown placeholder {{nope}}');
    expect(() => renderTemplate('{{#nope}}x{{/nope}}', {}, {}, 't.md')).toThrow('unknown section flag "nope"');
  });

  test('values are not rendered again (a name with braces stays as typed)', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}' }, {}, 't.md')).toBe('{{b}}');
  });
});
