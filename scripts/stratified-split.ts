import type { Split } from '../evals/evalset.ts';
import { sha256 } from '../starter/hash.ts';

/**
 * The bundled docs eval sets' dev/test split, fixed by rule before any result existed so nobody chose which
 * question landed in test: within each type, items ordered by the sha256 of their id go alternately to dev and
 * test (dev first). Both splits get the same mix of types, and a type with n items puts ⌈n/2⌉ in dev.
 */
export function stratifiedSplit(items: readonly { id: string; type: string }[]): Map<string, Split> {
  const byType = new Map<string, { id: string; key: string }[]>();
  for (const { id, type } of items) byType.set(type, [...(byType.get(type) ?? []), { id, key: sha256(id) }]);
  const splits = new Map<string, Split>();
  for (const group of byType.values()) {
    group.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    for (const [i, { id }] of group.entries()) splits.set(id, i % 2 === 0 ? 'dev' : 'test');
  }
  return splits;
}
