import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { httpServer } from './servers.js';

describe('ip-allowlist check against the real sandbox', () => {
  const probe = { url: '${target.baseUrl}/health', sourceAddress: '${target.outsideAddress}' };
  const cases: CheckCase[] = [
    { name: 'a request from 127.0.0.2 is refused with 403, the allowlisted one gets through', params: probe, status: 'pass', message: 'refused', data: { source: '127.0.0.2', how: '403', status: 200 }, summary: /^GET \/health: 127\.0\.0\.2 403, allowlisted source 200$/ },
    { name: 'fault open-allowlist: 127.0.0.2 gets through', faults: ['open-allowlist'], params: probe, status: 'fail', message: 'open', data: { from: 'from 127.0.0.2', got: 200 }, summary: /^GET \/health from 127\.0\.0\.2 \(outside the allowlist\) got 200: restrict API access to allowlisted source addresses$/ },
    { name: 'an allowlisted address given as the outside one fails', params: { ...probe, sourceAddress: '127.0.0.1' }, status: 'fail', message: 'open', data: { label: 'GET /health', from: 'from 127.0.0.1', got: 200 } },
    { name: 'an "allowlisted" address that is refused too is an error, not a pass', params: { ...probe, allowedSourceAddress: '127.0.0.3' }, status: 'error', message: 'allowedRefused', data: { status: 403 }, summary: /^GET \/health: the allowlisted source from 127\.0\.0\.3 was refused too \(403\): run this check from an allowlisted address$/ },
    { name: 'a source address this machine does not have is an error', params: { ...probe, sourceAddress: '192.0.2.10' }, status: 'error', message: 'cannotSend', data: { from: 'from 192.0.2.10' }, summary: /^GET \/health: cannot send from 192\.0\.2\.10: .*EADDRNOTAVAIL.*\(is it an address of this machine\?\)$/ },
    { name: 'fault down: error', faults: ['down'], params: probe, status: 'error', message: 'allowedFailed', data: { from: 'from the default address', cause: expect.stringMatching(/^connection refused/) } },
  ];
  checkTable('ip-allowlist', cases);
});

describe('ip-allowlist check against a server that drops outside connections', () => {
  it('a connection closed without an answer counts as refused', async () => {
    const url = await httpServer((req, res) => {
      if (req.socket.remoteAddress === '127.0.0.2') return req.socket.destroy();
      res.end('ok');
    });
    const { outcome } = await runCheck('ip-allowlist', { url, sourceAddress: '127.0.0.2' });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'refused', data: { label: 'GET /', source: '127.0.0.2', how: expect.stringMatching(/^refused at connection level \((closed|reset)\)$/), allowed: 'allowlisted source', status: 200 } });
  });
});
