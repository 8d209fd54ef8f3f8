import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_TARGET_FIELDS, EMBEDDED_UNDECLARED_FIELDS } from '../../src/suite/embedded.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { SandboxClient, useSandbox } from '../support/sandbox.js';

const { sandbox, client } = await useSandbox();

describe('sandbox server', () => {
  it('answers /health with JSON', async () => {
    const response = await client.send('/health');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('sends the security headers and no version on every response, errors included', async () => {
    for (const path of ['/health', '/no-such-endpoint']) {
      const { headers } = await client.send(path);
      expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['cache-control']).toBe('no-store');
      expect(headers['server']).toBe('payready-sandbox');
      expect(headers['x-powered-by']).toBeUndefined();
    }
  });

  it('reports the connection fields of an embedded environment', () => {
    const fields = sandbox.targetFields();
    // merchantAccount is the Adyen dialect's alone (test/sandbox/adyen); payready's sandbox fills the
    // rest, and the fields no environment declares: the control API's URL and token, the webhook secret.
    expect(Object.keys(fields).sort()).toEqual([...EMBEDDED_TARGET_FIELDS.filter((name) => name !== 'merchantAccount'), ...EMBEDDED_UNDECLARED_FIELDS].sort());
    expect(sandbox.baseUrl).toBe(`https://127.0.0.1:${sandbox.port}`);
    expect(sandbox.httpUrl).toBe(`http://127.0.0.1:${sandbox.httpPort}`);
    expect(fields['tokenUrl']).toBe(`${sandbox.baseUrl}/oauth/token`);
    expect(fields['issuer']).toBe(sandbox.baseUrl);
    expect(readFileSync(sandbox.caFile, 'utf8')).toBe(sandbox.caPem);
    expect(sandbox.clientSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('answers an unknown path with a 404 problem', async () => {
    const response = await client.send('/v2/nothing');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 404, code: 'not_found', title: 'Not found' });
    expect(response.json()['type']).toMatch(/^https:\/\//);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const response = await client.send('/health', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('GET, HEAD');
    expect(response.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
  });

  it('refuses a body over 1 MB with a 413 problem', async () => {
    const token = await client.token();
    const response = await client.send('/v1/payments', {
      body: `{"reference":"${'x'.repeat(1024 * 1024)}"}`,
      headers: { 'content-type': 'application/json' },
      token,
    });
    expect(response.status).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('refuses an oversized chunked body (no Content-Length) with a 413 problem', async () => {
    const token = await client.token();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const body = Readable.from((function* () {
      for (let i = 0; i < 20; i++) yield chunk;
    })());
    const response = await request(`${sandbox.baseUrl}/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      dispatcher: client.agent,
    });
    const problem = (await response.body.json()) as Record<string, unknown>;
    expect(response.statusCode).toBe(413);
    expect(problem).toMatchObject({ status: 413, code: 'payload_too_large' });
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await client.send('/health', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String('{"status":"ok"}'.length));
    expect(response.text).toBe('');
  });

  it('refuses malformed JSON with a 400 problem that does not echo the body', async () => {
    const token = await client.token();
    const response = await client.send('/v1/payments', {
      body: '{"paymentMethod":{"number":"4111111111111111",}',
      headers: { 'content-type': 'application/json' },
      token,
    });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ status: 400, code: 'malformed_json' });
    expect(response.text).not.toContain('4111111111111111');
  });

  it('refuses a body that is not declared as JSON with 415', async () => {
    const token = await client.token();
    const response = await client.send('/v1/payments', { body: 'amount=1', headers: { 'content-type': 'text/plain' }, token });
    expect(response.status).toBe(415);
    expect(response.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('redirects plain HTTP to the same path over HTTPS with a 301', async () => {
    const response = await request(`${sandbox.httpUrl}/v1/payments/pay_1?expand=card`, { method: 'GET' });
    await response.body.text();
    expect(response.statusCode).toBe(301);
    expect(response.headers['location']).toBe(`${sandbox.baseUrl}/v1/payments/pay_1?expand=card`);
  });
});

describe('sandbox lifecycle', () => {
  it('closes promptly with a keep-alive connection and a half-sent request open', async () => {
    const own = await startSandbox();
    const agent = new Agent({ connect: { ca: own.caPem }, keepAliveTimeout: 60_000 });
    const first = await request(`${own.baseUrl}/health`, { dispatcher: agent });
    await first.body.text();
    // Headers without their final CRLF: Node's own close() would wait for headersTimeout (60 s).
    const socket = tlsConnect({ host: own.host, port: own.port, ca: own.caPem, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    socket.write('POST /v1/payments HTTP/1.1\r\nHost: localhost\r\n');
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);

    const hang = new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000).unref());
    const outcome = await Promise.race([own.close().then(() => 'closed'), hang]);
    expect(outcome).toBe('closed');
    await socketClosed;
    expect(socket.destroyed).toBe(true);
    expect(existsSync(own.caFile)).toBe(false);
    await expect(own.close()).resolves.toBeUndefined();
    await agent.close();
  });

  it('keeps a caller-given state dir and writes the CA file into it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'payready-sandbox-test-'));
    try {
      const own = await startSandbox({ stateDir: join(dir, 'nested') });
      expect(own.caFile).toBe(join(dir, 'nested', 'ca.pem'));
      await own.close();
      expect(readFileSync(join(dir, 'nested', 'ca.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses the given client credentials', async () => {
    const own = await startSandbox({ clientId: 'team-client', clientSecret: 'team secret:with/odd+chars' });
    const ownClient = new SandboxClient(own);
    try {
      expect(own.clientId).toBe('team-client');
      const token = await ownClient.token();
      expect(token.split('.')).toHaveLength(3);
    } finally {
      await ownClient.close();
      await own.close();
    }
  });

  it('fails with EADDRINUSE when the port is taken', async () => {
    await expect(startSandbox({ port: sandbox.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
