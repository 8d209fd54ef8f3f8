import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { clientHello, parseServerResponse } from '../../src/checks/tls/weak-ciphers.js';

// The same check against servers we did not write (openssl s_server, nginx): test/conformance/.
const api = { host: '${target.host}', port: '${target.port}' };

describe('tls check against the real sandbox', () => {
  const cases: CheckCase[] = [
    {
      name: 'the sandbox: TLS 1.2 and 1.3 only, strong suites, trusted chain, plain HTTP redirects',
      params: { ...api, httpsOnly: true, httpPort: '${target.httpPort}' },
      status: 'pass',
      message: 'secure',
      data: { parts: 'TLS 1.2, TLS 1.3 only; TLS_AES_256_GCM_SHA384 with X25519, no weak suites; chain trusted, ec prime256v1 ecdsa-with-SHA256, 89 days to expiry; plain HTTP redirects to https' },
    },
    { name: 'fault legacy-tls: TLS 1.0 and 1.1 accepted', faults: ['legacy-tls'], params: api, status: 'fail', message: 'weak', data: { firstId: 'legacyVersions', more: '' }, summary: /^TLS 1\.0 and TLS 1\.1 accepted on 127\.0\.0\.1:\d+: disable TLS 1\.0 and TLS 1\.1 \(accept TLS 1\.2 and newer only\)$/ },
    {
      name: 'fault weak-cipher: NULL and anonymous suites found by the hand-made ClientHello',
      faults: ['weak-cipher'],
      params: api,
      status: 'fail',
      message: 'weak',
      data: { firstId: 'weakCiphers', more: '' },
      // The words are the point: the classes and suites the hand-made ClientHello got accepted.
      summary: /^127\.0\.0\.1:\d+ accepts NULL and anonymous cipher suites \(ECDHE-ECDSA-NULL-SHA: no encryption; AECDH-[\w-]+: no server authentication\): remove them from the server's cipher list$/,
    },
    { name: 'fault expired-cert: names the expiry date', faults: ['expired-cert'], params: api, status: 'fail', message: 'weak', data: { firstId: 'expired', more: '' }, summary: /^the certificate of 127\.0\.0\.1:\d+ expired on \d{4}-\d\d-\d\d: renew it$/ },
    { name: 'fault wrong-host-cert: names what the certificate is for', faults: ['wrong-host-cert'], params: api, status: 'fail', message: 'weak', data: { firstId: 'wrongHost', more: '' }, summary: /^the certificate of 127\.0\.0\.1:\d+ is for DNS:api\.example\.com, not 127\.0\.0\.1: issue it for 127\.0\.0\.1$/ },
    {
      name: 'fault plain-http: the plain port answers instead of redirecting',
      faults: ['plain-http'],
      params: { ...api, verify: ['protocols'], httpsOnly: true, httpPort: '${target.httpPort}' },
      status: 'fail',
      message: 'weak',
      data: { firstId: 'plainHttp', more: '' },
      summary: /^plain HTTP on 127\.0\.0\.1:(\d+) answered 404 instead of redirecting to https: redirect every http:\/\/ request to https:\/\/ or close port \1$/,
    },
    { name: 'a certificate valid for fewer days than required fails', params: { ...api, minDaysToExpiry: 100 }, status: 'fail', message: 'weak', data: { firstId: 'expiresSoon' }, summary: /expires in 89 days \(\d{4}-\d\d-\d\d\), under the 100 required: renew it$/ },
    { name: 'verify: certificate ignores the protocols (legacy-tls)', faults: ['legacy-tls'], params: { ...api, verify: ['certificate'] }, status: 'pass', message: 'secure', data: { parts: 'chain trusted, ec prime256v1 ecdsa-with-SHA256, 89 days to expiry' } },
    { name: 'verify: protocols and ciphers ignore the certificate (expired-cert)', faults: ['expired-cert'], params: { ...api, verify: ['protocols', 'ciphers'] }, status: 'pass', message: 'secure', data: { parts: 'TLS 1.2, TLS 1.3 only; TLS_AES_256_GCM_SHA384 with X25519, no weak suites' } },
    { name: 'a servername the certificate names passes', params: { ...api, servername: 'localhost', verify: ['certificate'] }, status: 'pass', message: 'secure', data: { parts: 'chain trusted, ec prime256v1 ecdsa-with-SHA256, 89 days to expiry' } },
    { name: 'a servername the certificate does not name fails', params: { ...api, servername: 'pay.example.org', verify: ['certificate'] }, status: 'fail', message: 'weak', data: { firstId: 'wrongHost', more: '' }, summary: /is for IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost, not pay\.example\.org/ },
    { name: 'fault down: error, refused connection', faults: ['down'], params: api, status: 'error', message: 'unreachable', summary: /^127\.0\.0\.1:\d+: connection refused by 127\.0\.0\.1:\d+$/ },
    { name: 'a ca file that does not exist is an error', params: { ...api, ca: 'no-such-ca.pem' }, status: 'error', message: 'caUnreadable', data: { file: 'no-such-ca.pem' }, summary: /cannot read the ca file no-such-ca\.pem: no such file/ },
  ];
  checkTable('tls', cases);

  it('a ca file that is missing, a FIFO or a device is a setup error, never a hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payready-tls-ca-'));
    try {
      execFileSync('mkfifo', [join(dir, 'fifo.pem')]);
      symlinkSync('/dev/zero', join(dir, 'zero.pem'));
      for (const [file, reason] of [['missing.pem', 'no such file'], ['fifo.pem', 'it is a FIFO (named pipe); payready reads regular files only'], ['zero.pem', 'it is a character device; payready reads regular files only']]) {
        const { outcome } = await runCheck('tls', { ...api, verify: ['certificate'], ca: join(dir, file!) });
        expect(outcome).toMatchObject({ status: 'error', cause: 'setup', message: { id: 'caUnreadable', data: { file: join(dir, file!) } } });
        expect(outcome.summary).toContain(`cannot read the ca file ${join(dir, file!)}: ${reason}`);
      }
      writeFileSync(join(dir, 'der.pem'), Buffer.from([0x30, 0x82, 0x01, 0x0a]));
      const notPem = await runCheck('tls', { ...api, verify: ['certificate'], ca: join(dir, 'der.pem') });
      expect(notPem.outcome).toMatchObject({ status: 'error', cause: 'setup', message: { id: 'caNotPem', data: { file: join(dir, 'der.pem') } } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without the sandbox CA the chain is not trusted; `ca:` adds it; insecure turns the failure into a warning', async () => {
    const untrusted = await runCheck('tls', { ...api, verify: ['certificate'] }, { target: { ca: undefined } });
    expect(untrusted.outcome.status).toBe('fail');
    expect(untrusted.outcome.message).toMatchObject({ id: 'weak', data: { firstId: 'chainUntrusted' } });
    expect(untrusted.outcome.summary).toMatch(/^the certificate chain of 127\.0\.0\.1:\d+ is not trusted \(missing intermediate or unknown CA, UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    const withCa = await runCheck('tls', { ...api, verify: ['certificate'], ca: '${target.caFile}' }, { target: { ca: undefined } });
    expect(withCa.outcome.status, withCa.outcome.summary).toBe('pass');
    const insecure = await runCheck('tls', { ...api, verify: ['certificate'] }, { target: { ca: undefined, insecure: true } });
    expect(insecure.outcome.status).toBe('warn');
    expect(insecure.outcome.message).toMatchObject({ id: 'chainUntrustedInsecure', data: { reason: 'missing intermediate or unknown CA, UNABLE_TO_VERIFY_LEAF_SIGNATURE' } });
    expect(insecure.outcome.summary).toMatch(/\(the environment has insecure: true\)$/);
  });

  it('keeps the handshake facts and the chain as evidence, and values for capture', async () => {
    const { outcome, sandbox } = await runCheck('tls', { ...api, httpsOnly: true, httpPort: '${target.httpPort}' });
    const facts = JSON.parse(String(outcome.artifacts?.find((a) => a.name === 'handshake.json')?.data));
    expect(facts.versions).toMatchObject({ TLSv1: expect.stringMatching(/^refused: TLS: .*protocol version/), 'TLSv1.1': expect.stringMatching(/^refused/), 'TLSv1.2': expect.stringMatching(/^accepted/), 'TLSv1.3': 'accepted (TLS_AES_256_GCM_SHA384)' });
    expect(facts.negotiated).toMatchObject({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', group: 'X25519' });
    expect(Object.keys(facts.weakCiphers)).toEqual(['NULL', 'anonymous', 'EXPORT', 'RC4', 'DES', '3DES']);
    expect(facts.chain[0]).toMatchObject({ subject: 'CN=localhost, O=payready', keyType: 'ec', curve: 'prime256v1', signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: false });
    expect(facts.plainHttp).toMatchObject({ verdict: 'redirects to https' });
    const pem = String(outcome.artifacts?.find((a) => a.name === 'chain.pem')?.data);
    expect(pem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(pem).toContain(sandbox.caPem.trim().split('\n')[1]);
    expect(outcome.values).toMatchObject({ versions: ['TLSv1.2', 'TLSv1.3'], protocol: 'TLSv1.3', group: 'X25519', daysToExpiry: 89 });
    expect(outcome.assertions?.every((a) => a.passed)).toBe(true);
  });
});

describe('hand-made ClientHello', () => {
  it('is a TLS handshake record offering exactly the suites given, with SNI for names only', () => {
    const hello = clientHello([0x000a, 0xc012], 'api.example.com');
    expect([...hello.subarray(0, 3)]).toEqual([22, 3, 1]);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1);
    const suitesAt = 5 + 4 + 2 + 32 + 1;
    expect(hello.readUInt16BE(suitesAt)).toBe(6);
    expect([hello.readUInt16BE(suitesAt + 2), hello.readUInt16BE(suitesAt + 4), hello.readUInt16BE(suitesAt + 6)]).toEqual([0x000a, 0xc012, 0x00ff]);
    expect(hello.includes(Buffer.from('api.example.com'))).toBe(true);
    expect(clientHello([0x000a], '127.0.0.1').includes(Buffer.from('127.0.0.1'))).toBe(false);
  });

  it('reads a ServerHello, an alert, and tells garbage and short reads apart', () => {
    const serverHello = Buffer.from([22, 3, 3, 0, 42, 2, 0, 0, 38, 3, 3, ...new Array(32).fill(7), 0, 0xc0, 0x12, 0]);
    expect(parseServerResponse(serverHello)).toEqual({ kind: 'hello', version: 0x0303, suite: 0xc012 });
    expect(parseServerResponse(Buffer.from([21, 3, 3, 0, 2, 2, 40]))).toEqual({ kind: 'alert', description: 40 });
    expect(parseServerResponse(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).toEqual({ kind: 'garbage' });
    expect(parseServerResponse(Buffer.from([22, 3, 3, 0]))).toEqual({ kind: 'incomplete' });
  });
});

