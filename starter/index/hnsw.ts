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

export function searchHnsw(index: Hnsw, query: readonly number[], k: number): VectorHit[] {
  const n = Math.min(k, index.getCurrentCount());
  if (n === 0) return [];
  // ef bounds the candidate list at query time; it must be at least k, and more buys recall.
  index.setEf(Math.max(64, n));
  const { neighbors, distances } = index.searchKnn([...query], n);
  return neighbors.map((label, i) => ({ index: label, score: 1 - (distances[i] ?? 1) }));
}
