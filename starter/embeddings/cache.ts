import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';
import { writeJsonAtomic } from '../fs-atomic.ts';
import { sha256 } from '../hash.ts';
import type { ShippedEmbeddings } from './shipped.ts';

const cacheFileSchema = z.object({
  version: z.literal(1),
  model: z.string(),
  /** sha256(text) → little-endian float32 vector, base64. */
  vectors: z.record(z.string(), z.string()),
});

export interface CacheStats {
  /** Texts found in the cache or in the shipped vectors. */
  hits: number;
  /** Of the hits, those served by the dataset's shipped vectors. */
  shipped: number;
  misses: number;
}

/** Texts embedded per model call: the most a kill can lose between two saves, besides the call in flight. */
export const EMBED_SLICE = 64;
/**
 * A save rewrites the whole file, so saves are spaced by at least this many times the last save's duration:
 * saving costs at most about 1/SAVE_SPACING of the embedding time, however large the cache grows.
 */
export const SAVE_SPACING = 20;

export interface CacheOptions {
  /** The dataset's shipped vectors: consulted after the cache, never written. */
  seed?: ShippedEmbeddings;
  /** Milliseconds, for the save spacing; tests pass a fake clock. */
  clock?: () => number;
}

/**
 * Embedding cache keyed by (model, sha256(text)): one file per model, so a re-ingest or a
 * chunking sweep embeds only text it has not seen. A damaged cache file is ignored, not fatal.
 */
export class EmbeddingCache {
  private unsaved = 0;
  private lastSave = { endedAt: Number.NEGATIVE_INFINITY, ms: 0 };

  private constructor(
    readonly file: string,
    readonly model: string,
    private readonly vectors: Map<string, string>,
    private readonly seed: ReadonlyMap<string, Float32Array>,
    private readonly clock: () => number,
  ) {}

  static async open(file: string, model: string, options: CacheOptions = {}): Promise<EmbeddingCache> {
    const seed = options.seed?.model === model ? options.seed.vectors : new Map<string, Float32Array>();
    const clock = options.clock ?? (() => performance.now());
    if (existsSync(file)) {
      const parsed = cacheFileSchema.safeParse(parseJsonOrNull(await readFile(file, 'utf8').catch(() => 'null')));
      if (parsed.success && parsed.data.model === model) return new EmbeddingCache(file, model, new Map(Object.entries(parsed.data.vectors)), seed, clock);
    }
    return new EmbeddingCache(file, model, new Map(), seed, clock);
  }

  /** Vectors in the cache file (shipped vectors not counted). */
  get size(): number {
    return this.vectors.size;
  }

  has(text: string): boolean {
    return this.hasKey(sha256(text));
  }

  private hasKey(key: string): boolean {
    return this.vectors.has(key) || this.seed.has(key);
  }

  get(text: string): number[] | undefined {
    const vector = this.byKey(sha256(text));
    return vector && owned(vector);
  }

  /** The vector under a text's sha256: decoded from the cache, or the shipped one itself; undefined when neither has it. */
  private byKey(key: string): ArrayLike<number> | undefined {
    const encoded = this.vectors.get(key);
    return encoded === undefined ? this.seed.get(key) : decodeVector(encoded);
  }

  set(text: string, vector: number[]): void {
    this.vectors.set(sha256(text), encodeVector(vector));
    this.unsaved++;
  }

  async save(): Promise<void> {
    const started = this.clock();
    await writeJsonAtomic(this.file, { version: 1, model: this.model, vectors: Object.fromEntries(this.vectors) });
    const endedAt = this.clock();
    this.lastSave = { endedAt, ms: endedAt - started };
    this.unsaved = 0;
  }

  /** Save if there is something new and the last save is far enough behind (see SAVE_SPACING). */
  async saveIfDue(): Promise<boolean> {
    if (this.unsaved === 0 || this.clock() - this.lastSave.endedAt < SAVE_SPACING * this.lastSave.ms) return false;
    await this.save();
    return true;
  }

  /**
   * Embed texts, computing only the cache misses (deduplicated) in slices of EMBED_SLICE, and fill the cache
   * with them, saving between slices when due: a kill mid-way keeps what was embedded before the last save.
   * Call save() when done. `onSlice` gets the number of texts embedded so far.
   */
  async embedAll(texts: readonly string[], embeddings: EmbeddingsInterface, onSlice?: (embedded: number) => void): Promise<{ vectors: number[][]; stats: CacheStats }> {
    const { vectors, stats } = await this.read(texts, embeddings, onSlice);
    return { vectors: vectors.map(owned), stats };
  }

  /**
   * embedAll, with the shipped vectors as they are, not copied into arrays: what a reader that only reads them
   * needs (a similarity call reads every unit of the retrieved chunks once).
   */
  async read(texts: readonly string[], embeddings: EmbeddingsInterface, onSlice?: (embedded: number) => void): Promise<{ vectors: ArrayLike<number>[]; stats: CacheStats }> {
    // Each text hashed once: a similarity call passes every unit of the retrieved chunks, most of them cached.
    const keys = texts.map((t) => sha256(t));
    const missing = [...new Set(texts.filter((_, i) => !this.hasKey(keys[i] as string)))];
    const missingSet = new Set(missing);
    const shipped = texts.filter((t, i) => !missingSet.has(t) && !this.vectors.has(keys[i] as string)).length;
    for (let offset = 0; offset < missing.length; offset += EMBED_SLICE) {
      const slice = missing.slice(offset, offset + EMBED_SLICE);
      const computed = await embeddings.embedDocuments(slice);
      slice.forEach((text, i) => {
        const vector = computed[i];
        if (!vector || vector.length === 0) throw new Error(`the embedding model returned no vector for text ${offset + i}`);
        this.set(text, vector);
      });
      onSlice?.(offset + slice.length);
      if (offset + EMBED_SLICE < missing.length) await this.saveIfDue();
    }
    const vectors = keys.map((key) => this.byKey(key) ?? []);
    return { vectors, stats: { hits: texts.filter((t) => !missingSet.has(t)).length, shipped, misses: missing.length } };
  }
}

/** A vector as an array of its own: decoded ones already are; a shipped one is copied. */
function owned(vector: ArrayLike<number>): number[] {
  return Array.isArray(vector) ? vector : Array.from(vector);
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function encodeVector(vector: readonly number[]): string {
  return Buffer.from(Float32Array.from(vector).buffer).toString('base64');
}

export function decodeVector(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  // Copy out: a pooled Buffer's offset need not be 4-byte aligned, which Float32Array requires.
  return Array.from(new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
}
