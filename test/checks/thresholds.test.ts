import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold } from '../../src/checks/shared/thresholds.js';
import { EndpointStats } from '../../src/model/interactions.js';

describe('threshold grammar', () => {
  const valid: [string, { metric: string; kind: string; operator: string; limit: number }][] = [
    ['p95 < 300ms', { metric: 'p95', kind: 'latency', operator: 'lt', limit: 300 }],
    ['p(99.9)<=2s', { metric: 'p99.9', kind: 'latency', operator: 'le', limit: 2000 }],
    ['avg < 120', { metric: 'avg', kind: 'latency', operator: 'lt', limit: 120 }],
    ['mean < 500us', { metric: 'avg', kind: 'latency', operator: 'lt', limit: 0.5 }],
    ['errorRate < 1%', { metric: 'errorRate', kind: 'rate', operator: 'lt', limit: 1 }],
    ['successRate >= 0.995', { metric: 'successRate', kind: 'rate', operator: 'ge', limit: 99.5 }],
    ['requests >= 100', { metric: 'requests', kind: 'count', operator: 'ge', limit: 100 }],
    ['errors == 0', { metric: 'errors', kind: 'count', operator: 'eq', limit: 0 }],
    ['rps > 500/s', { metric: 'rps', kind: 'throughput', operator: 'gt', limit: 500 }],
  ];
  it.each(valid)('parses %s', (source, expected) => {
    expect(parseThreshold(source)).toMatchObject(expected);
  });

  it.each(['p95 < 1%', 'errorRate < 5', 'errorRate < 101%', 'latency < 3s', 'p95 300ms', 'p100 < 1s', 'requests > 1.5', ''])('refuses %j', (source) => {
    expect(() => parseThreshold(source)).toThrow(/invalid threshold/);
  });

  it('evaluates against stats with a sentence that names the metric, the scope and the failures', () => {
    const stats = new EndpointStats();
    for (let i = 0; i < 9; i++) stats.add({ time: '2026-01-01T00:00:00.000Z', checkId: 'c', method: 'GET', url: 'u', endpoint: '/x', status: 200, durationMs: 5, bytesIn: 0, bytesOut: 0 });
    stats.add({ time: '2026-01-01T00:00:00.000Z', checkId: 'c', method: 'GET', url: 'u', endpoint: '/x', status: 503, durationMs: 900, bytesIn: 0, bytesOut: 0 });
    const [rate, p99, p50] = evaluateThresholds(['errorRate < 1%', 'p99 < 500ms', 'p50 < 10ms'].map(parseThreshold), stats, 'overall');
    expect(rate).toMatchObject({ name: 'overall errorRate', operator: 'lt', expected: 1, actual: 10, passed: false, message: 'overall errorRate is 10%, not below 1% (1 of 10 calls failed: 503 x1)' });
    expect(p99).toMatchObject({ passed: false, message: 'overall p99 is 900 ms, not below 500 ms' });
    expect(p50?.passed).toBe(true);
  });
});
