import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { z } from 'zod';
import { writeJsonAtomic } from '../fs-atomic.ts';
import { sha256 } from '../hash.ts';

const cacheFileSchema = z.object({
  version: z.literal(1),
  model: z.string(),
  /** sha256(text) → little-endian float32 vector, base64. */
  vectors: z.record(z.string(), z.string()),
});

export interface CacheStats {
  hits: number;
  misses: number;
}

/**
 * Embedding cache keyed by (model, sha256(text)): one file per model, so a re-ingest or a
 * chunking sweep embeds only text it has not seen. A damaged cache file is ignored, not fatal.
 */
export class EmbeddingCache {
  private constructor(
    readonly file: string,
    readonly model: string,
    private readonly vectors: Map<string, string>,
  ) {}

  static async open(file: string, model: string): Promise<EmbeddingCache> {
    if (existsSync(file)) {
      const parsed = cacheFileSchema.safeParse(parseJsonOrNull(await readFile(file, 'utf8').catch(() => 'null')));
      if (parsed.success && parsed.data.model === model) return new EmbeddingCache(file, model, new Map(Object.entries(parsed.data.vectors)));
    }
    return new EmbeddingCache(file, model, new Map());
  }

  get size(): number {
    return this.vectors.size;
  }

  has(text: string): boolean {
    return this.vectors.has(sha256(text));
  }

  get(text: string): number[] | undefined {
    const encoded = this.vectors.get(sha256(text));
    return encoded === undefined ? undefined : decodeVector(encoded);
  }

  set(text: string, vector: number[]): void {
    this.vectors.set(sha256(text), encodeVector(vector));
  }

  save(): Promise<void> {
    return writeJsonAtomic(this.file, { version: 1, model: this.model, vectors: Object.fromEntries(this.vectors) });
  }

  /** Embed texts, computing only the cache misses (deduplicated), and fill the cache with them. */
  async embedAll(texts: readonly string[], embeddings: EmbeddingsInterface): Promise<{ vectors: number[][]; stats: CacheStats }> {
    const missingSet = new Set(texts.filter((t) => !this.has(t)));
    const missing = [...missingSet];
    const computed = missing.length > 0 ? await embeddings.embedDocuments(missing) : [];
    missing.forEach((text, i) => {
      const vector = computed[i];
      if (!vector || vector.length === 0) throw new Error(`the embedding model returned no vector for text ${i}`);
      this.set(text, vector);
    });
    const vectors = texts.map((t) => this.get(t) ?? []);
    return { vectors, stats: { hits: texts.filter((t) => !missingSet.has(t)).length, misses: missing.length } };
  }
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
