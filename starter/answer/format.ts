import { type Attachment, unitInContext } from './units.ts';

/** A quoted run as the answer shows it: prose, the passage it cites, and the block its last sentence introduces. */
export interface QuotedRun {
  text: string;
  /** The heading path the run sits under (Markdown), shown before it. */
  heading?: string;
  passageId: string;
  attachment?: Attachment;
  /** The passage the attachment comes from, when not the run's own. */
  attachmentPassageId?: string;
}

/** About this much prose (lists and tables included) per answer: the best run always, others only if they fit. */
export const MAX_PROSE_CHARS = 600;
/** At most one code block per answer, cut to this many lines. */
export const MAX_CODE_LINES = 15;
/** The whole answer, code and citations included, stays within about a screenful: code is cut and later runs left out to fit. */
export const MAX_ANSWER_CHARS = 800;

/**
 * The answer text: each run's prose followed by its passage ids as [id], and the code block, list or table its
 * last sentence introduces on lines of their own, bounded (MAX_PROSE_CHARS of prose, one code block of at most
 * MAX_CODE_LINES lines, MAX_ANSWER_CHARS in all). Plain prose runs come out as before: "sentence [id] sentence [id]".
 */
export function formatAnswer(runs: readonly QuotedRun[]): { text: string; citations: string[] } {
  let text = '';
  const citations: string[] = [];
  let prose = 0;
  let hasCode = false;
  // Plain prose runs follow each other on a line; a run under a heading path, or after a block, starts a paragraph.
  let paragraphNext = false;
  for (const [n, run] of runs.entries()) {
    const block = run.attachment;
    const quote = clip(unitInContext(run), n === 0 ? MAX_PROSE_CHARS : Number.POSITIVE_INFINITY, block !== undefined);
    // A later run that does not fit, or would bring a second code block, is left out whole: its sentence may introduce that block.
    if (n > 0 && (prose + quote.length > MAX_PROSE_CHARS || (block?.kind === 'code' && hasCode))) continue;
    const ids = [run.passageId, ...(block && run.attachmentPassageId && run.attachmentPassageId !== run.passageId ? [run.attachmentPassageId] : [])];
    let piece = `${text === '' ? '' : paragraphNext || run.heading ? '\n\n' : ' '}${quote} ${ids.map((id) => `[${id}]`).join(' ')}`;
    const room = MAX_ANSWER_CHARS - text.length - piece.length - 2;
    const items = block && block.kind !== 'code' ? clipItems(block.markdown, Math.min(Math.max(0, MAX_PROSE_CHARS - prose - quote.length), room)) : '';
    if (block) piece += `\n\n${block.kind === 'code' ? clipCode(block.markdown, room) : items}`;
    if (n > 0 && text.length + piece.length > MAX_ANSWER_CHARS) continue;
    text += piece;
    prose += quote.length + items.length;
    paragraphNext = block !== undefined || run.heading !== undefined;
    hasCode ||= block?.kind === 'code';
    for (const id of ids) if (!citations.includes(id)) citations.push(id);
  }
  return { text, citations };
}

/** Prose cut at a word boundary to at most `max` characters, marked with "…"; ending in ":" only before its block. */
function clip(text: string, max: number, introduces = false): string {
  const cut = text.length <= max ? text : `${text.slice(0, text.lastIndexOf(' ', max - 2)).replace(/[\s,;:]+$/, '')} …`;
  return introduces ? cut : cut.replace(/:$/, ' …');
}

/** A fenced block cut to MAX_CODE_LINES lines of code and `max` characters (one line at least), with a "…" line where lines were left out. */
function clipCode(markdown: string, max: number): string {
  const lines = markdown.split('\n');
  const [open = '', close = ''] = [lines[0], lines.at(-1)];
  const body = lines.slice(1, -1);
  const kept: string[] = [];
  // The fences, their line breaks and a "…" line.
  let length = open.length + close.length + 4;
  for (const line of body.slice(0, MAX_CODE_LINES)) {
    if (kept.length > 0 && length + line.length + 1 > max) break;
    kept.push(line);
    length += line.length + 1;
  }
  return kept.length === body.length ? markdown : [open, ...kept, '…', close].join('\n');
}

/** List lines (`- item`) kept while they fit in `max` characters (at least one), then "- …". */
function clipItems(markdown: string, max: number): string {
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    if (kept.length > 0 && length + line.length > max) break;
    kept.push(kept.length === 0 ? clip(line, Math.max(max, 200), true) : line);
    length += line.length + 1;
  }
  if (kept.length < lines.length) kept.push('- …');
  return kept.join('\n');
}
