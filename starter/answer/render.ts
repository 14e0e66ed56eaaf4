import MarkdownIt from 'markdown-it';

// Raw HTML off: an answer quotes documents, and a document's <script> must reach the page as text.
const renderer = new MarkdownIt({ html: false, linkify: false, typographer: false });
const CITATION_MARKER = /\[([A-Za-z0-9_.:#-]+)\]/g;

/**
 * An answer's Markdown (code fences, list items, inline code) as HTML for the page (`serve`) and the in-browser
 * demo: markdown-it with raw HTML off, and each [passage-id] the answer cites as a button that opens the passage.
 * Ids are checked against `cited` and the citation pattern, so nothing the corpus wrote becomes markup.
 */
export function renderAnswerHtml(answer: string, cited: readonly string[]): string {
  const ids = new Set(cited);
  return renderer
    .render(answer)
    .trim()
    .replace(CITATION_MARKER, (marker, id: string) => (ids.has(id) ? `<button type="button" class="cite" data-passage="${id}" aria-label="Open cited passage ${id}">[${id}]</button>` : marker));
}
