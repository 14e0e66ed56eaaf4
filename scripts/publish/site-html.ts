// HTML building blocks of the published site: escaping, the page frame, Markdown. Pure.
import MarkdownIt, { type MarkdownIt as Markdown } from 'markdown-it';

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A page of the site; every page sits at the site's root, so links between pages are bare file names. */
export interface NavItem {
  href: string;
  label: string;
}

export function renderPage(options: { title: string; projectName: string; nav: readonly NavItem[]; current: string; body: string }): string {
  const { title, projectName, nav, current, body } = options;
  const links = nav.map((n) => `<a href="${escapeHtml(n.href)}"${n.href === current ? ' aria-current="page"' : ''}>${escapeHtml(n.label)}</a>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${escapeHtml(projectName)}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><nav><a class="name" href="index.html">${escapeHtml(projectName)}</a>
${links}
</nav></header>
<main>
${body}
</main>
<footer>Built by <code>ragfolio publish</code> from this project's own files: every measured number on these pages is read from a run file and listed with its source on <a href="sources.html">Sources</a>.</footer>
</body>
</html>
`;
}

const isExternal = (url: string) => /^(https?:|mailto:)/i.test(url);

/**
 * Markdown → HTML for the site. Raw HTML stays text (the write-up quotes user data). A relative link or
 * image whose target is not a file of the site (a datasheet pointing at a file in the repository) becomes
 * plain text, so the site has no broken links when served from a sub-path.
 */
export function createMarkdown(siteFiles: ReadonlySet<string>): Markdown {
  const md = new MarkdownIt({ html: false });
  const resolves = (url: string) => url.startsWith('#') || isExternal(url) || siteFiles.has(url.replace(/[#?].*$/, ''));
  md.core.ruler.push('site-links', (state) => {
    for (const block of state.tokens) {
      const children = block.children;
      if (!children) continue;
      let open = 0;
      for (let i = 0; i < children.length; i++) {
        const token = children[i];
        if (!token) continue;
        if (token.type === 'link_open' && !resolves(String(token.attrGet('href') ?? ''))) {
          token.tag = 'span';
          token.attrs = null;
          open++;
        } else if (token.type === 'link_close' && open > 0) {
          token.tag = 'span';
          open--;
        } else if (token.type === 'image' && !resolves(String(token.attrGet('src') ?? ''))) {
          const text = new state.Token('text', '', 0);
          text.content = token.content;
          children[i] = text;
        } else if (token.type === 'link_open' && isExternal(String(token.attrGet('href') ?? ''))) {
          token.attrSet('rel', 'noopener');
        }
      }
    }
  });
  return md;
}
