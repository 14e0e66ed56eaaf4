import { stableHash } from '../../starter/hash.ts';
import { type Aggregate, type AggregateOptions, aggregateRecords, metricVectors } from '../aggregate.ts';

type Aggregator = (records: readonly { metrics: Record<string, number> }[], options: AggregateOptions) => Record<string, Aggregate> | Promise<Record<string, Aggregate>>;

/**
 * aggregateRecords, each metric's CIs computed once per distinct column of values: grid points that retrieve
 * alike share every retrieval metric, and thresholds that answer alike share the answer metrics. A metric's
 * aggregate depends on its own values only (the bootstrap draws depend on n, resamples and seed), so the
 * result equals aggregateRecords' key for key. `compute` (aggregateRecords by default; a grid's threads) gets
 * the columns not seen yet; runs evaluated at once wait for a column another one is computing.
 */
export function sharedAggregates(compute: Aggregator = aggregateRecords): (records: readonly { metrics: Record<string, number> }[], options: AggregateOptions) => Promise<Record<string, Aggregate>> {
  const known = new Map<string, Promise<Aggregate>>();
  return async (records, options) => {
    const keys = new Map([...metricVectors(records)].filter(([, values]) => values.length > 0).map(([name, values]) => [name, stableHash({ name, values, options })]));
    const missing = new Set([...keys].filter(([, key]) => !known.has(key)).map(([name]) => name));
    if (missing.size > 0) {
      const only = records.map((r) => ({ metrics: Object.fromEntries(Object.entries(r.metrics).filter(([name]) => missing.has(name))) }));
      const computed = Promise.resolve(compute(only, options));
      for (const name of missing)
        known.set(
          keys.get(name) as string,
          computed.then((all) => all[name] as Aggregate),
        );
    }
    return Object.fromEntries(await Promise.all([...keys].map(async ([name, key]) => [name, await (known.get(key) as Promise<Aggregate>)] as const)));
  };
}
