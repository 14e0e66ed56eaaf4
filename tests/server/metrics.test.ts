import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../starter/server/metrics.ts';
import { parsePrometheus, sampleValue } from './prometheus.ts';

describe('createMetrics (prom-client)', () => {
  it('renders counters and cumulative histograms a strict parser accepts, every series labelled with its replica', async () => {
    const metrics = createMetrics({ buckets: [0.01, 0.1, 1], replica: 'web-1' });
    metrics.observeRequest({ method: 'POST', route: '/api/ask', status: 200, seconds: 0.05 });
    metrics.observeRequest({ method: 'POST', route: '/api/ask', status: 200, seconds: 2 });
    metrics.observeRequest({ method: 'GET', route: '/api/passages/:id', status: 404, seconds: 0.001 });
    metrics.observeError('/api/ask');
    metrics.observeAnswer(0.5, 'sse');
    const { types, samples } = parsePrometheus(await metrics.render());
    expect(types.get('ragfolio_http_requests_total')).toBe('counter');
    expect(sampleValue(samples, 'ragfolio_http_requests_total', { method: 'POST', route: '/api/ask', status: '200' })).toBe(2);
    const bucket = (le: string) => sampleValue(samples, 'ragfolio_http_request_duration_seconds_bucket', { route: '/api/ask', le });
    expect([bucket('0.01'), bucket('0.1'), bucket('1'), bucket('+Inf')]).toEqual([0, 1, 1, 2]);
    expect(sampleValue(samples, 'ragfolio_http_request_duration_seconds_sum', { route: '/api/ask' })).toBeCloseTo(2.05);
    expect(sampleValue(samples, 'ragfolio_http_errors_total', { route: '/api/ask' })).toBe(1);
    expect(sampleValue(samples, 'ragfolio_answer_duration_seconds_count', { mode: 'sse' })).toBe(1);
    expect(samples.every((s) => s.labels.replica === 'web-1')).toBe(true);
  });

  it("includes Node's default process metrics", async () => {
    const { types, samples } = parsePrometheus(await createMetrics({ replica: 'web-2' }).render());
    expect(types.get('process_start_time_seconds')).toBe('gauge');
    expect(types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    const started = sampleValue(samples, 'process_start_time_seconds', { replica: 'web-2' }) ?? 0;
    // prom-client reports whole seconds, rounded: allow that rounding on both sides of this process's start.
    const now = Date.now() / 1000;
    expect(started).toBeGreaterThanOrEqual(Math.floor(now - process.uptime()) - 1);
    expect(started).toBeLessThanOrEqual(Math.ceil(now));
  });

  it('counts CPU time from the process start, not from the first scrape', async () => {
    // Everything this test process did before (loading modules, the tests above) is CPU the counters must include.
    const before = process.cpuUsage();
    const { samples } = parsePrometheus(await createMetrics({ replica: 'web-3' }).render());
    const seconds = (name: string) => sampleValue(samples, name, { replica: 'web-3' }) ?? 0;
    expect(seconds('process_cpu_user_seconds_total')).toBeGreaterThanOrEqual(before.user / 1e6);
    expect(seconds('process_cpu_system_seconds_total')).toBeGreaterThanOrEqual(before.system / 1e6);
    expect(seconds('process_cpu_seconds_total')).toBeGreaterThanOrEqual((before.user + before.system) / 1e6);
    expect(seconds('process_cpu_seconds_total')).toBeLessThanOrEqual(process.uptime() * availableParallelism() + 1);
  });

  it('two replicas in one process keep their own counts and labels', async () => {
    const [a, b] = [createMetrics({ replica: 'a' }), createMetrics({ replica: 'b' })];
    a.observeError('/api/ask');
    const read = async (m: typeof a) => parsePrometheus(await m.render()).samples;
    expect(sampleValue(await read(a), 'ragfolio_http_errors_total', { route: '/api/ask', replica: 'a' })).toBe(1);
    expect(sampleValue(await read(b), 'ragfolio_http_errors_total', { route: '/api/ask' })).toBeUndefined();
  });

  it('escapes label values', async () => {
    const metrics = createMetrics();
    metrics.observeRequest({ method: 'GET', route: 'a"b\\c\nd', status: 200, seconds: 0 });
    const { samples } = parsePrometheus(await metrics.render());
    expect(sampleValue(samples, 'ragfolio_http_requests_total', { route: 'a"b\\c\nd' })).toBe(1);
  });
});
