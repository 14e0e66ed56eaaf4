// Seeded PRNG: xoshiro128** (Blackman & Vigna), state expanded from a 32-bit
// seed with a Weyl sequence + murmur3 fmix32. Only 32-bit integer ops
// (Math.imul, >>>), so output is bit-identical on every JS engine; the Python
// mirror in reference/make_reference.py pins the first outputs.
import { assertInteger } from './validate.ts';

export interface Rng {
  /** Uniform double in [0, 1) with 53 random bits. */
  next(): number;
  /** Uniform integer in [0, n), unbiased (rejection sampling); 1 <= n <= 2^32. */
  int(n: number): number;
  /** Same draws as repeated int(n), with n checked once: for hot loops. */
  intBelow(n: number): () => number;
  /** Raw uint32 output. */
  uint32(): number;
}

const TWO_32 = 4294967296;

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * @param seed any safe integer; it is reduced to uint32 (`seed >>> 0`), so
 * seeds congruent mod 2^32 give the same stream.
 */
export function createRng(seed: number): Rng {
  assertInteger('seed', seed, Number.MIN_SAFE_INTEGER);
  let weyl = seed >>> 0;
  const word = (): number => {
    weyl = (weyl + 0x9e3779b9) >>> 0;
    return fmix32(weyl);
  };
  let s0 = word();
  let s1 = word();
  let s2 = word();
  let s3 = word();
  // xoshiro's only forbidden state; unreachable in practice but cheap to guard.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };

  const next = (): number => {
    const hi = uint32() >>> 5; // 27 bits
    const lo = uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  const intBelow = (n: number): (() => number) => {
    assertInteger('n', n, 1, TWO_32);
    // Reject the top partial block so every residue is equally likely.
    const limit = TWO_32 - (TWO_32 % n);
    return () => {
      let u = uint32();
      while (u >= limit) u = uint32();
      return u % n;
    };
  };

  return { next, int: (n) => intBelow(n)(), intBelow, uint32 };
}

type Draws = Uint8Array | Uint16Array | Uint32Array;

/** At most this many bytes of kept draws in all: a 200-question eval's 10k resamples are 2M draws (8 MB raw, 2 MB per size). */
const KEPT_BYTES = 64 * 2 ** 20;
/**
 * Kept streams, most recently used last: createRng(seed)'s raw uint32 draws by `seed`, and intBelow(n)'s by
 * `n/seed`, each in the narrowest unsigned type that holds n − 1 (one byte a draw for n <= 256), with how
 * many raw draws they have read.
 */
const kept = new Map<string, { values: Draws; used: number; more?: () => number }>();

/** Keep `entry` as the most recent, then drop the oldest others while over the budget. */
function touch(key: string, entry: { values: Draws; used: number }): void {
  kept.delete(key);
  kept.set(key, entry);
  let total = 0;
  for (const e of kept.values()) total += e.values.byteLength;
  for (const [k, e] of kept) {
    if (total <= KEPT_BYTES || e === entry) break;
    kept.delete(k);
    total -= e.values.byteLength;
  }
}

/** The first `count` raw uint32 draws of createRng(seed). */
function keptRaw(seed: number, count: number): Uint32Array {
  const key = `${seed}`;
  const entry = kept.get(key) ?? { values: new Uint32Array(0), used: 0, more: createRng(seed).uint32 };
  if (entry.values.length < count) {
    const values = new Uint32Array(count);
    values.set(entry.values);
    const more = entry.more as () => number;
    for (let i = entry.values.length; i < count; i++) values[i] = more();
    entry.values = values;
  }
  touch(key, entry);
  return entry.values as Uint32Array;
}

/** The first `count` draws of createRng(seed).intBelow(n), reduced from the kept raw stream. */
function keptBelow(n: number, seed: number, count: number): Draws {
  const key = `${n}/${seed}`;
  const entry = kept.get(key) ?? { values: new Uint32Array(0), used: 0 };
  if (entry.values.length < count) {
    const values = n <= 2 ** 8 ? new Uint8Array(count) : n <= 2 ** 16 ? new Uint16Array(count) : new Uint32Array(count);
    values.set(entry.values);
    // intBelow(n): reject the top partial block, then reduce. Rejections are rare (below 2^-22 of draws for
    // n <= 1000), so a little slack covers them; the raw stream grows if it does not.
    const limit = TWO_32 - (TWO_32 % n);
    let filled = entry.values.length;
    let raw = keptRaw(seed, entry.used + (count - filled) + 1024);
    while (filled < count) {
      const chunk = reduceInto(Math.min(REDUCED.length, count - filled), raw, entry.used, limit, n);
      values.set(REDUCED.subarray(0, chunk.filled), filled);
      filled += chunk.filled;
      entry.used = chunk.used;
      if (entry.used === raw.length) raw = keptRaw(seed, raw.length + count);
    }
    entry.values = values;
  }
  touch(key, entry);
  return entry.values;
}

/**
 * Rows of `width` consecutive values of createRng(seed).intBelow(n): row r holds draws r·width … r·width +
 * width − 1, for r < rows (each call reuses one buffer). Resampling indices and sign flips depend only on
 * (n, seed), so they are drawn once and kept for later calls (every metric of every run of an eval or a grid
 * reuses them), within a memory budget, oldest dropped first; every n reduces one kept raw stream per seed
 * through intBelow's rejection and modulo. A stream too long to keep is drawn as its rows are read, which must
 * then be in order.
 */
export function drawRows(n: number, seed: number, rows: number, width: number): (r: number) => Uint32Array {
  assertInteger('n', n, 1, TWO_32);
  assertInteger('seed', seed, Number.MIN_SAFE_INTEGER);
  const count = rows * width;
  const row = new Uint32Array(width);
  if (count * 4 > KEPT_BYTES / 2) {
    const draw = createRng(seed).intBelow(n);
    let next = 0;
    return (r) => {
      if (r !== next++) throw new RangeError(`drawRows: a stream too long to keep is read in order (asked for row ${r}, next is ${next - 1})`);
      for (let i = 0; i < width; i++) row[i] = draw();
      return row;
    };
  }
  const values = keptBelow(n, seed >>> 0, count);
  return (r) => {
    row.set(values.subarray(r * width, (r + 1) * width));
    return row;
  };
}

/** Where reduceInto writes: always a Uint32Array, so its loop stays compiled for one array type; copied on into the kept type. */
const REDUCED = new Uint32Array(2 ** 16);

/**
 * Fill REDUCED[0…want) with intBelow(n) draws read from raw[used…], or as many as raw holds. A loop over locals
 * and typed arrays only, with both modulo operands typed as uint32 (`>>> 0`): the engine then reduces with an
 * integer modulo, several times faster than the float one a closure per draw got.
 */
function reduceInto(want: number, raw: Uint32Array, used: number, limit: number, n: number): { filled: number; used: number } {
  const m = n >>> 0; // 0 for n = 2^32, whose draws are the raw values
  let i = 0;
  let j = used;
  while (i < want && j < raw.length) {
    const u = (raw[j++] as number) >>> 0;
    if (u < limit) REDUCED[i++] = m === 0 ? u : u % m;
  }
  return { filled: i, used: j };
}
