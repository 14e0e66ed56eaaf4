import type { VectorHit } from '../index/hnsw.ts';
import type { OpenedIndex } from '../index/vector-store.ts';

/**
 * Exact cosine search by scanning every vector: the page's stand-in for hnswlib behind the same `search`
 * seam the retriever uses. One query costs n × dims multiply-adds (1,764 × 512 ≈ 0.9 M, about a millisecond).
 */
export class BruteForceIndex implements Pick<OpenedIndex, 'search'> {
  readonly count: number;
  private readonly norms: Float64Array;

  constructor(
    private readonly vectors: Float32Array,
    readonly dims: number,
  ) {
    if (dims <= 0 || vectors.length % dims !== 0) throw new Error(`${vectors.length} values do not make ${dims}-d vectors`);
    this.count = vectors.length / dims;
    this.norms = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) this.norms[i] = Math.sqrt(dot(vectors, i * dims, vectors, i * dims, dims));
  }

  async search(query: readonly number[], k: number): Promise<VectorHit[]> {
    if (query.length !== this.dims) throw new Error(`query has ${query.length} dimensions, the index ${this.dims}`);
    const q = Float64Array.from(query);
    const qNorm = Math.sqrt(dot(q, 0, q, 0, this.dims));
    const top = new TopK(Math.min(Math.max(0, k), this.count));
    for (let i = 0; i < this.count; i++) {
      const norm = (this.norms[i] ?? 0) * qNorm;
      top.offer(i, norm > 0 ? dot(this.vectors, i * this.dims, q, 0, this.dims) / norm : 0);
    }
    return top.sorted();
  }
}

/** Best-first order: higher score, then lower index (as a full sort would give). */
const before = (a: VectorHit, b: VectorHit) => a.score > b.score || (a.score === b.score && a.index < b.index);

/** The k best hits seen so far in a binary min-heap (worst on top), so a scan costs n log k, not a sort of n. */
class TopK {
  private readonly heap: VectorHit[] = [];

  constructor(private readonly k: number) {}

  offer(index: number, score: number): void {
    const hit = { index, score };
    const { heap } = this;
    if (heap.length < this.k) {
      heap.push(hit);
      this.up(heap.length - 1);
    } else if (heap[0] && before(hit, heap[0])) {
      heap[0] = hit;
      this.down(0);
    }
  }

  sorted(): VectorHit[] {
    return [...this.heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  private up(i: number): void {
    for (let child = i; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (!this.swapIfWorse(child, parent)) return;
      child = parent;
    }
  }

  private down(i: number): void {
    for (let parent = i; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let worst = parent;
      if (left < this.heap.length && this.worse(left, worst)) worst = left;
      if (right < this.heap.length && this.worse(right, worst)) worst = right;
      if (worst === parent) return;
      this.swapIfWorse(worst, parent);
      parent = worst;
    }
  }

  /** Is heap[a] a worse hit than heap[b]? */
  private worse(a: number, b: number): boolean {
    const x = this.heap[a];
    const y = this.heap[b];
    return x !== undefined && y !== undefined && before(y, x);
  }

  /** Swap a child above its parent when the child is worse (min-heap on hit quality). */
  private swapIfWorse(child: number, parent: number): boolean {
    const c = this.heap[child];
    const p = this.heap[parent];
    if (c === undefined || p === undefined || !before(p, c)) return false;
    this.heap[child] = p;
    this.heap[parent] = c;
    return true;
  }
}

function dot(a: ArrayLike<number>, aFrom: number, b: ArrayLike<number>, bFrom: number, n: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += (a[aFrom + j] ?? 0) * (b[bFrom + j] ?? 0);
  return sum;
}
