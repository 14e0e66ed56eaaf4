import { describe, expect, test } from 'vitest';
import { stratifiedSplit } from '../../scripts/stratified-split.ts';

describe('stratifiedSplit (the bundled docs eval sets’ dev/test rule)', () => {
  const items = [
    ...Array.from({ length: 7 }, (_, i) => ({ id: `h-${i}`, type: 'howto' })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `u-${i}`, type: 'unanswerable' })),
    { id: 'w-0', type: 'which' },
  ];

  test('each type is split in half, dev taking the odd one, and every item gets a split', () => {
    const splits = stratifiedSplit(items);
    expect(splits.size).toBe(items.length);
    const count = (type: string, split: string) => items.filter((i) => i.type === type && splits.get(i.id) === split).length;
    expect([count('howto', 'dev'), count('howto', 'test')]).toEqual([4, 3]);
    expect([count('unanswerable', 'dev'), count('unanswerable', 'test')]).toEqual([2, 2]);
    expect([count('which', 'dev'), count('which', 'test')]).toEqual([1, 0]);
  });

  test('depends only on the ids and types, not on the order of the file', () => {
    expect([...stratifiedSplit([...items].reverse())].sort()).toEqual([...stratifiedSplit(items)].sort());
  });

  test('an item of another type does not move any existing item', () => {
    const before = stratifiedSplit(items);
    const after = stratifiedSplit([...items, { id: 'd-0', type: 'definition' }]);
    for (const { id } of items) expect(after.get(id), id).toBe(before.get(id));
  });
});
