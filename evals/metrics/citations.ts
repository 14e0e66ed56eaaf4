/**
 * Citation metrics over passage ids, with set semantics (a passage cited twice counts once).
 * `null` means "undefined for this question": aggregation must skip it, not count it as 0.
 */

// Inline markers such as "[1990-bush-003]", "[1990-bush-003, 1991-bush-010]" or "[2]".
const CITATION_MARKER = /\s*\[\s*[\w.:-]+(?:\s*[,;]\s*[\w.:-]+)*\s*\]/g;

/** Remove inline citation markers (and the white space before them) from an answer. */
export function stripCitationMarkers(answer: string): string {
  return answer.replace(CITATION_MARKER, '');
}

/**
 * Share of distinct cited ids that are gold. Null when nothing is cited (0/0): an uncited answer is
 * judged by citation recall and groundedness, not by precision. With empty gold, any citation scores 0.
 */
export function citationPrecision(cited: readonly string[], gold: readonly string[]): number | null {
  const citedSet = new Set(cited);
  if (citedSet.size === 0) return null;
  const goldSet = new Set(gold);
  return countIn(citedSet, goldSet) / citedSet.size;
}

/** Share of distinct gold ids that are cited. Null when gold is empty (0/0); 0 when nothing is cited. */
export function citationRecall(cited: readonly string[], gold: readonly string[]): number | null {
  const goldSet = new Set(gold);
  if (goldSet.size === 0) return null;
  return countIn(goldSet, new Set(cited)) / goldSet.size;
}

function countIn(items: ReadonlySet<string>, set: ReadonlySet<string>): number {
  let n = 0;
  for (const item of items) if (set.has(item)) n += 1;
  return n;
}
