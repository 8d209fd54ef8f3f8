import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { httpServer } from './servers.js';

describe('headers check against the real sandbox', () => {
  const cases: CheckCase[] = [
    { name: 'the sandbox sends HSTS, no-store, nosniff and no version', params: { url: '${target.baseUrl}/health' }, status: 'pass', message: 'secure', summary: /^GET \/health -> 200: HSTS max-age 31536000, no-store, nosniff, no version disclosed$/ },
    { name: 'an error response (401 on payments) carries them too', params: { url: '${target.baseUrl}/v1/payments/pay_123' }, status: 'pass', message: 'secure', data: { status: 401 } },
    {
      name: 'fault weak-headers: every problem is a finding, the first is the summary',
      faults: ['weak-headers'],
      params: { url: '${target.baseUrl}/health' },
      status: 'fail',
      message: 'weak',
      data: { more: ' (and 4 more)' },
    },
    { name: 'a stricter HSTS minimum fails', params: { url: '${target.baseUrl}/health', minHstsMaxAge: 63072000 }, status: 'fail', message: 'weak', data: { first: 'Strict-Transport-Security "max-age=31536000; includeSubDomains" has a max-age below 63072000 s: send max-age=31536000' } },
    { name: 'fault down: error', faults: ['down'], params: { url: '${target.baseUrl}/health' }, status: 'error', message: 'unreachable', summary: /connection refused/ },
  ];
  checkTable('headers', cases);

  it('lists each weak header as a finding', async () => {
    const { outcome } = await runCheck('headers', { url: '${target.baseUrl}/health' }, { faults: ['weak-headers'] });
    expect(outcome.findings?.map((f) => f.rule)).toEqual(['headers/hsts', 'headers/no-store', 'headers/nosniff', 'headers/version-disclosure', 'headers/version-disclosure']);
    expect(outcome.findings?.map((f) => f.message)).toEqual([
      expect.stringMatching(/^no Strict-Transport-Security/),
      'Cache-Control is "public, max-age=3600": send Cache-Control: no-store so payment data is never cached',
      'X-Content-Type-Options is missing: send X-Content-Type-Options: nosniff',
      expect.stringMatching(/^Server discloses software versions \("payready-sandbox\/0\.1\.0 Node\.js\/[\d.]+"\): remove the version$/),
      'X-Powered-By discloses software versions ("Express/4.17.1"): remove the version or the header',
    ]);
  });
});

describe('headers check against other servers', () => {
  it('no-store is matched as a directive, a Server name without a version is fine', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'strict-transport-security': 'max-age=31536000', 'cache-control': 'private, no-store-when-possible', 'x-content-type-options': 'nosniff', server: 'nginx' });
      res.end('{}');
    });
    const { outcome } = await runCheck('headers', { url });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe('GET /: Cache-Control is "private, no-store-when-possible": send Cache-Control: no-store so payment data is never cached');
    const relaxed = await runCheck('headers', { url, requireNoStore: false });
    expect(relaxed.outcome.status, relaxed.outcome.summary).toBe('pass');
  });

  it('a versioned Server header and X-AspNet-Version are version disclosures', async () => {
    const url = await httpServer((_req, res) => {
      res.writeHead(200, { 'strict-transport-security': 'max-age=31536000', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', server: 'Apache/2.4.41 (Ubuntu)', 'x-aspnet-version': '4.0.30319' });
      res.end();
    });
    const { outcome } = await runCheck('headers', { url, method: 'HEAD' });
    expect(outcome.status).toBe('fail');
    expect(outcome.summary).toBe('HEAD /: Server discloses software versions ("Apache/2.4.41 (Ubuntu)"): remove the version (and 1 more)');
  });
});
