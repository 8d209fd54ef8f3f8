import { connect, type TLSSocket } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { freshSandbox } from '../../support/sandbox.js';
import { control } from './support.js';

/**
 * PUT /tls switches what NEW connections to the HTTPS API get; a client that trusts the sandbox CA
 * (verification on, Node's defaults otherwise) fails each misbehaving mode with the error a real
 * misconfiguration gives, and succeeds again after `normal`.
 */
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await freshSandbox({ provider: 'stripe' });
});

/** Resolves with the error code of a TLS handshake, or 'ok' when it succeeds. */
function handshake(): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: sandbox.host, port: sandbox.port, ca: sandbox.caPem });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('ok');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve(error.code ?? error.message);
    });
  });
}

function open(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: sandbox.host, port: sandbox.port, ca: sandbox.caPem }, () => resolve(socket));
    socket.once('error', reject);
  });
}

async function setMode(mode: string): Promise<void> {
  expect(await control(sandbox, 'PUT', '/tls', { mode })).toMatchObject({ status: 200, body: { mode } });
}

describe('control API: TLS modes', () => {
  it('fails each mode with its error and recovers after normal', async () => {
    expect(await handshake()).toBe('ok');
    await setMode('untrusted');
    expect(await handshake()).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    await setMode('wrong-host');
    expect(await handshake()).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    await setMode('tls1.1');
    expect(await handshake()).toMatch(/^ERR_SSL_(TLSV1_ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL)$/);
    await setMode('normal');
    expect(await handshake()).toBe('ok');
  });

  it('tls1.1 serves TLS 1.1 to a client that allows it', async () => {
    await setMode('tls1.1');
    try {
      const version = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: sandbox.host, port: sandbox.port, ca: sandbox.caPem, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }, () => {
          resolve(socket.getProtocol() ?? '');
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(version).toBe('TLSv1.1');
    } finally {
      await setMode('normal');
    }
  });

  it('closes open API connections so keep-alive cannot dodge a mode', async () => {
    const socket = await open();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await setMode('untrusted');
    await closed;
    await setMode('normal');
  });

  it('refuses an unknown mode and a missing token', async () => {
    expect((await control(sandbox, 'PUT', '/tls', { mode: 'ssl3' })).status).toBe(400);
    expect((await control(sandbox, 'PUT', '/tls', { mode: 'untrusted' }, null)).status).toBe(401);
    expect(await handshake()).toBe('ok');
  });
});
