import type { Passage } from '../../../starter/corpus.ts';
import { UserError } from '../../../starter/errors.ts';
import { markdownTitle, splitIntoPassages, splitMarkdownIntoPassages, type TitledSpan } from '../../../starter/passages.ts';
import { slugify } from './types.ts';

export interface TextFile {
  /** Path relative to the source folder, with forward slashes. */
  path: string;
  text: string;
}

/** Same passage sizes as the bundled dataset (scripts/build-sotu.ts), so its DATASHEET's reasoning carries over. */
export const FOLDER_PASSAGE_WORDS = { minWords: 100, maxWords: 200 } as const;

const isMarkdown = (file: TextFile) => /\.md$/i.test(file.path);

/** The first ATX heading of a Markdown file (outside code), else the file name. */
export function documentTitle(file: TextFile): string {
  const name = file.path.split('/').at(-1) ?? file.path;
  return (isMarkdown(file) && markdownTitle(file.text)) || name;
}

/** A file's passage spans: Markdown by heading sections (titled with the heading path), text by sentences. */
function filePassages(file: TextFile): TitledSpan[] {
  if (isMarkdown(file)) return splitMarkdownIntoPassages(file.text, FOLDER_PASSAGE_WORDS, documentTitle(file));
  const title = documentTitle(file);
  return splitIntoPassages(file.text, FOLDER_PASSAGE_WORDS).map((span) => ({ ...span, title }));
}

/**
 * A folder of .md/.txt files → corpus passages: ids `<file-slug>-<nnn>`, docId the file slug, offsets into the
 * file's text. Markdown is split by heading sections with code blocks kept whole (starter/passages.ts), plain
 * text by whole sentences. Files are taken in path order, so the same folder always gives the same corpus.
 */
export function importTextFolder(files: readonly TextFile[], source: string): { passages: Passage[]; documents: number } {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const used = new Map<string, number>();
  const passages: Passage[] = [];
  let documents = 0;
  for (const file of sorted) {
    const spans = filePassages(file);
    if (spans.length === 0) continue;
    const base = slugify(file.path.replace(/\.(md|txt)$/i, ''), 'doc');
    // notes.md and notes.txt would share a slug: the later one in path order gets a numeric suffix.
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const docId = seen === 0 ? base : `${base}-${seen + 1}`;
    documents++;
    spans.forEach((span, i) => {
      passages.push({
        id: `${docId}-${String(i).padStart(3, '0')}`,
        docId,
        title: span.title,
        text: file.text.slice(span.start, span.end),
        start: span.start,
        end: span.end,
        meta: { file: file.path },
      });
    });
  }
  if (passages.length === 0) {
    throw new UserError(`${source}: no text found in its .md/.txt files (the corpus would be empty). Add files with some prose, or pass another --dataset.`);
  }
  return { passages, documents };
}
