/**
 * Prometheus text exposition (format 0.0.4), written by hand: three metric families do not need a client
 * library. Format: https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Seconds; spans a cached BM25 hit (milliseconds) to a slow chat model (seconds). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

export interface RequestSample {
  method: string;
  /** The route pattern (`/api/passages/:id`), never the raw path, so label cardinality stays bounded. */
  route: string;
  status: number;
  seconds: number;
}

export interface ServerMetrics {
  observeRequest(sample: RequestSample): void;
  /** An internal error: a 5xx, or a stream that failed after its 200 was sent. */
  observeError(route: string): void;
  /** Question in → answer out, streaming included (the request histogram ends when headers are sent). */
  observeAnswer(seconds: number, mode: 'json' | 'sse'): void;
  render(): string;
}

type Labels = Record<string, string>;

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly buckets: readonly number[]) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] ?? Number.POSITIVE_INFINITY)) this.counts[i] = (this.counts[i] ?? 0) + 1;
  }
}

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const formatLabels = (labels: Labels) => {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
};
const formatNumber = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

export function createMetrics(options: { buckets?: readonly number[]; startedAtMs?: number } = {}): ServerMetrics {
  const buckets = options.buckets ?? LATENCY_BUCKETS;
  const startedAt = (options.startedAtMs ?? Date.now()) / 1000;
  const requests = new Map<string, { labels: Labels; value: number }>();
  const errors = new Map<string, { labels: Labels; value: number }>();
  const durations = new Map<string, { labels: Labels; histogram: Histogram }>();
  const answers = new Map<string, { labels: Labels; histogram: Histogram }>();

  const inc = (family: Map<string, { labels: Labels; value: number }>, labels: Labels) => {
    const key = formatLabels(labels);
    const entry = family.get(key) ?? { labels, value: 0 };
    entry.value += 1;
    family.set(key, entry);
  };
  const observe = (family: Map<string, { labels: Labels; histogram: Histogram }>, labels: Labels, value: number) => {
    const key = formatLabels(labels);
    const entry = family.get(key) ?? { labels, histogram: new Histogram(buckets) };
    entry.histogram.observe(value);
    family.set(key, entry);
  };
  const renderCounter = (name: string, help: string, family: Map<string, { labels: Labels; value: number }>) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} counter`,
    ...[...family.values()].map((e) => `${name}${formatLabels(e.labels)} ${e.value}`),
  ];
  const renderHistogram = (name: string, help: string, family: Map<string, { labels: Labels; histogram: Histogram }>) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} histogram`,
    ...[...family.values()].flatMap(({ labels, histogram: h }) => [
      ...h.buckets.map((le, i) => `${name}_bucket${formatLabels({ ...labels, le: formatNumber(le) })} ${h.counts[i] ?? 0}`),
      `${name}_bucket${formatLabels({ ...labels, le: '+Inf' })} ${h.count}`,
      `${name}_sum${formatLabels(labels)} ${formatNumber(h.sum)}`,
      `${name}_count${formatLabels(labels)} ${h.count}`,
    ]),
  ];

  return {
    observeRequest({ method, route, status, seconds }) {
      inc(requests, { method, route, status: String(status) });
      observe(durations, { route }, seconds);
    },
    observeError(route) {
      inc(errors, { route });
    },
    observeAnswer(seconds, mode) {
      observe(answers, { mode }, seconds);
    },
    render() {
      return `${[
        ...renderCounter('ragfolio_http_requests_total', 'HTTP requests answered, by method, route pattern and status.', requests),
        ...renderHistogram('ragfolio_http_request_duration_seconds', 'Time to the response headers, by route pattern.', durations),
        ...renderCounter('ragfolio_http_errors_total', 'Internal errors: 5xx responses and streams that failed after starting.', errors),
        ...renderHistogram('ragfolio_answer_duration_seconds', 'Question to complete answer (retrieval and generation), by response mode.', answers),
        '# HELP process_start_time_seconds Start time of the server since the Unix epoch, in seconds.',
        '# TYPE process_start_time_seconds gauge',
        `process_start_time_seconds ${startedAt}`,
      ].join('\n')}\n`;
    },
  };
}
