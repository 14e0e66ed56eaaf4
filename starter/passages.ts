import { type Block, markdownBlocks, plainHeading } from './markdown.ts';
import { countWords, type Span, splitSentences } from './sentences.ts';

export interface PassageSplitOptions {
  minWords: number;
  maxWords: number;
}

/** A passage span with the heading path it lies under ("File title › Section › Subsection"). */
export interface TitledSpan extends Span {
  title: string;
}

/** Separator of heading path parts in a title. */
export const TITLE_SEPARATOR = ' › ';

/**
 * Group whole sentences into passages of about minWords..maxWords words.
 * A passage closes once it reaches minWords, or before a sentence that would push it past maxWords;
 * a single sentence longer than maxWords stays whole (we never cut inside a sentence).
 */
export function splitIntoPassages(text: string, options: PassageSplitOptions): Span[] {
  return groupUnits(text, splitSentences(text), options);
}

/** Group consecutive units (sentences, code blocks…) into passages; a unit is never cut. */
function groupUnits(text: string, units: readonly Span[], { minWords, maxWords }: PassageSplitOptions): Span[] {
  const passages: Span[] = [];
  let current: Span | undefined;
  let words = 0;
  for (const unit of units) {
    const n = countWords(text.slice(unit.start, unit.end));
    if (current && words + n > maxWords) {
      passages.push(current);
      current = undefined;
      words = 0;
    }
    current = current ? { start: current.start, end: unit.end } : { ...unit };
    words += n;
    if (words >= minWords) {
      passages.push(current);
      current = undefined;
      words = 0;
    }
  }
  // A short tail joins the previous passage rather than standing alone as a fragment.
  if (current) {
    const last = passages.at(-1);
    if (last && words < minWords / 2) last.end = current.end;
    else passages.push(current);
  }
  return passages;
}

/** The title of a Markdown text: its first heading, else undefined. */
export function markdownTitle(text: string): string | undefined {
  const heading = markdownBlocks(text).find((b) => b.kind === 'heading' && b.prose.length > 0);
  const span = heading?.prose[0];
  return span ? plainHeading(text.slice(span.start, span.end)) || undefined : undefined;
}

interface Section {
  /** Heading path, file title first. */
  path: string[];
  units: Span[];
  words: number;
}

/**
 * Split a Markdown text into passages that never cross a heading (except that a tiny section joins the next one
 * under the same parent), each titled with its heading path under `fallbackTitle` or the file's first heading.
 * Prose is grouped by whole sentences as in splitIntoPassages; code blocks and tables are kept whole.
 */
export function splitMarkdownIntoPassages(text: string, options: PassageSplitOptions, fallbackTitle: string): TitledSpan[] {
  const sections = markdownSections(text, fallbackTitle, options.maxWords);
  const tiny = options.minWords / 2;
  const groups: { parent: string[]; names: string[]; units: Span[]; words: number }[] = [];
  for (const section of sections) {
    const parent = section.path.slice(0, -1);
    const name = section.path.at(-1) ?? fallbackTitle;
    const group = groups.at(-1);
    const small = group !== undefined && group.words < tiny;
    if (group && small && group.names.length === 1 && startsWith(section.path, [...group.parent, ...group.names])) {
      // A tiny section followed by its own subsection: the subsection's path names both.
      group.parent = parent;
      group.names = [name];
    } else if (group && small && group.words + section.words <= options.maxWords && sameParts(parent, group.parent)) {
      // The text before a file's first heading and that heading's own section share the file title.
      if (group.names.at(-1) !== name) group.names.push(name);
    } else {
      groups.push({ parent, names: [name], units: [...section.units], words: section.words });
      continue;
    }
    group.units.push(...section.units);
    group.words += section.words;
  }
  return groups.flatMap((g) => {
    const title = [...g.parent, g.names.join(', ')].join(TITLE_SEPARATOR);
    return groupUnits(text, g.units, options).map((span) => ({ ...span, title }));
  });
}

/** Sections of a Markdown text with their units (a heading is glued to the unit after it). Empty sections are dropped. */
function markdownSections(text: string, fallbackTitle: string, maxWords: number): Section[] {
  const blocks = markdownBlocks(text);
  const firstHeading = blocks.find((b) => b.kind === 'heading' && b.prose.length > 0);
  const root = firstHeading ? headingText(text, firstHeading) || fallbackTitle : fallbackTitle;
  const stack: { level: number; title: string; block: Block }[] = [];
  const sections: Section[] = [];
  let current: Section = { path: [root], units: [], words: 0 };
  let pendingHeading: Span | undefined;
  const close = () => {
    if (pendingHeading) addUnit(current, text, pendingHeading);
    pendingHeading = undefined;
    if (current.units.length > 0) sections.push(current);
  };
  for (const block of blocks) {
    if (block.kind === 'heading' && block.prose.length > 0) {
      close();
      const level = block.level ?? 1;
      while ((stack.at(-1)?.level ?? 0) >= level) stack.pop();
      stack.push({ level, title: headingText(text, block), block });
      // The heading the file title came from is the root, not a second path part.
      const parts = stack.filter((h) => h.block !== firstHeading).map((h) => h.title);
      current = { path: [root, ...parts], units: [], words: 0 };
      pendingHeading = { start: block.start, end: block.end };
      continue;
    }
    for (const unit of blockUnits(text, block, maxWords)) {
      addUnit(current, text, pendingHeading ? { start: pendingHeading.start, end: unit.end } : unit);
      pendingHeading = undefined;
    }
  }
  close();
  return sections;
}

function addUnit(section: Section, text: string, unit: Span): void {
  section.units.push(unit);
  section.words += countWords(text.slice(unit.start, unit.end));
}

function headingText(text: string, block: Block): string {
  const span = block.prose[0];
  return span ? plainHeading(text.slice(span.start, span.end)) : '';
}

/**
 * Prose blocks give their sentences; a code block is one unit, however long; a table is one unit, or one per row
 * (the header glued to the first) when longer than a passage; HTML, front matter and rules give none.
 */
function blockUnits(text: string, block: Block, maxWords: number): Span[] {
  switch (block.kind) {
    case 'paragraph':
    case 'list-item':
      return sentencesIn(text, block);
    case 'quote':
      // Sentences of each quoted paragraph, and any code fenced inside the quote as one unit.
      return [...block.prose.flatMap((span) => sentencesIn(text, span)), ...(block.code ?? [])].sort((a, b) => a.start - b.start);
    case 'code':
      return [{ start: block.start, end: block.end }];
    case 'table':
      return countWords(text.slice(block.start, block.end)) > maxWords ? tableRows(text, block) : [{ start: block.start, end: block.end }];
    default:
      return [];
  }
}

function sentencesIn(text: string, span: Span): Span[] {
  return splitSentences(text.slice(span.start, span.end)).map((s) => ({ start: span.start + s.start, end: span.start + s.end }));
}

function tableRows(text: string, block: Block): Span[] {
  const rows: Span[] = [];
  let start = block.start;
  while (start < block.end) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 || nl > block.end ? block.end : nl;
    rows.push({ start, end: start + text.slice(start, end).trimEnd().length });
    start = end + 1;
  }
  // Header and delimiter rows mean nothing alone.
  const [header, , first, ...rest] = rows;
  return header && first ? [{ start: header.start, end: first.end }, ...rest] : rows;
}

const sameParts = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const startsWith = (path: readonly string[], prefix: readonly string[]) => path.length > prefix.length && prefix.every((x, i) => x === path[i]);
