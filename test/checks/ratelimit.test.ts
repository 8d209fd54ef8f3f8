import { describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { httpServer } from './servers.js';
import { parseRetryAfter } from '../../src/checks/ratelimit/run.js';

describe('ratelimit check against the real sandbox', () => {
  const cases: CheckCase[] = [
    {
      name: 'the declared limit of 20 is enforced with 429 + Retry-After, and lifts after waiting',
      params: { url: '${target.rateLimitUrl}', expectLimit: '${target.rateLimit}' },
      status: 'pass',
      message: 'recovered',
      data: { label: 'GET /v1/rate-limit', retryAfter: 1, status: 200 },
      summary: /^GET \/v1\/rate-limit: 429 at request 2[0-2] of 2[0-3] \([\d.]+ m?s\), Retry-After 1 s, 200 again after waiting$/,
    },
    {
      name: 'fault no-rate-limit: the burst never meets a 429',
      faults: ['no-rate-limit'],
      params: { url: '${target.rateLimitUrl}', expectLimit: '${target.rateLimit}' },
      status: 'fail',
      message: 'noLimit',
      data: { sent: 23, declared: ' (declared limit 20)' },
    },
    {
      name: 'fault no-rate-limit without a declared limit: bounded by maxRequests',
      faults: ['no-rate-limit'],
      params: { url: '${target.rateLimitUrl}', maxRequests: 50, concurrency: 5 },
      status: 'fail',
      message: 'noLimit',
      data: { sent: 50, declared: '' },
    },
    { name: 'fault down: error', faults: ['down'], params: { url: '${target.rateLimitUrl}' }, status: 'error', message: 'burstStopped', summary: /connection refused/ },
  ];
  checkTable('ratelimit', cases);
});

/** A server that limits after `limit` requests, answering 429 with `retryAfter` (or none). */
function limiter(limit: number, retryAfter: (() => string) | undefined, lifts: boolean): (req: IncomingMessage, res: ServerResponse) => void {
  let count = 0;
  let limitedUntil = 0;
  return (_req, res) => {
    count += 1;
    const now = Date.now();
    if (count > limit && (limitedUntil === 0 || now < limitedUntil || !lifts)) {
      if (limitedUntil === 0) limitedUntil = now + 1000;
      res.writeHead(429, retryAfter ? { 'retry-after': retryAfter() } : {});
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  };
}

describe('ratelimit check against other servers', () => {
  it('a 429 past the declared limit fails and names where it came', async () => {
    const url = await httpServer(limiter(11, () => '1', true));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 10, tolerance: 1, concurrency: 1 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toEqual({ id: 'late', data: { label: 'GET /', limitedAt: 12, expectLimit: 10, tolerance: 1, more: '' } });
    expect(outcome.summary).toBe('GET /: first 429 at request 12, past the declared limit 10 (+1): enforce the declared limit');
    expect(outcome.values).toMatchObject({ limitedAt: 12, sent: 12 });
  });

  it('a late 429 with an unreadable Retry-After names the first problem and counts the other', async () => {
    const url = await httpServer(limiter(11, () => 'in a while', true));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 10, tolerance: 1, concurrency: 1 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'late', data: { limitedAt: 12, more: ' (and 1 more)' } });
    expect(outcome.assertions?.filter((a) => !a.passed).map((a) => a.name)).toEqual(['request count at first 429', 'retry-after']);
  });

  it('a 429 without Retry-After is a warning: RFC 6585 §4 makes the header optional (nginx limit_req: test/conformance/nginx.test.ts)', async () => {
    const url = await httpServer(limiter(5, undefined, true));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 5, concurrency: 1 });
    expect(outcome.status, outcome.summary).toBe('warn');
    expect(outcome.message).toMatchObject({ id: 'noRetryAfter', data: { label: 'GET /', limitedAt: 6, sent: 6 } });
    expect(outcome.assertions?.find((a) => a.name === 'retry-after')).toMatchObject({ passed: false, actual: undefined });
  });

  it('a 429 with an unreadable Retry-After fails and quotes it', async () => {
    const url = await httpServer(limiter(5, () => 'in a while', true));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 5, concurrency: 1 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toEqual({ id: 'unreadableRetryAfter', data: { label: 'GET /', limitedAt: 6, retryAfter: 'in a while' } });
  });

  it('a limit that does not lift after Retry-After fails', async () => {
    const url = await httpServer(limiter(5, () => '1', false));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 5, concurrency: 2 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toEqual({ id: 'stuck', data: { label: 'GET /', status: 429, retryAfter: 1, before: ' (before the limit: 200)' } });
  });

  it('Retry-After as an HTTP date is understood', async () => {
    const url = await httpServer(limiter(3, () => new Date(Date.now() + 1500).toUTCString(), true));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 3, concurrency: 1 });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'recovered', data: { limitedAt: 4, sent: 4, status: 200, retryAfter: expect.toBeOneOf([1, 2]) } });
  });

  it('a Retry-After longer than the time left is a warning, not a wait', async () => {
    const url = await httpServer(limiter(2, () => '120', true));
    const { outcome } = await runCheck('ratelimit', { url, expectLimit: 2, concurrency: 1 }, { timeoutMs: 5_000 });
    expect(outcome.status).toBe('warn');
    expect(outcome.message).toMatchObject({ id: 'noTimeToRecover', data: { retryAfter: 120 } });
  });

  it('parses Retry-After forms', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
