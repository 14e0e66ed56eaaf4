import type { Passage } from '../../../starter/corpus.ts';

/** A file of an imported dataset, path relative to datasets/<name>/. */
export interface DatasetFile {
  path: string;
  content: string;
}

export const IMPORTED_KINDS = ['folder', 'jsonl', 'beir'] as const;
export type ImportedKind = (typeof IMPORTED_KINDS)[number];

/** A dataset the user brings, converted in memory; the plan writes its files under datasets/<name>/. */
export interface ImportedDataset {
  kind: ImportedKind;
  /** Folder name under datasets/. */
  name: string;
  /** The source as the user named it (its base name: never a full local path in generated files). */
  source: string;
  files: DatasetFile[];
  passages: number;
  documents: number;
  /** Questions in the imported eval set; 0 when the dataset brings none. */
  questions: number;
  /** Things the user should know about the import (skipped records and the like). */
  notes: string[];
}

export type DatasetChoice = { kind: 'bundled'; name: string } | ImportedDataset;

/** One passage per line, fields in the documented order. */
export function corpusJsonl(passages: readonly Passage[]): string {
  return passages
    .map((p) => JSON.stringify({ id: p.id, docId: p.docId, title: p.title, text: p.text, start: p.start, end: p.end, meta: p.meta }))
    .join('\n')
    .concat('\n');
}

/** A folder or file name as a dataset folder name: lowercase letters, digits and dashes. */
export function slugify(raw: string, fallback: string): string {
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.length > 0 ? slug : fallback;
}

export { count } from '../../../starter/plural.ts';
