/**
 * How the site ships vectors. `float32` is exact; `int8` keeps one scale per vector (symmetric, max-abs / 127)
 * and is a quarter of the size. Cosine similarity ignores each vector's length, so the scale only matters
 * for rounding.
 */
export type VectorEncoding = 'float32' | 'int8';

export interface EncodedVectors {
  encoding: VectorEncoding;
  dims: number;
  /** The vectors' bytes: float32 values, or int8 codes followed by one float32 scale per vector. */
  bytes: Uint8Array;
}

export function encodeVectors(vectors: Float32Array, dims: number, encoding: VectorEncoding): EncodedVectors {
  if (encoding === 'float32') return { encoding, dims, bytes: new Uint8Array(vectors.buffer.slice(vectors.byteOffset, vectors.byteOffset + vectors.byteLength)) };
  const count = vectors.length / dims;
  const codes = new Int8Array(vectors.length);
  const scales = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let max = 0;
    for (let j = 0; j < dims; j++) max = Math.max(max, Math.abs(vectors[i * dims + j] ?? 0));
    const scale = max > 0 ? max / 127 : 1;
    scales[i] = scale;
    for (let j = 0; j < dims; j++) codes[i * dims + j] = Math.round((vectors[i * dims + j] ?? 0) / scale);
  }
  const bytes = new Uint8Array(codes.byteLength + scales.byteLength);
  bytes.set(new Uint8Array(codes.buffer), 0);
  bytes.set(new Uint8Array(scales.buffer), codes.byteLength);
  return { encoding, dims, bytes };
}

/** Back to float32 vectors (little-endian, as every browser and Node platform is). */
export function decodeVectors(bytes: Uint8Array, dims: number, encoding: VectorEncoding): Float32Array {
  const copy = bytes.slice().buffer;
  if (encoding === 'float32') {
    if (bytes.byteLength % (4 * dims) !== 0) throw new Error(`${bytes.byteLength} bytes are not whole ${dims}-d float32 vectors`);
    return new Float32Array(copy);
  }
  const count = bytes.byteLength / (dims + 4);
  if (!Number.isInteger(count)) throw new Error(`${bytes.byteLength} bytes are not whole ${dims}-d int8 vectors with scales`);
  const codes = new Int8Array(copy, 0, count * dims);
  // Sliced, not viewed: a Float32Array must start at a multiple of 4 bytes, and count × dims need not be.
  const scales = new Float32Array(copy.slice(count * dims));
  const out = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const scale = scales[i] ?? 1;
    for (let j = 0; j < dims; j++) out[i * dims + j] = (codes[i * dims + j] ?? 0) * scale;
  }
  return out;
}
