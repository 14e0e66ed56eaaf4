import { hostname } from 'node:os';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics through prom-client, the maintained client: the app's request and answer families plus
 * Node's default process metrics, every series labelled with its replica so several `serve` processes behind
 * one load balancer scrape cleanly. https://github.com/siimon/prom-client
 */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

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
  render(): Promise<string>;
}

// Process metrics describe the process, not an app: one set however many apps a process builds (tests build many).
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    replaceCpuCounters(registry);
    processRegistry = registry;
  }
  return processRegistry;
}

/**
 * prom-client counts CPU from when its collector is made (the first scrape here), so a server that loaded its
 * model and answered before anyone scraped showed ~0. These read process.cpuUsage(), which counts from the
 * process start, as the counters' names promise.
 */
function replaceCpuCounters(registry: Registry): void {
  const parts = {
    process_cpu_user_seconds_total: ['Total user CPU time spent in seconds.', (u: NodeJS.CpuUsage) => u.user],
    process_cpu_system_seconds_total: ['Total system CPU time spent in seconds.', (u: NodeJS.CpuUsage) => u.system],
    process_cpu_seconds_total: ['Total user and system CPU time spent in seconds.', (u: NodeJS.CpuUsage) => u.user + u.system],
  } as const;
  for (const [name, [help, micros]] of Object.entries(parts)) {
    registry.removeSingleMetric(name);
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(micros(process.cpuUsage()) / 1e6);
      },
    });
  }
}

/**
 * `replica` names this process in every series (default host:pid). It is not called `instance`: Prometheus
 * sets that label itself from the scrape target.
 */
export function createMetrics(options: { buckets?: readonly number[]; replica?: string } = {}): ServerMetrics {
  const buckets = [...(options.buckets ?? LATENCY_BUCKETS)];
  const replica = options.replica ?? `${hostname()}:${process.pid}`;
  const registry = new Registry();
  const requests = new Counter({
    name: 'ragfolio_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({ name: 'ragfolio_http_request_duration_seconds', help: 'Time to the response headers, by route pattern.', labelNames: ['route'], buckets, registers: [registry] });
  const errors = new Counter({ name: 'ragfolio_http_errors_total', help: 'Internal errors: 5xx responses and streams that failed after starting.', labelNames: ['route'], registers: [registry] });
  const answers = new Histogram({
    name: 'ragfolio_answer_duration_seconds',
    help: 'Question to complete answer (retrieval and generation), by response mode.',
    labelNames: ['mode'],
    buckets,
    registers: [registry],
  });

  return {
    observeRequest({ method, route, status, seconds }) {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ route }, seconds);
    },
    observeError(route) {
      errors.inc({ route });
    },
    observeAnswer(seconds, mode) {
      answers.observe({ mode }, seconds);
    },
    render() {
      // Default labels apply where the text is written, so they are set on the merged registry.
      const merged = Registry.merge([processMetrics(), registry]);
      merged.setDefaultLabels({ replica });
      return merged.metrics();
    },
  };
}
