import type { Chunk } from '../chunk.ts';
import { stableHash } from '../hash.ts';

/** Identifies a chunk's content and span: equal hashes mean a stored row need not be rewritten. */
export function chunkHash(chunk: Chunk): string {
  return stableHash(chunk);
}
