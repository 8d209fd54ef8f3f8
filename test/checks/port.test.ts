import { describe, expect, it } from 'vitest';
import type { LookupFunction } from 'node:net';
import { checkTable, runCheck, type CheckCase } from './harness.js';

async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('port check against the real sandbox', () => {
  const cases: CheckCase[] = [
    { name: 'the API port is open', params: { host: '${target.host}', ports: ['${target.port}'] }, status: 'pass', message: 'asExpected', data: { host: '127.0.0.1', addresses: '127.0.0.1' }, summary: /^127\.0\.0\.1 \(127\.0\.0\.1\): \d+ open as expected, connect [\d.]+ ms$/ },
    { name: 'the API port and the redirect port are both open', params: { host: '${target.host}', ports: ['${target.port}', { port: '${target.httpPort}', expect: 'open' }] }, status: 'pass', message: 'asExpected', data: { ports: expect.stringMatching(/^\d+ open, \d+ open$/) } },
    { name: 'fault down: the API port refuses connections', faults: ['down'], params: { host: '${target.host}', ports: ['${target.port}'] }, status: 'fail', message: 'wrong', data: { count: 1, problems: expect.stringMatching(/^port \d+: connection refused by 127\.0\.0\.1:\d+$/) } },
    { name: 'a port expected closed that is open fails', params: { host: '${target.host}', ports: [{ port: '${target.port}', expect: 'closed' }] }, status: 'fail', message: 'wrong', data: { count: 1, problems: expect.stringMatching(/^port \d+ is open but must be closed$/) } },
  ];
  checkTable('port', cases);

  it('a closed loopback port expected closed passes', async () => {
    const port = await closedPort();
    const { outcome } = await runCheck('port', { host: '127.0.0.1', ports: [{ port, expect: 'closed' }] });
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'asExpected', data: { ports: `${port} closed`, connect: '' } });
    expect(outcome.assertions?.[0]).toMatchObject({ name: `port ${port}`, expected: 'closed', actual: 'closed', passed: true });
  });

  it('lists every resolved address and names a name that does not resolve (injected resolver, no real DNS)', async () => {
    const { resolveAll } = await import('../../src/net/tcp.js');
    const dualStack: LookupFunction = ((_host: string, _opts: unknown, cb: (err: Error | null, addresses: { address: string; family: number }[]) => void) =>
      cb(null, [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ])) as unknown as LookupFunction;
    expect(await resolveAll('api.payready.test', dualStack)).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    const nxdomain: LookupFunction = ((host: string, _opts: unknown, cb: (err: NodeJS.ErrnoException | null) => void) => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }))) as unknown as LookupFunction;
    await expect(resolveAll('nowhere.payready.test', nxdomain)).rejects.toThrow('name not resolved: nowhere.payready.test (ENOTFOUND)');
  });
});
