import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../starter/server/metrics.ts';
import { parsePrometheus, sampleValue } from './prometheus.ts';

describe('createMetrics (Prometheus text exposition)', () => {
  it('renders counters and cumulative histograms a strict parser accepts', () => {
    const metrics = createMetrics({ buckets: [0.01, 0.1, 1], startedAtMs: 1_700_000_000_000 });
    metrics.observeRequest({ method: 'POST', route: '/api/ask', status: 200, seconds: 0.05 });
    metrics.observeRequest({ method: 'POST', route: '/api/ask', status: 200, seconds: 2 });
    metrics.observeRequest({ method: 'GET', route: '/api/passages/:id', status: 404, seconds: 0.001 });
    metrics.observeError('/api/ask');
    metrics.observeAnswer(0.5, 'sse');
    const { types, samples } = parsePrometheus(metrics.render());
    expect(types.get('ragfolio_http_requests_total')).toBe('counter');
    expect(sampleValue(samples, 'ragfolio_http_requests_total', { method: 'POST', route: '/api/ask', status: '200' })).toBe(2);
    const bucket = (le: string) => sampleValue(samples, 'ragfolio_http_request_duration_seconds_bucket', { route: '/api/ask', le });
    expect([bucket('0.01'), bucket('0.1'), bucket('1'), bucket('+Inf')]).toEqual([0, 1, 1, 2]);
    expect(sampleValue(samples, 'ragfolio_http_request_duration_seconds_sum', { route: '/api/ask' })).toBeCloseTo(2.05);
    expect(sampleValue(samples, 'ragfolio_http_errors_total', { route: '/api/ask' })).toBe(1);
    expect(sampleValue(samples, 'ragfolio_answer_duration_seconds_count', { mode: 'sse' })).toBe(1);
    expect(sampleValue(samples, 'process_start_time_seconds', {})).toBe(1_700_000_000);
  });

  it('escapes label values', () => {
    const metrics = createMetrics();
    metrics.observeRequest({ method: 'GET', route: 'a"b\\c\nd', status: 200, seconds: 0 });
    const { samples } = parsePrometheus(metrics.render());
    expect(sampleValue(samples, 'ragfolio_http_requests_total', { route: 'a"b\\c\nd' })).toBe(1);
  });

  it('an empty registry is still valid', () => {
    expect(() => parsePrometheus(createMetrics().render())).not.toThrow();
  });
});
