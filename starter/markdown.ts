import type { Span } from './sentences.ts';

/**
 * A small, line-based Markdown block reader: enough structure for passages and answers (which text is prose,
 * where headings and code are), not a renderer. Offsets are character offsets into the text given.
 */

export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'quote' | 'code' | 'table' | 'html' | 'front-matter' | 'rule';

export interface Block extends Span {
  kind: BlockKind;
  /** Heading level 1–6 (headings only). */
  level?: number;
  /** The prose inside the block, markers excluded: one span per paragraph. Empty for code, tables, HTML… */
  prose: Span[];
  /** Fenced code inside a quote block (its > markers included), kept whole like top-level code. */
  code?: Span[];
}

interface Line extends Span {
  /** The line without its line break (and without a trailing \r). */
  text: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const HEADING = /^( {0,3})(#{1,6})(?:[ \t]+|$)/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])(?:[ \t]+|$)/;
const QUOTE = /^ {0,3}>[ \t]?/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const HTML_START = /^ {0,3}<\/?[A-Za-z][\w-]*(?=[\s/>]|$)/;

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const raw = text.slice(start, end);
    const trimmedCr = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    lines.push({ start, end: start + trimmedCr.length, text: trimmedCr });
    if (nl === -1) break;
    start = nl + 1;
  }
  return lines;
}

const blank = (line: Line | undefined) => line !== undefined && line.text.trim() === '';
const indentOf = (s: string) => (/^[ \t]*/.exec(s)?.[0] ?? '').replace(/\t/g, '    ').length;

/** The span of `line` from column `from` to its end, trimmed; undefined when empty. */
function contentSpan(line: Line, from: number): Span | undefined {
  const rest = line.text.slice(from);
  const lead = rest.length - rest.trimStart().length;
  const body = rest.trim();
  if (!body) return undefined;
  const start = line.start + from + lead;
  return { start, end: start + body.length };
}

function isTableStart(lines: readonly Line[], i: number): boolean {
  const line = lines[i];
  if (!line) return false;
  if (/^ {0,3}\|/.test(line.text)) return true;
  // Without a leading pipe, the delimiter row must hold one too: a bare "---" under a line is a rule, not a table.
  const below = lines[i + 1]?.text ?? '';
  return line.text.includes('|') && below.includes('|') && TABLE_DELIMITER.test(below);
}

/** The line that closes a fence opened with `marker`: the same character, at least as many times. */
function closingFence(marker: string): RegExp {
  return new RegExp(`^\\s*${marker.startsWith('`') ? '`' : '~'}{${marker.length},}\\s*$`);
}

/** Does this line open a block that interrupts a running paragraph? */
function startsBlock(lines: readonly Line[], i: number): boolean {
  const text = lines[i]?.text ?? '';
  return FENCE.test(text) || HEADING.test(text) || RULE.test(text) || QUOTE.test(text) || LIST_ITEM.test(text) || text.trimStart().startsWith('<!--') || isTableStart(lines, i);
}

/** Split Markdown into blocks, in order. Blank lines belong to no block. */
export function markdownBlocks(text: string): Block[] {
  const lines = linesOf(text);
  const blocks: Block[] = [];
  let i = 0;
  // Content column of the list item we are in (for its indented continuation paragraphs), or -1 outside lists.
  let listContent = -1;
  const push = (kind: BlockKind, from: number, to: number, prose: Span[] = [], extra: Pick<Block, 'level' | 'code'> = {}) => {
    const first = lines[from];
    const last = lines[to];
    if (first && last) blocks.push({ kind, start: first.start, end: last.end, prose, ...extra });
  };

  // Front matter: a YAML block fenced by --- on the very first line.
  if (lines[0]?.text === '---') {
    const close = lines.findIndex((l, k) => k > 0 && (l.text === '---' || l.text === '...'));
    if (close > 0) {
      push('front-matter', 0, close);
      i = close + 1;
    }
  }

  while (i < lines.length) {
    const line = lines[i] as Line;
    const t = line.text;
    if (blank(line)) {
      i++;
      continue;
    }
    const indent = indentOf(t);
    if (listContent >= 0 && indent === 0 && !LIST_ITEM.test(t)) listContent = -1;

    const fence = FENCE.exec(t);
    if (fence && !(fence[2]?.startsWith('`') && fence[3]?.includes('`'))) {
      const marker = fence[2] ?? '```';
      let j = i + 1;
      const closing = closingFence(marker);
      while (j < lines.length && !closing.test(lines[j]?.text ?? '')) j++;
      push('code', i, Math.min(j, lines.length - 1));
      i = j + 1;
      continue;
    }

    // Indented code: 4+ columns beyond the enclosing context, after a blank line (or at the start).
    const codeIndent = listContent >= 0 ? listContent + 4 : 4;
    if (indent >= codeIndent && (i === 0 || blank(lines[i - 1]))) {
      let j = i;
      let last = i;
      while (j < lines.length && (blank(lines[j]) || indentOf(lines[j]?.text ?? '') >= codeIndent)) {
        if (!blank(lines[j])) last = j;
        j++;
      }
      push('code', i, last);
      i = last + 1;
      continue;
    }

    if (t.trimStart().startsWith('<!--')) {
      let j = i;
      while (j < lines.length && !(lines[j]?.text ?? '').includes('-->')) j++;
      push('html', i, Math.min(j, lines.length - 1));
      i = j + 1;
      continue;
    }

    const heading = HEADING.exec(t);
    if (heading) {
      listContent = -1;
      const level = heading[2]?.length ?? 1;
      // The heading text, without the opening #s and an optional closing run of #s.
      const raw = t
        .slice(heading[0].length)
        .replace(/[ \t]+#+[ \t]*$/, '')
        .replace(/^#+[ \t]*$/, '');
      const from = heading[0].length;
      const span = contentSpan({ ...line, text: t.slice(0, from) + raw }, from);
      push('heading', i, i, span ? [span] : [], { level });
      i++;
      continue;
    }

    if (RULE.test(t)) {
      push('rule', i, i);
      i++;
      continue;
    }

    if (isTableStart(lines, i)) {
      let j = i;
      while (j + 1 < lines.length && !blank(lines[j + 1]) && (lines[j + 1]?.text ?? '').includes('|')) j++;
      push('table', i, j);
      i = j + 1;
      continue;
    }

    if (HTML_START.test(t)) {
      let j = i;
      while (j + 1 < lines.length && !blank(lines[j + 1]) && !startsBlock(lines, j + 1)) j++;
      push('html', i, j);
      i = j + 1;
      continue;
    }

    if (QUOTE.test(t)) {
      // A quote runs over its > lines and lazy continuation lines; a bare ">" line separates its paragraphs.
      // Inside it, a fenced block is code and a "#" line a heading of its own, as at top level.
      let j = i;
      const prose: Span[] = [];
      const code: Span[] = [];
      let current: Span | undefined;
      let fence: { closing: RegExp; start: number } | undefined;
      const flush = () => {
        if (current) prose.push(current);
        current = undefined;
      };
      while (j < lines.length && !blank(lines[j])) {
        const l = lines[j] as Line;
        const marker = QUOTE.exec(l.text);
        if (!marker && !fence && startsBlock(lines, j)) break;
        const from = marker ? marker[0].length : 0;
        const content = l.text.slice(from);
        const span = contentSpan(l, from);
        j++;
        if (fence) {
          if (fence.closing.test(content)) {
            code.push({ start: fence.start, end: l.end });
            fence = undefined;
          }
          continue;
        }
        const opener = FENCE.exec(content);
        if (opener && span) {
          flush();
          fence = { closing: closingFence(opener[2] ?? '```'), start: span.start };
          continue;
        }
        const heading = HEADING.exec(content);
        if (heading && span) {
          flush();
          const text = contentSpan(l, from + heading[0].length);
          if (text) prose.push(text);
          continue;
        }
        if (!span) flush();
        else current = current ? { start: current.start, end: span.end } : span;
      }
      flush();
      const last = lines[j - 1] as Line;
      if (fence) code.push({ start: fence.start, end: last.end });
      push('quote', i, j - 1, prose, code.length > 0 ? { code } : {});
      i = j;
      continue;
    }

    const item = LIST_ITEM.exec(t);
    if (item) {
      listContent = item[0].length;
      let j = i + 1;
      while (j < lines.length && !blank(lines[j]) && !startsBlock(lines, j)) j++;
      const first = contentSpan(line, item[0].length);
      const lastLine = lines[j - 1] as Line;
      const prose = first ? [{ start: first.start, end: lastLine.start + lastLine.text.trimEnd().length }] : [];
      push('list-item', i, j - 1, prose);
      i = j;
      continue;
    }

    // A paragraph (or, inside a list, an indented continuation paragraph of the item).
    let j = i + 1;
    while (j < lines.length && !blank(lines[j]) && !startsBlock(lines, j)) j++;
    const lastLine = lines[j - 1] as Line;
    const first = contentSpan(line, 0);
    const prose = first ? [{ start: first.start, end: lastLine.start + lastLine.text.trimEnd().length }] : [];
    push(listContent >= 0 && indent > 0 ? 'list-item' : 'paragraph', i, j - 1, prose);
    i = j;
  }
  return blocks;
}

/** True when the text has Markdown structure (headings, code, lists, quotes, tables, HTML), not just paragraphs. */
export function isMarkdownish(text: string): boolean {
  return markdownBlocks(text).some((b) => b.kind !== 'paragraph');
}

/**
 * The character ranges of `text` that are prose, in order: paragraph, list item, quote and heading text, with
 * code, tables, HTML, comments, front matter and list/quote/heading markers left out. Each range lies inside one
 * block, so sentence splitting can run within it. Plain prose comes back as one range over the trimmed text.
 * (A quote paragraph spanning several lines keeps the `>` of its later lines inside its range: see proseText.)
 */
export function proseSpans(text: string): Span[] {
  const blocks = markdownBlocks(text);
  if (!blocks.some((b) => b.kind !== 'paragraph')) {
    const start = text.length - text.trimStart().length;
    const end = text.trimEnd().length;
    return end > start ? [{ start, end }] : [];
  }
  return blocks.flatMap((b) => b.prose);
}

/** A prose range as display text: the `>` markers of continued quote lines dropped, line breaks as spaces. */
export function proseText(text: string, span: Span): string {
  return text
    .slice(span.start, span.end)
    .replace(/\n[ \t]*(?:>[ \t]?)*/g, ' ')
    .replace(/[ \t]{2,}/g, ' ');
}

/** Heading text for a title: inline code ticks, emphasis, links and HTML tags reduced to their words. */
export function plainHeading(raw: string): string {
  return raw
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])/g, '$1')
    .replace(/`/g, '')
    .replace(/\*{1,3}([^*]+)\*{1,3}/g, '$1')
    .replace(/(^|\s)_{1,3}([^_]+)_{1,3}(?=\s|$)/g, '$1$2')
    .replace(/\s+/g, ' ')
    .trim();
}
