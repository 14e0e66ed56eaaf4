import MarkdownIt from 'markdown-it';

// Raw HTML in the Markdown stays text: the write-up quotes questions and answers from user data.
const markdown = new MarkdownIt({ html: false });

/** The write-up as a standalone HTML page (tables, lists, code blocks via markdown-it). */
export function renderHtml(title: string, source: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${markdown.utils.escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}pre{background:#f6f6f6;padding:1rem;overflow:auto}</style></head><body>\n${markdown.render(source)}</body></html>\n`;
}
