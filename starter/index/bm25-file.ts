import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../fs-atomic.ts';
import { stableHash } from '../hash.ts';
import { STOPWORDS, TOKENIZER_REVISION, tokenize } from '../tokenize.ts';
import { Bm25Index, type Bm25Params, type Bm25Postings } from './bm25.ts';

/**
 * BM25 postings saved beside the index at ingest, so a new process (`ragfolio ask`) loads them instead of
 * tokenizing and stemming every chunk again (most of its start-up before). A file is trusted only for the very
 * documents and tokenizer it was made from; any other file (stale, damaged, another version) is rebuilt.
 */
export const BM25_FILE_VERSION = 1;

/** Words that exercise each tokenizer rule (apostrophes, numbers, stop words, Porter2 suffixes). */
const PROBE = "Nation's policies: jobs, taxes, hired, invading troops, studies, generously, 1993's U.S.-led economies don't";

/** Names what `tokenize` does: its revision, its stop words and its tokens for a probe text (a new stemmer release changes those). */
export function tokenizerId(): string {
  return `${TOKENIZER_REVISION}-${stableHash([[...STOPWORDS].sort(), tokenize(PROBE)]).slice(0, 16)}`;
}

/** Little-endian uint32 arrays as base64: a quarter of the bytes of a JSON number list, and no parse of each number. */
const uint32s = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const fileSchema = z
  .object({
    version: z.literal(BM25_FILE_VERSION),
    /** tokenizerId() when the file was written. */
    tokenizer: z.string(),
    /** Hash of the documents, in index order: the chunks' search texts. */
    documents: z.string(),
    terms: z.array(z.string()),
    df: uint32s,
    docs: uint32s,
    tfs: uint32s,
    docLengths: uint32s,
  })
  .strict();
type Bm25File = z.infer<typeof fileSchema>;

export type Bm25Source = 'file' | 'built';

/**
 * BM25 over `documents`: from `file` when it was made from exactly these documents by this tokenizer, else built
 * by tokenizing them and saved to `file` (atomically; a failed save costs only the next start's time).
 */
export async function openBm25(file: string, documents: readonly string[], params?: Bm25Params): Promise<{ index: Bm25Index; source: Bm25Source }> {
  const key = { tokenizer: tokenizerId(), documents: documentsHash(documents) };
  const saved = await readFile(file, 'utf8').then(
    (text) => postingsFrom(text, key, documents.length),
    () => undefined,
  );
  if (saved) return { index: new Bm25Index(saved, params), source: 'file' };
  const index = new Bm25Index(documents, params);
  await writeFileAtomic(file, JSON.stringify(toFile(index.toPostings(), key))).catch(() => undefined);
  return { index, source: 'built' };
}

/** sha256 over each document's length and text: no 1.5 MB JSON string to build first, unlike stableHash. */
function documentsHash(documents: readonly string[]): string {
  const hash = createHash('sha256');
  for (const doc of documents) hash.update(`${doc.length}:`).update(doc);
  return hash.digest('hex');
}

function toFile(postings: Bm25Postings, key: Pick<Bm25File, 'tokenizer' | 'documents'>): Bm25File {
  const b64 = (a: Uint32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return { version: BM25_FILE_VERSION, ...key, terms: [...postings.terms], df: b64(postings.df), docs: b64(postings.docs), tfs: b64(postings.tfs), docLengths: b64(postings.docLengths) };
}

/** The saved postings when the file parses, matches `key` and is consistent with `count` documents; else undefined. */
function postingsFrom(text: string, key: Pick<Bm25File, 'tokenizer' | 'documents'>, count: number): Bm25Postings | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success || parsed.data.tokenizer !== key.tokenizer || parsed.data.documents !== key.documents) return undefined;
  const { terms } = parsed.data;
  const [df, docs, tfs, docLengths] = [parsed.data.df, parsed.data.docs, parsed.data.tfs, parsed.data.docLengths].map(decodeUint32s);
  if (!df || !docs || !tfs || !docLengths) return undefined;
  const postings = { terms, df, docs, tfs, docLengths };
  return consistent(postings, count) ? postings : undefined;
}

function decodeUint32s(base64: string): Uint32Array | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength % 4 !== 0) return undefined;
  // Copy out: a Buffer's offset need not be 4-byte aligned, which Uint32Array requires.
  return new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** Every list adds up, every posting names one of the `count` documents in ascending order with a count of at least one. */
function consistent({ terms, df, docs, tfs, docLengths }: Bm25Postings, count: number): boolean {
  if (docLengths.length !== count || df.length !== terms.length || new Set(terms).size !== terms.length || docs.length !== tfs.length) return false;
  let at = 0;
  for (const n of df) {
    if (n === 0) return false;
    for (let i = at; i < at + n; i++) {
      const doc = docs[i];
      if (doc === undefined || doc >= count || (i > at && doc <= (docs[i - 1] ?? 0)) || !(tfs[i] ?? 0)) return false;
    }
    at += n;
  }
  return at === docs.length;
}
