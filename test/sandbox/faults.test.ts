import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FAULTS, FaultSet, UnknownFaultError, validateFaults } from '../../src/sandbox/faults.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { SandboxClient, paymentBody, sandboxWith, useSandbox } from '../support/sandbox.js';
import { FLAKY_EVERY } from '../../src/sandbox/transport/faults.js';

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
    const names = FAULTS.map((fault) => fault.name);
    expect(names).toEqual(expect.arrayContaining(['down', 'no-auth', 'oauth-accepts-bad-secret', 'no-pkce', 'token-never-expires', 'jwt-bad-signature', 'revocation-ignored', 'schema-drift', 'latin1', 'opaque-errors', 'broken-checkout', 'hardcoded-secret', 'pan-in-logs', 'cap-500', 'flaky', 'no-cap', 'no-idempotency', 'slow-api', 'webhook-bad-signature', 'expired-cert', 'legacy-tls', 'no-rate-limit', 'open-allowlist', 'plain-http', 'slow-network', 'weak-cipher', 'weak-headers', 'wrong-host-cert']));
    expect(new Set(names).size).toBe(names.length);
    for (const fault of FAULTS) {
      expect(fault.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(names).toEqual([...names].sort());
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
    expect(set.list()).toEqual(['no-auth']);
    expect(set.on('bearerAuthOff')).toBe(true);
    expect(set.on('apiPortClosed')).toBe(false);
  });

  it('lets every fault install the behaviour it declares, and nothing without a fault', () => {
    const none = new FaultSet();
    expect(none.on('bearerAuthOff')).toBe(false);
    expect(none.apply('webhookSecret', 'whsec_x')).toBe('whsec_x');
    for (const fault of FAULTS) {
      const hooks = typeof fault.hooks === 'function' ? fault.hooks() : fault.hooks;
      expect(Object.keys(hooks), fault.name).not.toHaveLength(0);
    }
  });

  it('applies the steps of the active faults in registry order, whatever order they were named in', () => {
    const set = new FaultSet(['wrong-host-cert', 'expired-cert']);
    expect(set.list()).toEqual(['expired-cert', 'wrong-host-cert']);
    expect(set.apply('certificate', { hostnames: ['127.0.0.1'], daysBefore: 1, daysAfter: 90 })).toEqual({ hostnames: ['api.example.com'], daysBefore: 120, daysAfter: -30 });
  });

  it('gives each sandbox its own state for faults that count requests', () => {
    const first = new FaultSet(['flaky']);
    const second = new FaultSet(['flaky']);
    for (let i = 1; i < FLAKY_EVERY; i++) expect(first.apply('paymentRefusal', undefined)).toBeUndefined();
    expect(first.apply('paymentRefusal', undefined)).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(second.apply('paymentRefusal', undefined)).toBeUndefined();
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
    expect(error.message).toBe(`unknown fault "no-auht" (did you mean "no-auth"?); valid faults: ${FAULTS.map((fault) => fault.name).join(', ')}`);
    expect(error.validNames).toEqual(FAULTS.map((fault) => fault.name));
  });

  it('gives no suggestion for a name that resembles nothing', () => {
    expect(() => validateFaults(['zzz-qqq'])).toThrow(`unknown fault "zzz-qqq"; valid faults: ${FAULTS.map((fault) => fault.name).join(', ')}`);
  });

  it('stops startSandbox before anything is started', async () => {
    await expect(startSandbox({ faults: ['dwon'] })).rejects.toThrow(/did you mean "down"\?/);
  });
});

describe('fault no-auth', async () => {
  const { sandbox, client } = await useSandbox(['no-auth']);

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

describe('fault down', async () => {
  const sandbox = await sandboxWith(['down']);

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

describe('response faults: schema-drift, latin1, opaque-errors', () => {
  async function clientWith(fault: string): Promise<SandboxClient> {
    return (await useSandbox([fault])).client;
  }

  it('schema-drift: the amount comes back as a string and createdAt is gone, on create and on read', async () => {
    const client = await clientWith('schema-drift');
    const token = await client.token();
    const created = await client.send('/v1/payments', { json: paymentBody(), token });
    expect(created.json()['amount']).toEqual({ value: '1050', currency: 'EUR' });
    expect(created.json()).not.toHaveProperty('createdAt');
    const read = await client.send(`/v1/payments/${String(created.json()['id'])}`, { token });
    expect(read.json()).not.toHaveProperty('createdAt');
  });

  it('latin1: JSON labelled ISO-8859-1, with characters outside Latin-1 lost', async () => {
    const client = await clientWith('latin1');
    const token = await client.token();
    const { request } = await import('undici');
    const response = await request(`${client.sandbox.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(paymentBody('4111111111111111', { reference: 'Zoë Łukasz 李雷 🙂' })),
      dispatcher: client.agent,
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    expect(response.headers['content-type']).toBe('application/json; charset=iso-8859-1');
    expect(JSON.parse(bytes.toString('latin1'))).toMatchObject({ reference: 'Zoë ?ukasz ?? ?' });
    // "ë" is one byte (0xEB) in ISO-8859-1, which is not valid UTF-8.
    expect(bytes.includes(Buffer.from([0x5a, 0x6f, 0xeb]))).toBe(true);
  });

  it('opaque-errors: a problem becomes a plain-text stack trace with the same status and headers', async () => {
    const client = await clientWith('opaque-errors');
    const response = await client.send('/v1/payments', { json: paymentBody() });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).toMatch(/^Error: request failed\n\s+at /);
    // OAuth errors keep their RFC 6749 JSON: they are a protocol, not an API error page.
    const token = await client.send('/oauth/token', { form: { grant_type: 'password' }, headers: { authorization: client.basicAuth() } });
    expect(token.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });
});

describe('FAULTS and checks/go-live.yaml', () => {
  it('every check a fault names (caughtBy, alsoFails) is a check of the go-live suite', async () => {
    const { readFileSync } = await import('node:fs');
    const ids = new Set([...readFileSync(new URL('../../checks/go-live.yaml', import.meta.url), 'utf8').matchAll(/^ {2}- id: ([\w-]+)$/gm)].map((m) => m[1]));
    for (const fault of FAULTS) for (const id of [fault.caughtBy, ...(fault.alsoFails ?? [])]) expect(ids, `${fault.name} names ${id}`).toContain(id);
  });
});
