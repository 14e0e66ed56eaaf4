/**
 * Version of the per-question metrics' definitions, recorded in every run file. `compare` refuses to pair runs
 * scored under different versions: a changed definition would show up as a change of the system.
 * 1: the first definitions. 2: `contains` folds typography, dashes, hyphens and possessives (contains.ts).
 */
export const METRICS_VERSION = 2;
