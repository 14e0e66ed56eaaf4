import { describe, expect, it } from 'vitest';
import { createRng, drawRows } from '../../../evals/stats/rng.ts';
import { reference } from './helpers.ts';

describe('createRng', () => {
  it.each(reference.rng)('matches the Python mirror bit for bit (seed $seed)', (ref) => {
    const a = createRng(ref.seed);
    expect(Array.from({ length: 8 }, () => a.uint32())).toEqual(ref.uint32);
    const b = createRng(ref.seed);
    expect(Array.from({ length: 4 }, () => b.next())).toEqual(ref.next);
    const c = createRng(ref.seed);
    expect(ref.intNs.map((n) => c.int(n))).toEqual(ref.int);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 100 }, () => r.next());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('intBelow(n) draws the same stream as repeated int(n), and checks n once up front', () => {
    const a = createRng(11);
    const b = createRng(11).intBelow(7);
    expect(Array.from({ length: 50 }, () => b())).toEqual(Array.from({ length: 50 }, () => a.int(7)));
    expect(() => createRng(1).intBelow(0)).toThrow(RangeError);
  });

  it('reduces seeds mod 2^32', () => {
    expect(createRng(-1).uint32()).toBe(createRng(2 ** 32 - 1).uint32());
  });

  it('next() is in [0, 1) and int(n) in [0, n)', () => {
    const r = createRng(1);
    for (let i = 0; i < 10000; i++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(13);
      expect(Number.isInteger(k) && k >= 0 && k < 13).toBe(true);
    }
  });

  it('int(n) is roughly uniform (chi-square, 9 df)', () => {
    const r = createRng(2024);
    const counts = new Array<number>(10).fill(0);
    const draws = 100000;
    for (let i = 0; i < draws; i++) counts[r.int(10)]! += 1;
    const expected = draws / 10;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 99.99th percentile of chi-square(9) is ~33.7; the seed makes this deterministic anyway.
    expect(chi2).toBeLessThan(33.7);
  });

  it('rejects invalid arguments', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
    const r = createRng(0);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(2.5)).toThrow(RangeError);
    expect(() => r.int(2 ** 32 + 1)).toThrow(RangeError);
  });
});

describe('drawRows', () => {
  const stream = (n: number, seed: number, count: number) => {
    const draw = createRng(seed).intBelow(n);
    return Array.from({ length: count }, () => draw());
  };
  const rowsOf = (row: (r: number) => Uint32Array, rows: number) => Array.from({ length: rows }, (_, r) => Array.from(row(r))).flat();

  it('row r holds draws r·width … r·width + width − 1 of intBelow(n), however the kept stream grew', () => {
    expect(rowsOf(drawRows(7, 5, 10, 3), 10)).toEqual(stream(7, 5, 30));
    // Rows in any order.
    const rows = drawRows(7, 5, 10, 3);
    expect([9, 0, 4].map((r) => Array.from(rows(r)))).toEqual([9, 0, 4].map((r) => stream(7, 5, 30).slice(3 * r, 3 * r + 3)));
    // A longer request extends the kept stream; another width reads the same draws.
    expect(rowsOf(drawRows(7, 5, 20, 4), 20)).toEqual(stream(7, 5, 80));
    expect(rowsOf(drawRows(7, 5, 2, 3), 2)).toEqual(stream(7, 5, 6));
    expect(rowsOf(drawRows(7, 6, 5, 3), 5)).toEqual(stream(7, 6, 15));
    // Other sizes read the same kept raw stream, through intBelow's rejection (a quarter of draws for 3·2^30).
    expect(rowsOf(drawRows(9, 5, 10, 3), 10)).toEqual(stream(9, 5, 30));
    expect(rowsOf(drawRows(3 * 2 ** 30, 5, 200, 1), 200)).toEqual(stream(3 * 2 ** 30, 5, 200));
    // Sizes above one and two bytes a draw, and n = 2^32, which keeps every raw draw as it is.
    expect(rowsOf(drawRows(300, 5, 10, 3), 10)).toEqual(stream(300, 5, 30));
    expect(rowsOf(drawRows(70_000, 5, 10, 3), 10)).toEqual(stream(70_000, 5, 30));
    expect(rowsOf(drawRows(2 ** 32, 5, 10, 3), 10)).toEqual(stream(2 ** 32, 5, 30));
  });

  it('draws a stream too long to keep as its rows are read, with the same values', () => {
    const rows = drawRows(3, 9, 8_000_001, 2);
    expect(rowsOf(rows, 50)).toEqual(stream(3, 9, 100));
    expect(() => rows(60)).toThrow(/in order/);
  });
});
