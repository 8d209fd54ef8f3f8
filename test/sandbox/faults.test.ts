import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, FaultSet, UnknownFaultError, validateFaults } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SandboxClient, paymentBody } from './helpers.js';

function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('fault registry', () => {
  it('describes every fault with a section and the check that catches it', () => {
    expect(FAULTS.map((fault) => fault.name)).toEqual(['down', 'expired-cert', 'legacy-tls', 'no-auth', 'no-rate-limit', 'open-allowlist', 'plain-http', 'slow-network', 'weak-cipher', 'weak-headers', 'wrong-host-cert']);
    for (const fault of FAULTS) {
      expect(fault.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(fault.section).toMatch(/^\d\.\d$/);
      expect(fault.caughtBy).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(fault.description.length).toBeGreaterThan(10);
    }
    expect(FAULTS.find((fault) => fault.name === 'no-auth')).toMatchObject({ section: '1.1', caughtBy: 'payments-require-auth' });
    expect(FAULTS.find((fault) => fault.name === 'down')).toMatchObject({ section: '1.2', caughtBy: 'api-port-open' });
  });

  it('accepts known names and drops duplicates', () => {
    expect(() => validateFaults(['no-auth', 'down'])).not.toThrow();
    const set = new FaultSet(['no-auth', 'no-auth']);
    expect(set.has('no-auth')).toBe(true);
    expect(set.has('down')).toBe(false);
    expect(set.list()).toEqual(['no-auth']);
  });

  it('rejects a misspelt name with a did-you-mean and the valid names', () => {
    let caught: unknown;
    try {
      validateFaults(['no-auht']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownFaultError);
    const error = caught as UnknownFaultError;
    expect(error.suggestion).toBe('no-auth');
    expect(error.message).toBe('unknown fault "no-auht" (did you mean "no-auth"?); valid faults: down, expired-cert, legacy-tls, no-auth, no-rate-limit, open-allowlist, plain-http, slow-network, weak-cipher, weak-headers, wrong-host-cert');
    expect(error.validNames).toEqual(['down', 'expired-cert', 'legacy-tls', 'no-auth', 'no-rate-limit', 'open-allowlist', 'plain-http', 'slow-network', 'weak-cipher', 'weak-headers', 'wrong-host-cert']);
  });

  it('gives no suggestion for a name that resembles nothing', () => {
    expect(() => validateFaults(['zzz-qqq'])).toThrow(/^unknown fault "zzz-qqq"; valid faults: down, expired-cert, .*, wrong-host-cert$/);
  });

  it('stops startSandbox before anything is started', async () => {
    await expect(startSandbox({ faults: ['dwon'] })).rejects.toThrow(/did you mean "down"\?/);
  });
});

describe('fault no-auth', () => {
  let sandbox: Sandbox;
  let client: SandboxClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ faults: ['no-auth'] });
    client = new SandboxClient(sandbox);
  });

  afterAll(async () => {
    await client.close();
    await sandbox.close();
  });

  it('accepts a payment without a token', async () => {
    expect(sandbox.faults).toEqual(['no-auth']);
    const response = await client.send('/v1/payments', { json: paymentBody() });
    expect(response.status).toBe(201);
    expect(response.json()).toMatchObject({ status: 'authorised' });
  });

  it('accepts a payment with a garbage token', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody(), token: 'anything' });
    expect(response.status).toBe(201);
  });

  it('still validates the payment', async () => {
    const response = await client.send('/v1/payments', { json: paymentBody('1234') });
    expect(response.status).toBe(422);
  });
});

describe('fault down', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ faults: ['down'] });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('refuses connections to the API port', async () => {
    expect(sandbox.port).toBeGreaterThan(0);
    expect(sandbox.baseUrl).toBe(`https://127.0.0.1:${sandbox.port}`);
    expect(await connectOutcome(sandbox.host, sandbox.port)).toBe('ECONNREFUSED');
    const client = new SandboxClient(sandbox);
    try {
      await expect(client.send('/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await client.close();
    }
  });

  it('keeps the plain-HTTP port up, so only the API port is down', async () => {
    const response = await request(`${sandbox.httpUrl}/health`);
    await response.body.text();
    expect(response.statusCode).toBe(301);
  });
});
