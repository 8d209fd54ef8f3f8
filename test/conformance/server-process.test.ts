import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { selfSigned, requireOpenssl } from './openssl.js';
import { AddressInUse, onFreePorts, requireProgram, startProcess } from './server-process.js';

describe('running third-party server programs', () => {
  it('a missing program fails naming the Debian package to install, not ENOENT', () => {
    expect(() => requireProgram('payready-no-such-server', 'payready-no-such-package')).toThrow(
      'these tests run the real payready-no-such-server, which is not installed: apt-get install payready-no-such-package (.ci/run installs it)',
    );
  });

  it('a program that finds its port taken is told apart (AddressInUse), so the caller can pick another', async () => {
    const cert = selfSigned();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const started = startProcess(requireOpenssl(), ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', cert.cert, '-key', cert.key, '-www'], { name: 'openssl s_server', ready: (output) => /^ACCEPT$/m.test(output) });
      await expect(started).rejects.toBeInstanceOf(AddressInUse);
      await expect(started).rejects.toThrow(/^openssl s_server exited \(code \d+\) before serving: .*Address already in use/s);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });

  it('onFreePorts starts again on fresh ports after AddressInUse, and gives up after five tries', async () => {
    const seen: number[][] = [];
    const ports = await onFreePorts(2, async (p) => {
      seen.push(p);
      if (seen.length < 3) throw new AddressInUse('taken');
      return p;
    });
    expect(seen).toHaveLength(3);
    expect(ports).toEqual(seen[2]);
    expect(new Set(ports).size).toBe(2);
    let tries = 0;
    await expect(
      onFreePorts(1, async () => {
        tries += 1;
        throw new AddressInUse('always taken');
      }),
    ).rejects.toThrow('always taken');
    expect(tries).toBe(5);
  });
});
