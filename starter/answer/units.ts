import MarkdownIt, { type Token } from 'markdown-it';
import { proseSpans } from '../markdown.ts';
import { countWords, splitSentences } from '../sentences.ts';

/**
 * Answer units: what the extractive answerer may quote from a retrieved text. In plain prose (speeches) a unit is
 * a sentence, byte for byte as the text has it (the dataset's shipped sentence vectors are keyed by that text).
 * In Markdown (documentation) a unit is a sentence cleaned for reading (links → their text, no emphasis markers,
 * inline code in backticks, line breaks joined) under the heading it sits in; a sentence that introduces a code
 * block, list or table ("… like this:") carries that block; and the places documentation keeps short answers
 * become units of their own: a `Default: …` line, an option-table row, a code block.
 */
export type UnitKind = 'sentence' | 'default' | 'row' | 'code';

export interface Attachment {
  kind: 'code' | 'list' | 'table';
  /** The sentence before the block announces it ("like this:"): the two are quoted together or not at all. */
  introduced?: boolean;
  /** The block as clean Markdown (code fenced, list items as `- item` lines). */
  markdown: string;
}

export interface AnswerUnit {
  kind: UnitKind;
  /** What is shown, and what question–unit similarity reads. */
  text: string;
  /** Offset of the unit in the text it came from (picks the passage a split chunk cites). */
  start: number;
  /**
   * Markdown only: the heading path the unit sits under ("Factory › `bodyLimit`": the text's title, then the
   * headings inside the text the title does not already name). Shown with the quote; its words count toward coverage.
   */
  heading?: string;
  /** The block a sentence introduces, quoted with it. */
  attachment?: Attachment;
  /** Words that count toward coverage without being shown in the prose (a code block's, a table's header). */
  extra?: string;
}

/** A sentence shorter than this is a fragment, not an answer (a `Default:` line or a table row may be shorter). */
const MIN_WORDS = 4;

// Raw HTML is parsed (so `<a id="…">` anchors can be dropped), never rendered: units are text.
const parser = new MarkdownIt({ html: true, linkify: false, typographer: false });

/**
 * A sentence that announces what follows: it ends in ":" or with "like this", "as follows", "for example"…
 * Quoted without the block it introduces, it answers nothing.
 */
const INTRODUCES = /(?::|\b(?:like this|like so|as follows|the following|for example|for instance|e\.g\.|below|this way)\W*)$/i;
const DEFAULT_LINE = /^default(?: value)?\s*:/i;

/** The answer units of a retrieved text, in order; `title` is the heading path the text lies under (a passage's title). */
export function answerUnits(text: string, title = ''): AnswerUnit[] {
  const tokens = parser.parse(text, {});
  if (isPlainProse(tokens)) return quotableSentences(text).map((s) => ({ kind: 'sentence', text: s.text, start: s.start }));
  return markdownUnits(text, tokens, title);
}

/** A unit as a reader needs it alone: under its heading path ("Factory › `bodyLimit` — Default: `1048576`"). What similarity reads. */
export function unitInContext(unit: Pick<AnswerUnit, 'heading' | 'text'>): string {
  if (!unit.heading) return unit.text;
  return unit.text ? `${unit.heading} — ${unit.text}` : unit.heading;
}

/**
 * The sentences of plain prose at least MIN_WORDS long, with their offsets: the texts a dataset's shipped
 * vectors are keyed by (scripts/build-embeddings.ts), so they must not change.
 */
function quotableSentences(text: string): { start: number; text: string }[] {
  return proseSpans(text)
    .flatMap((prose) => splitSentences(text.slice(prose.start, prose.end)).map((s) => ({ start: prose.start + s.start, end: prose.start + s.end })))
    .map((span) => ({ start: span.start, text: text.slice(span.start, span.end) }))
    .filter((s) => countWords(s.text) >= MIN_WORDS);
}

/**
 * Paragraphs of plain text only: no block structure, no inline Markdown, no line broken inside a paragraph
 * (hard-wrapped source is Markdown's habit, not prose's) and no reference link left unresolved.
 */
function isPlainProse(tokens: readonly Token[]): boolean {
  return tokens.every((t) => t.type === 'paragraph_open' || t.type === 'paragraph_close' || (t.type === 'inline' && (t.children ?? []).every((c) => c.type === 'text' && !REFERENCE.test(c.content))));
}

/**
 * A retrieved text as the answerer reads it, for checks that compare an answer with its sources (groundedness,
 * the judge): plain prose unchanged; Markdown as clean text (inline Markdown as in answers, code as it is) under
 * its heading path, the words a Markdown answer is made of.
 */
export function readableText(text: string, title = ''): string {
  const tokens = parser.parse(text, {});
  if (isPlainProse(tokens)) return text;
  const blocks = tokens.flatMap((t) => (t.type === 'inline' ? [inlineMarkdown(t.children ?? [])] : t.type === 'fence' || t.type === 'code_block' ? [t.content] : []));
  return [title, ...blocks].filter(Boolean).join('\n');
}

/** The first block of a text when it is code, a list or a table: what a sentence at the end of the text before it introduces. */
export function leadingBlock(text: string): Attachment | undefined {
  const tokens = parser.parse(text, {});
  const first = tokens.findIndex((t) => t.type !== 'html_block');
  return first >= 0 ? blockAttachment(tokens, first) : undefined;
}

function markdownUnits(text: string, tokens: readonly Token[], title: string): AnswerUnit[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offsetOf = (line: number) => lineStarts[line] ?? text.length;
  const units: AnswerUnit[] = [];
  const headings: { level: number; text: string }[] = [];
  // A passage's title already holds the headings above it (plain, without backticks): add only those it lacks.
  const headingPath = () => [title, ...headings.map((h) => h.text).filter((h) => !title.includes(h.replace(/`/g, '')))].filter(Boolean).join(' › ') || undefined;
  const withHeading = (unit: AnswerUnit): AnswerUnit => {
    const heading = headingPath();
    return heading ? { ...unit, heading } : unit;
  };
  // The last sentence of the block just before this one: what a code block, list or table would attach to.
  let previous: AnswerUnit | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === 'heading_open') {
      const level = Number(token.tag.slice(1));
      while ((headings.at(-1)?.level ?? 0) >= level) headings.pop();
      headings.push({ level, text: inlineMarkdown(tokens[i + 1]?.children ?? []) });
      previous = undefined;
      i += 2;
      continue;
    }
    if (token.type === 'paragraph_open') {
      const start = offsetOf(token.map?.[0] ?? 0);
      const raw = text.slice(start, offsetOf(token.map?.[1] ?? 0));
      const clean = inlineMarkdown(tokens[i + 1]?.children ?? []);
      previous = undefined;
      let from = 0;
      for (const span of splitSentences(clean)) {
        const sentence = clean.slice(span.start, span.end);
        const at = locate(raw, sentence, from);
        from = at;
        if (DEFAULT_LINE.test(sentence)) {
          // "Default: `false`" under the option's heading: the heading names what the default is of.
          units.push(withHeading({ kind: 'default', text: sentence, start: start + at }));
          continue;
        }
        previous = withHeading({ kind: 'sentence', text: sentence, start: start + at });
        units.push(previous);
      }
      i += 2;
      continue;
    }
    const attachment = blockAttachment(tokens, i);
    if (attachment) {
      // A code block right after a sentence goes with it; the answerer shows it only for command questions unless the sentence introduces it.
      if (previous && (INTRODUCES.test(previous.text) || attachment.kind === 'code')) previous.attachment = { ...attachment, introduced: INTRODUCES.test(previous.text) };
      else if (attachment.kind === 'code')
        units.push(withHeading({ kind: 'code', text: '', start: offsetOf(token.map?.[0] ?? 0), attachment: { ...attachment, introduced: false }, extra: token.content }));
      previous = undefined;
      if (token.type === 'table_open') {
        const rows = tableRows(tokens, i);
        const header = rows.shift();
        for (const row of rows) units.push(withHeading({ kind: 'row', text: row.join(' · '), start: offsetOf(token.map?.[0] ?? 0), ...(header ? { extra: header.join(' ') } : {}) }));
        i = closeOf(tokens, i);
      }
      continue;
    }
    if (token.type === 'hr') previous = undefined;
  }
  // A short sentence is kept for the block it introduces ("Example:"), or may yet introduce (the scorer looks past a text's end).
  return units.filter((u) => u.kind !== 'sentence' || countWords(u.text) >= MIN_WORDS || u.attachment !== undefined || /:$/.test(u.text));
}

/** A sentence that ends in ":" with nothing after it in this text: kept only if a following text supplies the block. */
export function danglingIntro(unit: AnswerUnit): boolean {
  return unit.attachment === undefined && /:$/.test(unit.text);
}

/** The code block, list or table that starts at tokens[i], as an attachment. */
function blockAttachment(tokens: readonly Token[], i: number): Attachment | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  if (token.type === 'fence' || token.type === 'code_block') return { kind: 'code', markdown: fenced(token.content, token.info.trim().split(/\s+/)[0] ?? '') };
  if (token.type === 'bullet_list_open' || token.type === 'ordered_list_open') return { kind: 'list', markdown: listItems(tokens, i).join('\n') };
  if (token.type === 'table_open')
    return {
      kind: 'table',
      markdown: tableRows(tokens, i)
        .slice(1)
        .map((row) => `- ${row.join(' · ')}`)
        .join('\n'),
    };
  return undefined;
}

function fenced(code: string, language: string): string {
  const body = code.replace(/\n+$/, '');
  // A fence longer than any backtick run inside the code.
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${body}\n${fence}`;
}

/** Items of the list opening at tokens[i] as `- item` (or `1. item`) lines of clean text, nested lists indented. */
function listItems(tokens: readonly Token[], i: number, indent = ''): string[] {
  const open = tokens[i] as Token;
  const end = closeOf(tokens, i);
  const ordered = open.type === 'ordered_list_open';
  const lines: string[] = [];
  let n = 0;
  for (let j = i + 1; j < end; j++) {
    const t = tokens[j] as Token;
    if (t.type === 'list_item_open' && t.level === open.level + 1) {
      n++;
      const inline = tokens[j + 2]?.type === 'inline' ? tokens[j + 2] : undefined;
      lines.push(`${indent}${ordered ? `${n}.` : '-'} ${inline ? inlineMarkdown(inline.children ?? []) : ''}`);
    } else if ((t.type === 'bullet_list_open' || t.type === 'ordered_list_open') && t.level > open.level) {
      lines.push(...listItems(tokens, j, `${indent}  `));
      j = closeOf(tokens, j);
    }
  }
  return lines;
}

/** Cells of each row of the table opening at tokens[i], header first. */
function tableRows(tokens: readonly Token[], i: number): string[][] {
  const rows: string[][] = [];
  for (let j = i + 1; j < closeOf(tokens, i); j++) {
    const t = tokens[j] as Token;
    if (t.type === 'tr_open') rows.push([]);
    else if (t.type === 'inline') rows.at(-1)?.push(inlineMarkdown(t.children ?? []));
  }
  return rows;
}

/** Index of the token closing the one opened at tokens[i] (i itself for a self-contained token). */
function closeOf(tokens: readonly Token[], i: number): number {
  const open = tokens[i] as Token;
  if (open.nesting !== 1) return i;
  for (let j = i + 1; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.level === open.level && t.nesting === -1) return j;
  }
  return tokens.length - 1;
}

// A reference link whose definition lies outside the text parsed ("[group][18]", "[`x` plugins][x]") stays literal.
const REFERENCE = /\[([^\]\n]+)\]\[[^\]\n]*\]/;
// In clean text: a code span (kept as it is, so `a[0][1]` survives) or a leftover reference link (→ its text).
const CODE_OR_REFERENCE = /(`+)[^`]*?\1|\[((?:[^\]\n`]|`[^`\n]*`)+)\]\[[^\]\n]*\]/g;

/**
 * Inline Markdown as readable text: links and images → their text, emphasis markers dropped, inline code kept in
 * backticks, raw HTML dropped, line breaks joined.
 */
export function inlineMarkdown(children: readonly Token[]): string {
  let out = '';
  for (const t of children) {
    if (t.type === 'text' || t.type === 'image') out += t.content;
    else if (t.type === 'softbreak' || t.type === 'hardbreak') out += ' ';
    else if (t.type === 'code_inline') {
      const ticks = '`'.repeat(Math.max(1, ...[...t.content.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      const pad = ticks.length > 1 ? ' ' : '';
      out += `${ticks}${pad}${t.content}${pad}${ticks}`;
    }
  }
  return out
    .replace(CODE_OR_REFERENCE, (match, ticks: string | undefined, text: string | undefined) => (ticks ? match : (text ?? match)))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Where a cleaned sentence starts in the raw Markdown it came from: its first words, whatever markup lies between them. */
function locate(raw: string, sentence: string, from: number): number {
  const words = (sentence.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 3).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return from;
  const match = new RegExp(words.join('[^\\p{L}\\p{N}]+'), 'u').exec(raw.slice(from));
  return match ? from + match.index : from;
}
