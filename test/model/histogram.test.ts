import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Histogram } from '../../src/model/histogram.js';
import { EndpointStats, InteractionLog, type Interaction } from '../../src/model/interactions.js';

/** Nearest-rank percentile of exact samples. */
function exact(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

describe('latency histogram', () => {
  it('gives every percentile within 0.1% (or 1 µs) of the exact value, without millisecond rounding', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.001, max: 60_000, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.constantFrom(50, 90, 95, 99, 99.9), (samples, p) => {
        const h = new Histogram();
        for (const s of samples) h.record(s);
        const want = exact(samples, p);
        expect(Math.abs(h.percentile(p) - want)).toBeLessThanOrEqual(Math.max(0.001, want * 0.001));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps sub-millisecond precision and exact min, max and mean', () => {
    const h = new Histogram();
    for (const ms of [0.25, 0.5, 0.75, 1.234]) h.record(ms);
    expect(h.percentile(50)).toBeCloseTo(0.5, 3);
    expect(h.min).toBe(0.25);
    expect(h.max).toBe(1.234);
    expect(h.mean).toBeCloseTo(0.6835, 6);
    expect(h.count).toBe(4);
  });

  it('merges two histograms as if every sample had been recorded in one', () => {
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 2 ? a : b).record(i * 1.7);
      all.record(i * 1.7);
    }
    a.merge(b);
    for (const p of [1, 50, 95, 99]) expect(a.percentile(p)).toBe(all.percentile(p));
    expect(a.count).toBe(1000);
  });

  it('allocates bucket blocks only for the magnitudes it has seen', () => {
    const h = new Histogram();
    h.record(5);
    const blocks = (h as unknown as { blocks: (Uint32Array | undefined)[] }).blocks.filter(Boolean);
    expect(blocks).toHaveLength(1);
    expect(h.bins(4).reduce((n, bin) => n + bin.count, 0)).toBe(1);
  });
});

describe('Histogram (fixed samples)', () => {
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
