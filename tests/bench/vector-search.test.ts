import { expect, test } from 'vitest';
import { holdOut } from '../../bench/sections/vector-search.ts';

test('held-out queries are points of the data, disjoint from the indexed ones, and the same for a seed', () => {
  const vectors = Array.from({ length: 50 }, (_, i) => [i, 1]);
  const { indexed, held } = holdOut(vectors, 10, 7);
  expect(held).toHaveLength(10);
  expect(indexed).toHaveLength(40);
  expect(new Set([...held, ...indexed].map((v) => v[0]))).toEqual(new Set(vectors.map((v) => v[0])));
  expect(holdOut(vectors, 10, 7).held).toEqual(held);
  expect(holdOut(vectors, 10, 8).held).not.toEqual(held);
});
