import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Chunk, chunkSchema } from '../chunk.ts';
import { UserError } from '../errors.ts';
import { sha256 } from '../hash.ts';
import { describeZodError } from '../jsonl.ts';
import { type Hnsw, readHnsw, readHnswShape } from './hnsw.ts';

export const INDEX_VERSION = 2;
const VECTORS_FILE = 'vectors.hnsw';
const CHUNKS_FILE = 'chunks.json';
const MANIFEST_FILE = 'manifest.json';

export const manifestSchema = z.object({
  version: z.literal(INDEX_VERSION),
  embeddingModel: z.string(),
  dims: z.number().int().positive(),
  corpusHash: z.string(),
  chunkConfigHash: z.string(),
  chunkCount: z.number().int().nonnegative(),
  createdAt: z.string(),
  /** sha256 of each data file, so a truncated or edited file is caught before hnswlib reads it. */
  files: z.record(z.string(), z.string()),
});
export type IndexManifest = z.infer<typeof manifestSchema>;

export { chunkSchema };

const chunksSchema = z.array(chunkSchema);

export interface LoadedIndex {
  manifest: IndexManifest;
  hnsw: Hnsw;
  chunks: Chunk[];
}

export type IndexIdentity = Pick<IndexManifest, 'embeddingModel' | 'corpusHash' | 'chunkConfigHash'>;

export const REBUILD = 'Run `ragfolio ingest` to rebuild it.';

/** Write the index into a temp folder, then swap it in, so a crash never leaves a half-written index. */
export async function saveIndex(dir: string, hnsw: Hnsw, chunks: Chunk[], identity: IndexIdentity & { dims: number }): Promise<IndexManifest> {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await hnsw.writeIndex(join(tmp, VECTORS_FILE));
    const chunksJson = JSON.stringify(chunks);
    await writeFile(join(tmp, CHUNKS_FILE), chunksJson);
    const manifest: IndexManifest = {
      version: INDEX_VERSION,
      ...identity,
      chunkCount: chunks.length,
      createdAt: new Date().toISOString(),
      files: { [VECTORS_FILE]: sha256(await readFile(join(tmp, VECTORS_FILE))), [CHUNKS_FILE]: sha256(chunksJson) },
    };
    await writeFile(join(tmp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    if (existsSync(dir)) await rename(dir, old);
    await rename(tmp, dir);
    await rm(old, { recursive: true, force: true });
    return manifest;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

export async function readManifest(dir: string): Promise<IndexManifest | undefined> {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new UserError(`${file}: the index manifest is not valid JSON. ${REBUILD}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${file}: ${describeZodError(parsed.error)} (index from another ragfolio version?). ${REBUILD}`);
  return parsed.data;
}

/** Which identity fields differ: an index built from another corpus, chunking or model is stale. */
export function staleFields(manifest: IndexIdentity, expected: IndexIdentity): string[] {
  return (['embeddingModel', 'corpusHash', 'chunkConfigHash'] as const).filter((k) => manifest[k] !== expected[k]);
}

export async function loadIndex(dir: string, expected: IndexIdentity): Promise<LoadedIndex> {
  const manifest = await readManifest(dir);
  if (!manifest) throw new UserError(`${dir}: no index yet. Run \`ragfolio ingest\` first.`);
  const stale = staleFields(manifest, expected);
  if (stale.length > 0) throw new UserError(`${dir}: the index is stale (${stale.join(', ')} changed since it was built). ${REBUILD}`);
  const contents = new Map<string, Buffer>();
  for (const [name, hash] of Object.entries(manifest.files)) {
    const file = join(dir, name);
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) throw new UserError(`${file}: index file missing. ${REBUILD}`);
    if (sha256(bytes) !== hash) throw new UserError(`${file}: index file is corrupted (checksum mismatch). ${REBUILD}`);
    contents.set(name, bytes);
  }
  const chunks = chunksSchema.safeParse(JSON.parse(contents.get(CHUNKS_FILE)?.toString('utf8') ?? 'null'));
  if (!chunks.success) throw new UserError(`${join(dir, CHUNKS_FILE)}: not a chunk list. ${REBUILD}`);
  const shape = readHnswShape(contents.get(VECTORS_FILE) ?? new Uint8Array());
  const disagreements = [
    ...(shape?.dims === manifest.dims ? [] : [`dims ${manifest.dims} but ${VECTORS_FILE} holds ${shape?.dims ?? 'unreadable'}-d vectors`]),
    ...(shape?.count === manifest.chunkCount ? [] : [`chunkCount ${manifest.chunkCount} but ${VECTORS_FILE} holds ${shape?.count ?? 'no'} vectors`]),
    ...(chunks.data.length === manifest.chunkCount ? [] : [`chunkCount ${manifest.chunkCount} but ${CHUNKS_FILE} holds ${chunks.data.length} chunks`]),
  ];
  // A manifest edited or written by a buggy tool is as stale as a changed corpus: ingest rebuilds it.
  if (disagreements.length > 0) throw new UserError(`${join(dir, MANIFEST_FILE)}: the manifest disagrees with the index files (${disagreements.join('; ')}). ${REBUILD}`);
  const hnsw = await readHnsw(join(dir, VECTORS_FILE), manifest.dims);
  return { manifest, hnsw, chunks: chunks.data };
}
