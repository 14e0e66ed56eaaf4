import hnswlib from 'hnswlib-node';

// hnswlib-node is CommonJS: take the class off the default export.
const { HierarchicalNSW } = hnswlib;
export type Hnsw = InstanceType<typeof HierarchicalNSW>;

export interface VectorHit {
  /** Position of the vector in the list the index was built from. */
  index: number;
  /** Cosine similarity, higher is closer. */
  score: number;
}

// M=16 and efConstruction=200 are hnswlib's recommended defaults; a fixed seed makes the graph reproducible.
const M = 16;
const EF_CONSTRUCTION = 200;
const SEED = 100;

export function buildHnsw(vectors: readonly number[][], dims: number): Hnsw {
  const index = new HierarchicalNSW('cosine', dims);
  index.initIndex(Math.max(1, vectors.length), M, EF_CONSTRUCTION, SEED);
  for (const [i, v] of vectors.entries()) index.addPoint(v, i);
  return index;
}

export async function readHnsw(file: string, dims: number): Promise<Hnsw> {
  const index = new HierarchicalNSW('cosine', dims);
  await index.readIndex(file);
  return index;
}

/**
 * Dimensions and vector count read from a saved index's header (hnswlib's saveIndex layout: six size_t
 * fields, of which cur_element_count is the third; label_offset - offsetData is the vector's byte size).
 * https://github.com/nmslib/hnswlib/blob/master/hnswlib/hnswalg.h (saveIndex)
 */
export function readHnswShape(bytes: Uint8Array): { dims: number; count: number } | undefined {
  if (bytes.byteLength < 48) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const field = (i: number) => Number(view.getBigUint64(i * 8, true));
  const vectorBytes = field(4) - field(5);
  return { count: field(2), dims: vectorBytes / Float32Array.BYTES_PER_ELEMENT };
}

/** `ef` bounds the candidate list at query time (at least k; more buys recall); the bench sweeps it. */
export function searchHnsw(index: Hnsw, query: readonly number[], k: number, ef = 64): VectorHit[] {
  const n = Math.min(k, index.getCurrentCount());
  if (n === 0) return [];
  index.setEf(Math.max(ef, n));
  const { neighbors, distances } = index.searchKnn([...query], n);
  return neighbors.map((label, i) => ({ index: label, score: 1 - (distances[i] ?? 1) }));
}
