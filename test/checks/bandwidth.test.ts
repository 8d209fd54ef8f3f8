import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { httpServer } from './servers.js';

describe('bandwidth check against the real sandbox', () => {
  const both = { downloadUrl: '${target.downloadUrl}', uploadUrl: '${target.uploadUrl}' };
  const cases: CheckCase[] = [
    { name: 'download and upload of 10 MB each are far above 1 Mbps', params: both, status: 'pass', message: 'fast', data: { min: 1 }, summary: /^download [\d.]+ Mbps \(9\.5 MB in [\d.]+ m?s\), upload [\d.]+ Mbps \(9\.5 MB in [\d.]+ m?s\); at least 1 Mbps$/ },
    {
      name: 'fault slow-network: both directions at 0.5 Mbps fail within the time bound',
      faults: ['slow-network'],
      params: { ...both, maxSeconds: 1 },
      status: 'fail',
      message: 'bothSlow',
      data: { min: 1 },
      summary: /^download 0\.\d+ Mbps and upload 0\.\d+ Mbps are below the 1 Mbps minimum with 127\.0\.0\.1:\d+: the network path must carry at least 1 Mbps$/,
    },
    { name: 'fault slow-network: download only', faults: ['slow-network'], params: { downloadUrl: '${target.downloadUrl}', maxSeconds: 1 }, status: 'fail', message: 'slow', data: { direction: 'download', min: 1 }, summary: /^download 0\.\d+ Mbps is below the 1 Mbps minimum \([\d.]+ KB in 1 s, time bound reached, with 127\.0\.0\.1:\d+\)/ },
    { name: 'a threshold above what loopback carries fails', params: { downloadUrl: '${target.downloadUrl}', minMbps: 10_000_000 }, status: 'fail', message: 'slow', data: { direction: 'download', min: 10_000_000 } },
    { name: 'upload only', params: { uploadUrl: '${target.uploadUrl}', maxBytes: 2_000_000 }, status: 'pass', message: 'fast', summary: /^upload [\d.]+ Mbps \(1\.9 MB in/ },
    { name: 'a download URL that answers 404 is an error', params: { downloadUrl: '${target.baseUrl}/speed/nowhere' }, status: 'error', message: 'unreachable', data: { direction: 'download' }, summary: /^download from 127\.0\.0\.1:\d+: https:\/\/127\.0\.0\.1:\d+\/speed\/nowhere answered 404, not a download$/ },
    { name: 'fault down: error, refused', faults: ['down'], params: both, status: 'error', message: 'unreachable', summary: /^download from 127\.0\.0\.1:\d+: connection refused by 127\.0\.0\.1:\d+$/ },
  ];
  checkTable('bandwidth', cases);

  it('a simulated 2 Mbps link (mbps=) fails a 10 Mbps minimum both ways, and names both rates', async () => {
    // The server paces both directions, so neither can be measured faster than 2 Mbps; only the
    // upper side is asserted (a busy machine can only make transfers slower).
    const { outcome } = await runCheck('bandwidth', { downloadUrl: '${target.baseUrl}/speed/down?bytes=50000000&mbps=2', uploadUrl: '${target.uploadUrl}?mbps=2', maxSeconds: 0.5, minMbps: 10 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'bothSlow', data: { min: 10, rates: expect.stringMatching(/^download [\d.]+ Mbps and upload [\d.]+ Mbps$/) } });
    expect(outcome.values?.downloadMbps).toBeLessThan(2.5);
    expect(outcome.values?.uploadMbps).toBeLessThan(2.5);
  });

  it('stops at maxBytes, measures after the first byte, and logs each transfer', async () => {
    const { outcome, interactions } = await runCheck('bandwidth', { downloadUrl: '${target.baseUrl}/speed/down?bytes=50000000', uploadUrl: '${target.uploadUrl}', maxBytes: 3_000_000 });
    expect(outcome.status).toBe('pass');
    const m = Object.fromEntries((outcome.measurements ?? []).map((x) => [x.name, x.value]));
    expect(m['download bytes']).toBeGreaterThanOrEqual(3_000_000);
    expect(m['download bytes']).toBeLessThan(3_000_000 + 1_048_576);
    expect(m['upload bytes']).toBe(3_000_000);
    expect(m['download first byte']).toBeGreaterThan(0);
    expect(outcome.values).toMatchObject({ downloadMbps: expect.any(Number), uploadMbps: expect.any(Number) });
    expect(interactions.overall.requests).toBeGreaterThanOrEqual(2);
  });

  it('a server that never sends a byte ends as an error within the check timeout', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const { outcome } = await runCheck('bandwidth', { downloadUrl: `http://127.0.0.1:${port}/big` }, { timeoutMs: 400 });
      expect(outcome.status).toBe('error');
      expect(outcome.message?.id).toBe('unreachable');
      expect(outcome.summary).toMatch(/^download from 127\.0\.0\.1:\d+: timed out after 400 ms talking to 127\.0\.0\.1:\d+$/);
    } finally {
      server.close();
    }
  });

  it('a download that ends under 64 KB by itself is an error: it measures the round trip, not the link', async () => {
    const url = await httpServer((_req, res) => res.end(Buffer.alloc(1000)));
    const { outcome } = await runCheck('bandwidth', { downloadUrl: url });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatchObject({ id: 'tooSmall', data: { direction: 'download', bytes: '1000 B', minBytes: '64 KB' } });
  });
});
