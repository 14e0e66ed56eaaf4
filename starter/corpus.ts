import { z } from 'zod';
import { UserError } from './errors.ts';
import { sha256 } from './hash.ts';
import { parseJsonl, readTextOrFail } from './jsonl.ts';

export const CORPUS_VERSION = 1;

/** One passage of a source document, with its character span in that document. */
export const passageSchema = z.object({
  version: z.literal(CORPUS_VERSION).optional(),
  id: z.string().min(1),
  docId: z.string().min(1),
  title: z.string(),
  text: z.string().min(1, 'empty passage text'),
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  meta: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});
export type Passage = z.infer<typeof passageSchema>;

export interface Corpus {
  passages: Passage[];
  byId: Map<string, Passage>;
  /** sha256 of the file's bytes: an index built from another corpus is stale. */
  hash: string;
}

export async function loadCorpus(path: string): Promise<Corpus> {
  const text = await readTextOrFail(path, 'corpus file', 'Set "dataset" in ragfolio.config.json to a folder holding corpus.jsonl, or run `npm run build:dataset`.');
  return parseCorpus(text, path);
}

export function parseCorpus(text: string, file: string): Corpus {
  const fix = 'Each line must be {id, docId, title, text, start, end, meta}.';
  const rows = parseJsonl(text, passageSchema, file, fix);
  if (rows.length === 0) throw new UserError(`${file}: the corpus has no passages. Add at least one passage.`);
  const byId = new Map<string, Passage>();
  for (const { line, value } of rows) {
    if (value.end <= value.start) throw new UserError(`${file}:${line}: end must be greater than start. ${fix}`);
    if (byId.has(value.id)) throw new UserError(`${file}:${line}: duplicate passage id "${value.id}". Give every passage a unique id.`);
    byId.set(value.id, value);
  }
  return { passages: rows.map((r) => r.value), byId, hash: sha256(text) };
}
