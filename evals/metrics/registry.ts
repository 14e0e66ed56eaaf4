// Every fact about a metric in one place (in the spirit of promptfoo's typed assertion registry): its kind,
// direction, the questions it is defined on, the paired test compare runs on it, whether the gate checks it by
// default, where it stands in a headline, and what it means in one plain sentence. Everything else reads this.
// Retrieval metrics are families keyed `name@k`; the others are single names.
import { UNANSWERABLE_TYPE } from './answer.ts';

/** binary: 0/1 per question (McNemar, Wilson, Bernoulli planning sd); continuous: anything else in [0, 1]. */
export type MetricKind = 'binary' | 'continuous';

/**
 * The questions a metric has a value on. answerable: questions with a gold answer or gold passages;
 * answered: those the system did not abstain on (so abstaining more can raise it); unanswerable: the
 * questions the corpus does not answer; all: every question.
 */
export type Population = 'answerable' | 'answered' | 'unanswerable' | 'all';

export type PairedTest = 'mcnemar' | 'permutation';

export interface MetricSpec {
  /** Registry key: the metric name, or the family name before `@k`. */
  key: string;
  /** `hit@5`, `ndcg@10`: a family taken at every depth in `eval.ks`. */
  atDepth: boolean;
  kind: MetricKind;
  higherIsBetter: boolean;
  population: Population;
  /** One line a non-specialist can read (the site and the serve page show it). `k` in it means the depth. */
  meaning: string;
}

const spec = (key: string, atDepth: boolean, kind: MetricKind, population: Population, meaning: string, higherIsBetter = true): MetricSpec => ({
  key,
  atDepth,
  kind,
  higherIsBetter,
  population,
  meaning,
});

/** Report order: retrieval first, then answer quality, then abstention, then the judge. */
export const METRICS: readonly MetricSpec[] = [
  spec('hit', true, 'binary', 'answerable', 'Share of questions with at least one gold passage in the top k retrieved.'),
  spec('recall', true, 'continuous', 'answerable', 'Share of the gold passages found in the top k retrieved, averaged over questions.'),
  spec('mrr', true, 'continuous', 'answerable', 'One over the rank of the first gold passage in the top k (0 if none), averaged.'),
  spec('ndcg', true, 'continuous', 'answerable', 'How near the top the gold passages are ranked in the top k (1 = all gold passages first).'),
  spec('precision', true, 'continuous', 'answerable', 'Share of the top k retrieved passages that are gold.'),
  spec('map', true, 'continuous', 'answerable', 'Mean average precision over the top k: precision at each gold passage found, averaged.'),
  spec('em', false, 'binary', 'answerable', 'Share of answers whose short span equals a gold answer exactly (after normalisation).'),
  spec('f1', false, 'continuous', 'answerable', 'Word overlap between the short answer span and the best gold answer (SQuAD F1).'),
  spec('contains', false, 'binary', 'answerable', 'Share of answers that contain a gold answer string.'),
  spec('citation_precision', false, 'continuous', 'answered', 'Of the passages an answer cites, the share that are gold (answers that cite something).'),
  spec('citation_recall', false, 'continuous', 'answerable', 'Of the gold passages, the share the answer cites.'),
  spec('groundedness', false, 'continuous', 'answered', 'Share of an answer’s sentences supported by the passages it was given.'),
  spec('abstain_correct', false, 'binary', 'unanswerable', 'Share of unanswerable questions where the system declined to answer.'),
  spec('false_abstention', false, 'binary', 'answerable', 'Share of answerable questions where the system wrongly declined (lower is better).', false),
  spec('judge_correct', false, 'binary', 'all', 'Share of answers an LLM judge marked correct against the gold answers.'),
  spec('judge_faithfulness', false, 'continuous', 'all', 'How faithful to the retrieved passages an LLM judge rated the answer (0 to 1).'),
];

/** What the regression gate checks unless `eval.gate.metrics` says otherwise (starter/config.ts holds the same list; a test keeps them equal). */
export const GATE_DEFAULT_METRICS: readonly string[] = ['hit@5', 'ndcg@10', 'contains'];

/** The metrics a headline (write-up, site, start page) shows, in this order, when the run has them. */
export const HEADLINE_METRICS: readonly string[] = [
  'hit@5',
  'mrr@10',
  'ndcg@10',
  'contains',
  'citation_precision',
  'groundedness',
  'abstain_correct',
  'false_abstention',
  'judge_correct',
  'judge_faithfulness',
];

const byKey = new Map(METRICS.map((m) => [m.key, m]));

/** `hit@5` → hit, 5; `contains` → contains, undefined. */
function parseName(name: string): { key: string; k: number | undefined } {
  const at = name.indexOf('@');
  if (at < 0) return { key: name, k: undefined };
  const k = Number(name.slice(at + 1));
  return { key: name.slice(0, at), k: Number.isInteger(k) && k > 0 ? k : undefined };
}

export interface ResolvedMetric extends MetricSpec {
  name: string;
  /** The depth of an `@k` metric. */
  k?: number;
  /** The test compare runs on paired per-question values (a repeated run's means are not 0/1: permutation). */
  pairedTest: PairedTest;
  /** Defined only on answered questions: abstaining more can raise it, so a rise must be read with the answered rate. */
  conditional: boolean;
  /** Position in the report order (unknown metrics last). */
  order: number;
}

/** The registry entry of a metric name, or undefined for a metric the kit does not know. */
export function lookupMetric(name: string): ResolvedMetric | undefined {
  const { key, k } = parseName(name);
  const found = byKey.get(key);
  if (!found || found.atDepth !== (k !== undefined)) return undefined;
  return {
    ...found,
    name,
    ...(k === undefined ? {} : { k }),
    pairedTest: found.kind === 'binary' ? 'mcnemar' : 'permutation',
    conditional: found.population === 'answered',
    order: METRICS.indexOf(found),
  };
}

/** The registry entry, or a continuous higher-is-better metric on every question for a name the kit does not know (a custom metric). */
export function metricSpec(name: string): ResolvedMetric {
  return (
    lookupMetric(name) ?? {
      key: name,
      atDepth: false,
      kind: 'continuous',
      higherIsBetter: true,
      population: 'all',
      meaning: 'A metric this kit does not define.',
      name,
      pairedTest: 'permutation',
      conditional: false,
      order: METRICS.length,
    }
  );
}

/** Report order: registry order, then depth, then name. */
export function sortMetrics(names: Iterable<string>): string[] {
  const key = (name: string) => {
    const m = metricSpec(name);
    return { order: m.order, k: m.k ?? 0 };
  };
  return [...new Set(names)].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x.order - y.order || x.k - y.k || a.localeCompare(b);
  });
}

/** The headline metrics present in `available`, in headline order. */
export function headlineMetrics(available: (name: string) => boolean): string[] {
  return HEADLINE_METRICS.filter(available);
}

/** Per-question values that are all 0 or 1 (a repeated run's per-question means are not). */
const isZeroOne = (values: readonly number[]): boolean => values.every((x) => x === 0 || x === 1);

/** A binary metric whose values here are all 0/1: McNemar, Wilson, Bernoulli sd and the 1/n continuity term apply. */
export function testsAsBinary(name: string, ...vectors: readonly (readonly number[])[]): boolean {
  return metricSpec(name).kind === 'binary' && vectors.every(isZeroOne);
}

/** The same value on every question of every vector (e.g. groundedness 1 by construction): nothing to test. */
export function isConstant(...vectors: readonly (readonly number[])[]): boolean {
  const all = vectors.flat();
  return all.length > 0 && all.every((x) => x === all[0]);
}

/**
 * Whether a question passed: it contains a gold answer, or, if unanswerable, the system abstained. A repeated
 * run's question passes when it passed in most repeats (its passRate). Undefined for retrieval-only questions.
 */
export function passed(record: { type: string; metrics: Record<string, number>; passRate?: number }): boolean | undefined {
  if (record.passRate !== undefined) return record.passRate > 0.5;
  const score = record.type === UNANSWERABLE_TYPE ? record.metrics.abstain_correct : record.metrics.contains;
  return score === undefined ? undefined : score === 1;
}
