import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { httpServer } from './servers.js';
import { useSandbox } from '../support/sandbox.js';
import type { ProgressUpdate } from '../../src/model/outcome.js';
import { openModel } from '../../src/checks/load/run.js';

/** A token from the sandbox with `faults` (the payments API needs one). */
async function tokenFor(faults: string[]): Promise<string> {
  return (await useSandbox(faults)).client.token();
}

const cases: CheckCase[] = [
  {
    name: 'a bounded burst against /health meets the default thresholds',
    params: { url: '${target.baseUrl}/health', requests: 300, connections: 4 },
    status: 'pass',
    message: 'met',
    data: { label: 'GET /health', requests: '300 requests', connections: '4 connections', offered: '', thresholds: expect.stringMatching(/^errorRate 0% < 1%, successRate 100% > 99%, p95 [\d.]+ ms < 500 ms$/) },
  },
  {
    name: 'bounded by duration alone',
    params: { url: '${target.baseUrl}/health', duration: '300ms', connections: 2, thresholds: ['requests >= 1'] },
    status: 'pass',
    message: 'met',
    data: { connections: '2 connections', seconds: expect.stringMatching(/^0\.\d+$/) },
  },
  {
    name: 'an open model at a fixed arrival rate',
    params: { url: '${target.baseUrl}/health', rate: 200, duration: '500ms', thresholds: ['requests == 100'] },
    status: 'pass',
    message: 'met',
    data: { requests: '100 requests', offered: ' at 200 req/s offered' },
  },
  {
    name: 'fault slow-api: p95 far above the threshold',
    faults: ['slow-api'],
    params: { url: '${target.baseUrl}/v1/payments/pay_000000000000000000000000', requests: 16, connections: 4, thresholds: ['p95 < 500ms'] },
    status: 'fail',
    message: 'missed',
    data: { first: expect.stringMatching(/^GET \/v1\/payments\/\{id\} p95 is \d+(\.\d+)? s, not below 500 ms$/), more: '', requests: '16 requests', connections: '4 connections' },
  },
  {
    name: 'a 4xx answer counts against the success rate',
    params: { url: '${target.baseUrl}/v1/payments', requests: 20, connections: 2 },
    status: 'fail',
    message: 'missed',
    data: { first: 'GET /v1/payments successRate is 0%, not above 99%', requests: '20 requests' },
  },
  {
    name: 'a throughput floor that is not met fails',
    params: { url: '${target.baseUrl}/health', requests: 20, connections: 1, rate: 50, thresholds: ['rps > 1000'] },
    status: 'fail',
    message: 'missed',
    data: { first: expect.stringMatching(/^GET \/health rps is [\d,]+ req\/s, not above 1,000 req\/s$/) },
  },
];

describe('load check against the real sandbox', () => {
  checkTable('load', cases, {
    options: () => ({ checkId: 'load-test' }),
    // Every request of the phase is in the interaction log, with its exact latency.
    assert: ({ outcome, interactions }) => expect(interactions.forCheck('load-test')?.requests).toBe(outcome.values?.['requests']),
  });

  it('fault flaky: the 503 share is counted as error frequency', async () => {
    const token = await tokenFor(['flaky']);
    const { outcome } = await runCheck('load', { url: '${target.baseUrl}/v1/payments/pay_000000000000000000000000', headers: { Authorization: `Bearer ${token}` }, requests: 100, thresholds: ['errorRate < 1%'] }, { faults: ['flaky'] });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'missed', data: { first: 'GET /v1/payments/{id} errorRate is 10%, not below 1% (10 of 100 calls failed: 503 x10)', requests: '100 requests' } });
  });

  it('keeps sub-millisecond latencies (no millisecond rounding) and reports progress', async () => {
    const updates: ProgressUpdate[] = [];
    const { outcome } = await runCheck('load', { url: '${target.baseUrl}/health', duration: '700ms', connections: 2, thresholds: ['requests >= 1'] }, { progress: (u) => updates.push(u) });
    const p50 = outcome.measurements?.find((m) => m.name === 'p50')?.value ?? 0;
    expect(p50).toBeGreaterThan(0);
    expect(outcome.measurements?.map((m) => m.name)).toEqual(['requests', 'successRate', 'errorRate', 'p50', 'p90', 'p95', 'p99', 'max', 'avg', 'rps']);
    expect(outcome.measurements?.filter((m) => m.unit === 'ms').some((m) => !Number.isInteger(m.value))).toBe(true);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates[0]!.message).toMatch(/^[\d,]+ requests, [\d,]+ req\/s$/);
    expect(updates[0]!.fraction).toBeGreaterThan(0);
  });

  it('a phase shorter than one progress interval still reports its end: all requests, fraction 1', async () => {
    const updates: ProgressUpdate[] = [];
    const { outcome } = await runCheck('load', { url: '${target.baseUrl}/health', requests: 20, connections: 2, thresholds: ['requests >= 20'] }, { progress: (u) => updates.push(u) });
    expect(outcome.status).toBe('pass');
    expect(updates.at(-1)).toMatchObject({ message: expect.stringMatching(/^20\/20 requests, [\d,]+ req\/s$/), fraction: 1 });
  });

  it('every request refused: error naming the cause', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { outcome } = await runCheck('load', { url: `https://127.0.0.1:${port}/health`, requests: 5, connections: 1 });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toEqual({ id: 'allFailed', data: { label: 'GET /health', cause: `connection refused by 127.0.0.1:${port}`, stopped: '' } });
    // A long phase against a dead endpoint gives up once the first requests all failed. On a
    // schedule (rate) the requests already due when the tenth failure comes are sent too: a busy
    // machine's late event loop finds more of them due (29 seen under a full test run), so the
    // bound is "a few dozen of the 10,000 planned", not an exact count.
    const long = await runCheck('load', { url: `https://127.0.0.1:${port}/health`, requests: 100_000, duration: '20s', connections: 4, rate: 500 });
    expect(long.outcome.status).toBe('error');
    expect(long.outcome.message).toMatchObject({ id: 'allFailed', data: { cause: `connection refused by 127.0.0.1:${port}`, stopped: expect.stringMatching(/^; stopped after [1-9]\d$/) } });
    expect(Number(/\d+$/.exec(String(long.outcome.message?.data?.['stopped']))![0])).toBeGreaterThanOrEqual(10);
    // Closed model: the next request waits for the last answer, so at most connections - 1 more than the ten.
    const closed = await runCheck('load', { url: `https://127.0.0.1:${port}/health`, requests: 100_000, connections: 4 });
    expect(closed.outcome.message).toMatchObject({ id: 'allFailed', data: { stopped: expect.stringMatching(/^; stopped after 1\d$/) } });
  });

  it('closed model: every connection is used, and none ever has more than `pipelining` requests unanswered', async () => {
    // A raw server that answers each request a turn of the event loop after it arrived, so a
    // client that sent more than it may would be caught with them unanswered.
    const unanswered = new Map<number, number>();
    const most = new Map<number, number>();
    const served = new Map<number, number>();
    let next = 0;
    const server = createServer((socket) => {
      const id = next++;
      let buffered = '';
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        let end: number;
        while ((end = buffered.indexOf('\r\n\r\n')) !== -1) {
          buffered = buffered.slice(end + 4);
          unanswered.set(id, (unanswered.get(id) ?? 0) + 1);
          most.set(id, Math.max(most.get(id) ?? 0, unanswered.get(id)!));
          setImmediate(() => {
            unanswered.set(id, unanswered.get(id)! - 1);
            served.set(id, (served.get(id) ?? 0) + 1);
            socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
          });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      for (const pipelining of [1, 3]) {
        unanswered.clear();
        most.clear();
        served.clear();
        const { outcome, interactions } = await runCheck('load', { url, requests: 120, connections: 4, pipelining, thresholds: ['requests == 120'] }, { checkId: 'load-test' });
        expect(outcome.status, outcome.summary).toBe('pass');
        expect(interactions.forCheck('load-test')?.successes).toBe(120);
        expect([...served.values()].reduce((a, b) => a + b, 0)).toBe(120);
        expect(served.size, `connections used with pipelining ${pipelining}`).toBe(4);
        // Never more than `pipelining`; with 3, requests do go out before the answers (undici's
        // default `blocking` held every one back to 1). Exactly 3 at some moment depends on how the
        // first requests fall into TCP reads on a busy machine: at least 2 does not.
        const peak = Math.max(...most.values());
        expect(peak, `requests unanswered on one connection with pipelining ${pipelining}`).toBeLessThanOrEqual(pipelining);
        expect(peak, `requests unanswered on one connection with pipelining ${pipelining}`).toBeGreaterThanOrEqual(Math.min(pipelining, 2));
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('a phase of redirects fails: it measured the redirect, not the endpoint', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(302, { location: '/v2/health' });
      res.end();
    });
    const { outcome } = await runCheck('load', { url, requests: 5, connections: 1 });
    expect(outcome.status, outcome.summary).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'missed', data: { first: 'GET /: 5 of 5 responses were redirects (302 to /v2/health): load-test the final URL, not a redirect', more: '' } });
  });

  it('an answer past the run\'s body limit is a failed call, named as such', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-length': '2048' });
      res.end('x'.repeat(2048));
    });
    const { outcome } = await runCheck('load', { url, requests: 12, connections: 2 }, { maxBodyBytes: 1000 });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.message).toMatchObject({ id: 'allFailed', data: { cause: expect.stringMatching(/^response body from 127\.0\.0\.1:\d+ exceeds the 1,?000 B limit$/) } });
  });

  it('a server that never answers ends within the request timeout', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const { outcome } = await runCheck('load', { url: `http://127.0.0.1:${port}/`, requests: 2, connections: 2, requestTimeoutMs: 300 });
      expect(outcome.status).toBe('error');
      expect(outcome.message).toMatchObject({ id: 'allFailed', data: { cause: expect.stringMatching(/^timed out/) } });
    } finally {
      server.close();
    }
  });
});

describe('the open model\'s schedule', () => {
  it('starts at the phase\'s origin: requests already due when it starts are sent at once, and the phase offers rate x duration', async () => {
    // The phase started 30 ms before the schedule ran (its setup on a busy machine): at 200/s six
    // requests are already due, and all 100 of the 500 ms are still offered.
    const origin = performance.now() - 30;
    const starts: number[] = [];
    let counted = 0;
    await openModel(200, origin, origin + 500, Number.POSITIVE_INFINITY, () => false, () => (counted += 1), async (t0) => {
      starts.push(t0);
    });
    expect(counted).toBe(100);
    expect(starts).toHaveLength(100);
    // Each request's latency counts from its slot on the schedule, not from when it was sent.
    starts.forEach((t0, i) => expect(t0).toBeCloseTo(origin + i * 5, 6));
  });
});
