import { describe, expect, it } from 'vitest';
import { cosine } from '../../../starter/answer/similarity.ts';
import { BruteForceIndex } from '../../../starter/browser/vector-store.ts';
import { decodeVectors, encodeVectors } from '../../../starter/browser/vectors.ts';

function randomVectors(count: number, dims: number, seed: number): Float32Array {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  };
  return Float32Array.from({ length: count * dims }, next);
}

/** Score every vector and sort all of them: what the heap in BruteForceIndex must reproduce. */
function fullSort(vectors: Float32Array, dims: number, query: readonly number[]) {
  const count = vectors.length / dims;
  return Array.from({ length: count }, (_, index) => ({ index, score: cosine(Array.from(vectors.subarray(index * dims, (index + 1) * dims)), query) })).sort(
    (a, b) => b.score - a.score || a.index - b.index,
  );
}

describe('BruteForceIndex', () => {
  const dims = 8;
  // Rows 40–59 repeat rows 0–19, so equal scores occur and must fall back to index order.
  const base = randomVectors(40, dims, 7);
  const vectors = new Float32Array(60 * dims);
  vectors.set(base);
  vectors.set(base.subarray(0, 20 * dims), 40 * dims);
  const index = new BruteForceIndex(vectors, dims);

  it.each([0, 1, 5, 60, 75])('returns the top %i by cosine, ties by position, as a full sort does', async (k) => {
    const query = Array.from(randomVectors(1, dims, 11 + k));
    const expected = fullSort(vectors, dims, query).slice(0, k);
    const hits = await index.search(query, k);
    expect(hits.map((h) => h.index)).toEqual(expected.map((h) => h.index));
    hits.forEach((h, i) => {
      expect(h.score).toBeCloseTo(expected[i]?.score ?? Number.NaN, 12);
    });
  });

  it('refuses a query of another length and vectors that do not fill whole rows', async () => {
    await expect(index.search([1, 2, 3], 5)).rejects.toThrow(/3 dimensions/);
    expect(() => new BruteForceIndex(new Float32Array(10), 4)).toThrow(/4-d/);
  });
});

describe('vector encodings', () => {
  const dims = 512;
  const vectors = randomVectors(30, dims, 3);

  it('float32 round-trips exactly', () => {
    const { bytes } = encodeVectors(vectors, dims, 'float32');
    expect(bytes.byteLength).toBe(vectors.byteLength);
    expect(decodeVectors(bytes, dims, 'float32')).toEqual(vectors);
  });

  it('int8 is a quarter of the size plus a scale per vector, and each value is off by at most half a step', () => {
    const { bytes } = encodeVectors(vectors, dims, 'int8');
    expect(bytes.byteLength).toBe(30 * (dims + 4));
    const decoded = decodeVectors(bytes, dims, 'int8');
    for (let i = 0; i < 30; i++) {
      const row = vectors.subarray(i * dims, (i + 1) * dims);
      const step = Math.max(...Array.from(row, Math.abs)) / 127;
      const back = decoded.subarray(i * dims, (i + 1) * dims);
      const worst = Math.max(...Array.from(row, (x, j) => Math.abs(x - (back[j] ?? 0))));
      expect(worst).toBeLessThanOrEqual(step / 2 + 1e-7);
      expect(cosine(Array.from(row), Array.from(back))).toBeGreaterThan(0.999);
    }
  });

  it('refuses bytes that are not whole vectors', () => {
    expect(() => decodeVectors(new Uint8Array(10), dims, 'float32')).toThrow(/not whole/);
    expect(() => decodeVectors(new Uint8Array(dims + 5), dims, 'int8')).toThrow(/not whole/);
  });
});
