import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, writeJsonAtomic } from '../fs-atomic.ts';
import { sha256 } from '../hash.ts';

/**
 * Embeddings shipped with a dataset (`<dataset>/embeddings/<model>.json` + `.f32`), so the first ingest of the
 * bundled corpus reads vectors instead of computing them. Content-addressed: row i of the float32 file is the
 * vector of the text whose sha256 is keys[i], under model `model`. Read-only at run time; written by
 * scripts/build-embeddings.ts.
 *
 * Two parts per model: `texts` (passages as ingest embeds them, sentences the answerer may quote) and
 * `questions` (`<model>-questions.*`: each eval question, and the parts the planner splits it into, embedded
 * alone as embedQuery does, so an eval or a grid reads them). Questions change more often than the corpus:
 * a small file of their own keeps an edit from rewriting the passages' one.
 */
const indexSchema = z
  .object({
    version: z.literal(1),
    model: z.string().min(1),
    dims: z.number().int().positive(),
    /** sha256 of the .f32 file: a truncated or swapped file is ignored, never trusted. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    keys: z.array(z.string().regex(/^[0-9a-f]{64}$/)),
  })
  .strict();

export interface ShippedEmbeddings {
  model: string;
  /** sha256(text) → vector (a view into the file's bytes). */
  vectors: ReadonlyMap<string, Float32Array>;
}

/** Undefined when the dataset ships none for the model. */
export type ShippedLoad = { ok: true; shipped: ShippedEmbeddings } | { ok: false; reason: string } | undefined;

/** Off for a true cold ingest (the bench): RAGFOLIO_SHIPPED_EMBEDDINGS=0. */
export function shippedEmbeddingsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.RAGFOLIO_SHIPPED_EMBEDDINGS !== '0';
}

const slug = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, '_');

export type ShippedPart = 'texts' | 'questions';

export function shippedEmbeddingFiles(datasetDir: string, model: string, part: ShippedPart = 'texts'): { index: string; vectors: string } {
  const base = join(datasetDir, 'embeddings', `${slug(model)}${part === 'questions' ? '-questions' : ''}`);
  return { index: `${base}.json`, vectors: `${base}.f32` };
}

/**
 * Load and verify a dataset's shipped vectors for `model`. Anything that does not check out (missing, another
 * model, wrong size or checksum, a non-finite value) gives a reason instead: the caller embeds as if none shipped.
 */
export async function loadShippedEmbeddings(datasetDir: string, model: string, part: ShippedPart = 'texts'): Promise<ShippedLoad> {
  const files = shippedEmbeddingFiles(datasetDir, model, part);
  const [indexText, bytes] = await Promise.all([readFile(files.index, 'utf8').catch(() => undefined), readFile(files.vectors).catch(() => undefined)]);
  if (indexText === undefined && bytes === undefined) return undefined;
  if (indexText === undefined || bytes === undefined) return { ok: false, reason: `${indexText === undefined ? files.index : files.vectors} is missing` };
  const parsed = indexSchema.safeParse(parseJsonOrNull(indexText));
  if (!parsed.success) return { ok: false, reason: `${files.index}: not a shipped-embeddings index` };
  const { model: shippedModel, dims, keys } = parsed.data;
  if (shippedModel !== model) return { ok: false, reason: `${files.index}: made with ${shippedModel}, not ${model}` };
  if (bytes.byteLength !== keys.length * dims * 4) return { ok: false, reason: `${files.vectors}: ${bytes.byteLength} bytes, expected ${keys.length} × ${dims} float32` };
  if (sha256(bytes) !== parsed.data.sha256) return { ok: false, reason: `${files.vectors}: checksum differs from ${files.index}` };
  // Float32Array views need a 4-byte-aligned offset: a large file's buffer has one, a pooled small one may not.
  const all =
    bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4) : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  if (!allFinite(all)) return { ok: false, reason: `${files.vectors}: holds a non-finite value` };
  const vectors = new Map<string, Float32Array>();
  for (const [i, key] of keys.entries()) vectors.set(key, all.subarray(i * dims, (i + 1) * dims));
  return { ok: true, shipped: { model, vectors } };
}

/** Write a dataset's shipped vectors: the .f32 file first, then the index naming its checksum (each atomically). */
export async function writeShippedEmbeddings(
  datasetDir: string,
  model: string,
  entries: ReadonlyArray<readonly [key: string, vector: readonly number[]]>,
  part: ShippedPart = 'texts',
): Promise<{ index: string; vectors: string; bytes: number }> {
  const dims = entries[0]?.[1].length ?? 0;
  if (dims === 0) throw new Error('no vectors to ship');
  const all = new Float32Array(entries.length * dims);
  entries.forEach(([key, vector], i) => {
    if (vector.length !== dims) throw new Error(`vector ${key} has ${vector.length} dimensions, expected ${dims}`);
    all.set(vector, i * dims);
  });
  // Float32Array is little-endian on every platform Node supports; the index records the bytes' checksum.
  const bytes = new Uint8Array(all.buffer);
  const files = shippedEmbeddingFiles(datasetDir, model, part);
  await writeFileAtomic(files.vectors, bytes);
  await writeJsonAtomic(files.index, { version: 1, model, dims, sha256: sha256(bytes), keys: entries.map(([key]) => key) });
  return { ...files, bytes: bytes.byteLength };
}

/**
 * Whether no value is NaN or infinite, by three scans in V8's own code (`includes` finds NaN too): a JavaScript loop
 * over the file's 6 million values ran unoptimized for most of `ask`'s start, because V8's optimizing compiler
 * shares two cores with the main thread and the embedding worker (0.15 s and more, most of it boxing numbers).
 */
function allFinite(values: Float32Array): boolean {
  return !(values.includes(Number.NaN) || values.includes(Number.POSITIVE_INFINITY) || values.includes(Number.NEGATIVE_INFINITY));
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
