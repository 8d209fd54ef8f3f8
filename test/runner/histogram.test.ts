import { describe, expect, it } from 'vitest';
import { Histogram } from '../../src/runner/histogram.js';
import { EndpointStats, InteractionLog, type Interaction } from '../../src/runner/interactions.js';

describe('Histogram', () => {
  it('gives percentiles within 0.1% of the exact value, without millisecond rounding', () => {
    const h = new Histogram();
    const values = Array.from({ length: 10_000 }, (_, i) => 0.05 + i * 0.0371);
    for (const v of values) h.record(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(0.001);
    }
    expect(h.min).toBe(0.05);
    expect(h.max).toBe(values[values.length - 1]);
    expect(h.count).toBe(10_000);
    expect(h.percentile(50)).not.toBe(Math.round(h.percentile(50)));
  });

  it('keeps microsecond resolution below a millisecond and ignores nonsense', () => {
    const h = new Histogram();
    for (const v of [0.123, 0.456, 0.789, Number.NaN, -1, Number.POSITIVE_INFINITY]) h.record(v);
    expect(h.count).toBe(3);
    expect(h.percentile(50)).toBeCloseTo(0.456, 3);
  });

  it('merges, and an empty histogram answers 0', () => {
    const a = new Histogram();
    const b = new Histogram();
    for (let i = 1; i <= 100; i++) (i % 2 ? a : b).record(i);
    a.merge(b);
    a.merge(new Histogram());
    expect(a.count).toBe(100);
    expect(a.percentile(50)).toBeCloseTo(50, 1);
    expect(a.mean).toBeCloseTo(50.5, 5);
    expect(new Histogram().percentile(95)).toBe(0);
    expect(a.bins(10).reduce((n, bin) => n + bin.count, 0)).toBe(100);
  });
});

function entry(checkId: string, status: number | undefined, extra: Partial<Interaction> = {}): Interaction {
  return { time: '2026-01-01T00:00:00.000Z', checkId, method: 'GET', url: 'https://h/v1/payments/pay_12345678', endpoint: '/v1/payments/{id}', ...(status !== undefined ? { status } : {}), durationMs: 10, bytesIn: 1, bytesOut: 0, ...extra };
}

describe('interaction aggregates', () => {
  it('counts errors as 5xx and no-response, and provoked outcomes as successes', () => {
    const stats = new EndpointStats();
    stats.add(entry('a', 200));
    stats.add(entry('a', 404));
    stats.add(entry('a', 402, { expected: true }));
    stats.add(entry('a', 503));
    stats.add(entry('a', undefined, { error: 'timeout', durationMs: 500 }));
    stats.add(entry('a', undefined, { error: 'timeout', durationMs: 500, expected: true }));
    expect({ requests: stats.requests, successes: stats.successes, clientErrors: stats.clientErrors, errors: stats.errors }).toEqual({ requests: 6, successes: 3, clientErrors: 1, errors: 2 });
    expect([...stats.errorCounts]).toEqual([['503', 1], ['timeout', 1]]);
    // A deliberate timeout's duration is our own timeout, not the API's latency.
    expect(stats.latency.count).toBe(5);
  });

  it('views the run with checks left out or picked, per endpoint', () => {
    const log = new InteractionLog();
    const lines: Interaction[] = [];
    log.pipe((e) => lines.push(e));
    log.record(entry('load', 200));
    log.record(entry('load', 200));
    log.record(entry('pay', 500, { method: 'POST', endpoint: '/v1/payments' }));
    expect(lines).toHaveLength(3);
    expect(log.view().overall.requests).toBe(3);
    expect(log.view({ exclude: ['load'] }).overall.errors).toBe(1);
    expect([...log.view({ include: ['load'] }).endpoints.keys()]).toEqual(['GET /v1/payments/{id}']);
    expect(log.view().checks).toEqual(['load', 'pay']);
    expect(log.forCheck('load')?.requests).toBe(2);
    expect(log.forCheck('nobody')).toBeUndefined();
    expect([...log.endpoints().keys()]).toEqual(['GET /v1/payments/{id}', 'POST /v1/payments']);
  });
});
