/** What a metric's values mean, for choosing the test, the interval and the direction of "better". */
export interface MetricInfo {
  /** 0/1 per question: McNemar and Wilson apply. */
  binary: boolean;
  higherIsBetter: boolean;
}

const BINARY = /^(hit@\d+|em|contains|abstain_correct|false_abstention|judge_correct)$/;
const LOWER_IS_BETTER = new Set(['false_abstention']);

export function metricInfo(name: string): MetricInfo {
  return { binary: BINARY.test(name), higherIsBetter: !LOWER_IS_BETTER.has(name) };
}

/** Report order: retrieval first, then answer quality, then anything else alphabetically. */
export function sortMetrics(names: Iterable<string>): string[] {
  const rank = (m: string) => {
    const order = [
      'hit@',
      'recall@',
      'mrr@',
      'ndcg@',
      'precision@',
      'map@',
      'em',
      'f1',
      'contains',
      'citation_precision',
      'citation_recall',
      'groundedness',
      'abstain_correct',
      'false_abstention',
      'judge_',
    ];
    const i = order.findIndex((p) => m === p || m.startsWith(p));
    return i < 0 ? order.length : i;
  };
  const depth = (m: string) => Number(m.split('@')[1] ?? 0);
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || depth(a) - depth(b) || a.localeCompare(b));
}
