import { describe, expect, test } from 'vitest';
import { reciprocalRankFusion } from '../../../starter/index/fuse.ts';

describe('reciprocalRankFusion', () => {
  test('sums 1 / (k + rank) over the lists, rank starting at 1', () => {
    const fused = reciprocalRankFusion(
      [
        { ids: ['a', 'b', 'c'], weight: 1 },
        { ids: ['b', 'd'], weight: 1 },
      ],
      60,
    );
    // a: 1/61 · b: 1/62 + 1/61 · c: 1/63 · d: 1/62
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'd', 'c']);
    expect(fused[0]?.score).toBeCloseTo(1 / 62 + 1 / 61, 15);
    expect(fused[1]?.score).toBeCloseTo(1 / 61, 15);
    expect(fused[2]?.score).toBeCloseTo(1 / 62, 15);
    expect(fused[3]?.score).toBeCloseTo(1 / 63, 15);
  });

  test('the default constant is 60 (Cormack et al.)', () => {
    expect(reciprocalRankFusion([{ ids: ['x'], weight: 1 }])).toEqual([{ id: 'x', score: 1 / 61 }]);
  });

  test('a small k makes the top ranks count more', () => {
    const lists = [
      { ids: ['a', 'b', 'c'], weight: 1 },
      { ids: ['c', 'b', 'a'], weight: 1 },
    ];
    // With k = 1: a = 1/2 + 1/4 = 0.75 = c; b = 1/3 + 1/3 ≈ 0.667, so the middle item loses.
    const sharp = reciprocalRankFusion(lists, 1);
    expect(sharp.map((f) => [f.id, f.score])).toEqual([
      ['a', 0.75],
      ['c', 0.75],
      ['b', 2 / 3],
    ]);
    // With k = 1000 the three are nearly equal but b still trails: 2/1002 < 1/1001 + 1/1003.
    const flat = reciprocalRankFusion(lists, 1000);
    expect(flat.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    expect((flat[0]?.score ?? 0) - (flat[2]?.score ?? 0)).toBeLessThan(1e-8);
  });

  test('weights scale each list: a heavier list wins a head-to-head', () => {
    const lists = (dense: number, bm25: number) => [
      { ids: ['dense-top', 'shared'], weight: dense },
      { ids: ['bm25-top', 'shared'], weight: bm25 },
    ];
    const denseHeavy = reciprocalRankFusion(lists(2, 1), 60);
    expect(denseHeavy.map((f) => f.id)).toEqual(['shared', 'dense-top', 'bm25-top']);
    expect(denseHeavy.find((f) => f.id === 'dense-top')?.score).toBeCloseTo(2 / 61, 15);
    expect(denseHeavy.find((f) => f.id === 'bm25-top')?.score).toBeCloseTo(1 / 61, 15);
    expect(denseHeavy.find((f) => f.id === 'shared')?.score).toBeCloseTo(2 / 62 + 1 / 62, 15);
    const bm25Heavy = reciprocalRankFusion(lists(1, 3), 60);
    expect(bm25Heavy.map((f) => f.id)).toEqual(['shared', 'bm25-top', 'dense-top']);
  });

  test('a zero weight removes a list from the ranking (its items still appear, with score 0)', () => {
    const fused = reciprocalRankFusion(
      [
        { ids: ['a', 'b'], weight: 1 },
        { ids: ['z', 'b'], weight: 0 },
      ],
      60,
    );
    expect(fused).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'b', score: 1 / 62 },
      { id: 'z', score: 0 },
    ]);
  });

  test('ties are broken by id, so the order does not depend on list order', () => {
    const one = reciprocalRankFusion(
      [
        { ids: ['m', 'q'], weight: 1 },
        { ids: ['c', 'q'], weight: 1 },
      ],
      60,
    );
    expect(one.map((f) => f.id)).toEqual(['q', 'c', 'm']);
    const swapped = reciprocalRankFusion(
      [
        { ids: ['c', 'q'], weight: 1 },
        { ids: ['m', 'q'], weight: 1 },
      ],
      60,
    );
    expect(swapped).toEqual(one);
  });

  test('no lists, or empty lists, fuse to nothing', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([{ ids: [], weight: 1 }])).toEqual([]);
  });
});
