/**
 * The scaffolder's only templating: {{value}} substitution, and {{#flag}}…{{/flag}} / {{^flag}}…{{/flag}}
 * sections kept when the flag is true / false. Templates are plain Markdown files under scripts/new/template/.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>, flags: Readonly<Record<string, boolean>>, file: string): string {
  // A tag alone on its line takes its line break with it, so kept text reads as written.
  let text = template.replace(/^(\{\{[#^/][\w-]+\}\})[ \t]*\n/gm, '$1');
  const section = /\{\{([#^])([\w-]+)\}\}([\s\S]*?)\{\{\/\2\}\}/;
  for (let match = section.exec(text); match; match = section.exec(text)) {
    const [whole, kind, flag = '', body = ''] = match;
    const on = flags[flag];
    if (on === undefined) throw new Error(`${file}: unknown section flag "${flag}"`);
    text = text.slice(0, match.index) + ((kind === '#') === on ? body : '') + text.slice(match.index + whole.length);
  }
  return text.replace(/\{\{([\w-]+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${file}: unknown placeholder {{${key}}}`);
    return value;
  });
}
