import { stableHash } from '../../starter/hash.ts';
import { type Aggregate, type AggregateOptions, aggregateRecords, metricVectors } from '../aggregate.ts';

/**
 * aggregateRecords, each metric's CIs computed once per distinct column of values: grid points that retrieve
 * alike share every retrieval metric, and thresholds that answer alike share the answer metrics. A metric's
 * aggregate depends on its own values only (the bootstrap draws depend on n, resamples and seed), so the
 * result equals aggregateRecords' key for key.
 */
export function sharedAggregates(): (records: readonly { metrics: Record<string, number> }[], options: AggregateOptions) => Record<string, Aggregate> {
  const known = new Map<string, Aggregate>();
  return (records, options) => {
    const keys = new Map([...metricVectors(records)].filter(([, values]) => values.length > 0).map(([name, values]) => [name, stableHash({ name, values, options })]));
    const missing = new Set([...keys].filter(([, key]) => !known.has(key)).map(([name]) => name));
    if (missing.size > 0) {
      const only = records.map((r) => ({ metrics: Object.fromEntries(Object.entries(r.metrics).filter(([name]) => missing.has(name))) }));
      for (const [name, aggregate] of Object.entries(aggregateRecords(only, options))) known.set(keys.get(name) as string, aggregate);
    }
    return Object.fromEntries([...keys].map(([name, key]) => [name, known.get(key) as Aggregate]));
  };
}
