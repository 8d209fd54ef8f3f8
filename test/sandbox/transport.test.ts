import type { X509Certificate } from 'node:crypto';
import { connect } from 'node:tls';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { Allowlist } from '../../src/sandbox/transport/allowlist.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { TokenBuckets } from '../../src/sandbox/transport/rate-limit.js';
import { clientFor, freshSandbox, type SandboxClient } from '../support/sandbox.js';

/** A sandbox of its own for each call (rate limits and pacing start fresh), closed after the file. */
async function sandboxWith(faults: string[] = [], allowlist?: string[]): Promise<{ sandbox: Sandbox; client: SandboxClient }> {
  const sandbox = await freshSandbox({ faults, ...(allowlist ? { allowlist } : {}) });
  return { sandbox, client: clientFor(sandbox) };
}

/** The protocol a TLS handshake with exactly `version` gets, or the error code. */
function handshake(sandbox: Sandbox, version: 'TLSv1' | 'TLSv1.2', ciphers = 'DEFAULT@SECLEVEL=0'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: sandbox.host, port: sandbox.port, minVersion: version, maxVersion: version, ciphers, ca: sandbox.caPem });
    socket.once('secureConnect', () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function peerCertificate(sandbox: Sandbox): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: sandbox.host, port: sandbox.port, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      resolve(socket.getPeerX509Certificate()!);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('speed-test endpoints', () => {
  it('streams exactly the bytes asked for, and reports an upload', async () => {
    const { client } = await sandboxWith();
    const down = await client.send('/speed/down?bytes=100000');
    expect(down.status).toBe(200);
    expect(down.headers['content-length']).toBe('100000');
    expect(down.headers['content-type']).toBe('application/octet-stream');
    expect(down.text.length).toBe(100000);
    const up = await client.send('/speed/up', { method: 'POST', body: Buffer.alloc(300_000), headers: { 'content-type': 'application/octet-stream' } });
    expect(up.status).toBe(200);
    expect(up.json()).toMatchObject({ bytes: 300_000 });
  });

  it('refuses a byte count that is not a whole number in range', async () => {
    const { client } = await sandboxWith();
    for (const bytes of ['-1', 'lots', '1e9', '99999999999999']) {
      const response = await client.send(`/speed/down?bytes=${bytes}`);
      expect(response.status, bytes).toBe(400);
      expect(response.json()).toMatchObject({ code: 'invalid_bytes' });
    }
  });

  it('mbps= simulates a link of that speed; a bad value is a 400', async () => {
    const { client } = await sandboxWith();
    const t0 = performance.now();
    const down = await client.send('/speed/down?bytes=500000&mbps=8');
    expect(down.text.length).toBe(500000);
    expect((performance.now() - t0) / 1000).toBeGreaterThan(0.4);
    for (const mbps of ['0', 'fast', '-3', '1000000']) {
      const response = await client.send(`/speed/down?bytes=10&mbps=${mbps}`);
      expect(response.status, mbps).toBe(400);
      expect(response.json()).toMatchObject({ code: 'invalid_mbps' });
    }
  });

  it('slow-network: downloads trickle at 0.5 Mbps', async () => {
    const { client } = await sandboxWith(['slow-network']);
    const t0 = performance.now();
    const down = await client.send('/speed/down?bytes=31250');
    const seconds = (performance.now() - t0) / 1000;
    expect(down.text.length).toBe(31250);
    expect(seconds).toBeGreaterThan(0.4);
  });
});

describe('rate limit', () => {
  it('token buckets: a burst of `capacity`, then 429 with the seconds until the next token', () => {
    let now = 0;
    const buckets = new TokenBuckets(3, 2, () => now);
    expect([1, 2, 3].map(() => buckets.take('a').allowed)).toEqual([true, true, true]);
    expect(buckets.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take('b').allowed).toBe(true);
    now = 500;
    expect(buckets.take('a')).toEqual({ allowed: true, remaining: 0 });
    now = 10_000;
    expect(buckets.take('a')).toEqual({ allowed: true, remaining: 2 });
  });

  it('the endpoint answers 429 with Retry-After after 20 requests; other endpoints stay unlimited', async () => {
    const { client } = await sandboxWith();
    let count = 0;
    let limited;
    // Sequential requests: a token may come back while they run (1 per second), never 20.
    while (!limited && count < 40) {
      const response = await client.send('/v1/rate-limit');
      count += 1;
      if (response.status === 429) limited = response;
      else expect(response.status).toBe(200);
    }
    expect(count).toBeGreaterThanOrEqual(21);
    expect(count).toBeLessThan(30);
    expect(limited?.headers['retry-after']).toBe('1');
    expect(limited?.headers['content-type']).toMatch(/^application\/problem\+json/);
    for (let i = 0; i < 30; i++) expect((await client.send('/health')).status).toBe(200);
  });

  it('no-rate-limit: never 429', async () => {
    const { client } = await sandboxWith(['no-rate-limit']);
    for (let i = 0; i < 40; i++) expect((await client.send('/v1/rate-limit')).status).toBe(200);
  });
});

describe('IP allowlist', () => {
  it('parses addresses and CIDR ranges, and names a bad entry', () => {
    const list = new Allowlist(['127.0.0.1', '10.1.0.0/16', '2001:db8::/32']);
    expect(['127.0.0.1', '10.1.200.3', '2001:db8::5'].map((a) => list.allows(a))).toEqual([true, true, true]);
    expect(['127.0.0.2', '10.2.0.1', '::1', 'nonsense'].map((a) => list.allows(a))).toEqual([false, false, false, false]);
    expect(() => new Allowlist(['10.0.0.0/33'])).toThrow('"10.0.0.0/33" is not an IP address or CIDR range');
  });

  it('answers 403 to a source outside the allowlist; open-allowlist lets it in', async () => {
    const outside = new Agent({ connect: { rejectUnauthorized: false }, localAddress: '127.0.0.2' });
    try {
      const { sandbox } = await sandboxWith();
      const refused = await request(`${sandbox.baseUrl}/health`, { dispatcher: outside });
      expect(refused.statusCode).toBe(403);
      expect(await refused.body.json()).toMatchObject({ code: 'source_not_allowed', detail: 'Requests from 127.0.0.2 are not on the API\'s IP allowlist.' });
      const open = await sandboxWith(['open-allowlist']);
      const letIn = await request(`${open.sandbox.baseUrl}/health`, { dispatcher: outside });
      await letIn.body.dump();
      expect(letIn.statusCode).toBe(200);
      const widened = await sandboxWith([], ['127.0.0.0/8']);
      const allowed = await request(`${widened.sandbox.baseUrl}/health`, { dispatcher: outside });
      await allowed.body.dump();
      expect(allowed.statusCode).toBe(200);
      expect(widened.sandbox.allowlist).toEqual(['127.0.0.0/8']);
    } finally {
      await outside.close();
    }
  });
});

describe('TLS and HTTP faults', () => {
  it('serves TLS 1.2+ only by default, and TLS 1.0 under legacy-tls', async () => {
    const { sandbox } = await sandboxWith();
    expect(await handshake(sandbox, 'TLSv1')).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
    expect(await handshake(sandbox, 'TLSv1.2')).toMatch(/^TLSv1\.2 ECDHE-ECDSA-/);
    const legacy = await sandboxWith(['legacy-tls']);
    expect(await handshake(legacy.sandbox, 'TLSv1')).toMatch(/^TLSv1 ECDHE-ECDSA-AES/);
  });

  it('weak-cipher: a client offering only a NULL suite gets it; strong clients still get strong suites', async () => {
    const { sandbox } = await sandboxWith(['weak-cipher']);
    expect(await handshake(sandbox, 'TLSv1.2', 'ECDHE-ECDSA-NULL-SHA@SECLEVEL=0')).toBe('TLSv1.2 ECDHE-ECDSA-NULL-SHA');
    expect(await handshake(sandbox, 'TLSv1.2')).toMatch(/^TLSv1\.2 ECDHE-ECDSA-AES\d+-GCM/);
    const plain = await sandboxWith();
    expect(await handshake(plain.sandbox, 'TLSv1.2', 'ECDHE-ECDSA-NULL-SHA@SECLEVEL=0')).toMatch(/HANDSHAKE_FAILURE/);
  });

  it('expired-cert and wrong-host-cert change only the dates or the names', async () => {
    const expired = await peerCertificate((await sandboxWith(['expired-cert'])).sandbox);
    expect(new Date(expired.validTo).getTime()).toBeLessThan(Date.now() - 29 * 86_400_000);
    expect(expired.subjectAltName).toMatch(/IP Address:127\.0\.0\.1/);
    const wrong = await peerCertificate((await sandboxWith(['wrong-host-cert'])).sandbox);
    expect(wrong.subjectAltName).toBe('DNS:api.example.com');
    expect(new Date(wrong.validTo).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
  });

  it('weak-headers: no HSTS or nosniff, cacheable, versions in Server and X-Powered-By', async () => {
    const { client } = await sandboxWith(['weak-headers']);
    const response = await client.send('/health');
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('public, max-age=3600');
    expect(response.headers['server']).toMatch(/^payready-sandbox\/0\.1\.0 Node\.js\/\d+/);
    expect(response.headers['x-powered-by']).toBe('Express/4.17.1');
  });

  it('plain-http: the plain port serves the API unencrypted instead of redirecting', async () => {
    const { sandbox } = await sandboxWith(['plain-http']);
    const response = await request(`${sandbox.httpUrl}/health`);
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ status: 'ok' });
  });
});
