import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { httpServer } from './servers.js';

describe('ip-allowlist check against the real sandbox', () => {
  const probe = { url: '${target.baseUrl}/health', sourceAddress: '${target.outsideAddress}' };
  const cases: CheckCase[] = [
    { name: 'a request from 127.0.0.2 is refused with 403, the allowlisted one gets through', params: probe, status: 'pass', summary: /^GET \/health: 127\.0\.0\.2 403, allowlisted source 200$/ },
    { name: 'fault open-allowlist: 127.0.0.2 gets through', faults: ['open-allowlist'], params: probe, status: 'fail', summary: /^GET \/health from 127\.0\.0\.2 \(outside the allowlist\) got 200: restrict API access to allowlisted source addresses$/ },
    { name: 'an allowlisted address given as the outside one fails', params: { ...probe, sourceAddress: '127.0.0.1' }, status: 'fail', summary: /^GET \/health from 127\.0\.0\.1 \(outside the allowlist\) got 200/ },
    { name: 'an "allowlisted" address that is refused too is an error, not a pass', params: { ...probe, allowedSourceAddress: '127.0.0.3' }, status: 'error', summary: /^GET \/health: the allowlisted source from 127\.0\.0\.3 was refused too \(403\): run this check from an allowlisted address$/ },
    { name: 'a source address this machine does not have is an error', params: { ...probe, sourceAddress: '192.0.2.10' }, status: 'error', summary: /^GET \/health: cannot send from 192\.0\.2\.10: .*EADDRNOTAVAIL.*\(is it an address of this machine\?\)$/ },
    { name: 'fault down: error', faults: ['down'], params: probe, status: 'error', summary: /connection refused/ },
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
    expect(outcome.summary).toMatch(/^GET \/: 127\.0\.0\.2 refused at connection level \((closed|reset)\), allowlisted source 200$/);
  });
});
