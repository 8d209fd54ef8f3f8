import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../checks/harness.js';
import { opensslVersion, sServer, selfSigned } from './openssl.js';
import { signatureAlgorithmOf } from '../../src/checks/tls/x509.js';

/**
 * The `tls` check against `openssl s_server` (Debian `openssl`): each row is a server
 * configuration and what payready must say about what that real server does. The guideline asks
 * for "TLS 1.2 or newer": a server that refuses TLS 1.2 but speaks TLS 1.3 meets it.
 */

const version = opensslVersion();

interface Row {
  /** What the row shows. */
  name: string;
  /** `openssl s_server` flags. */
  flags: string[];
  /** The RSA 1024 / SHA-1 certificate instead of RSA 2048 / SHA-256. */
  cert?: 'weak';
  /** Extra `tls` parameters. */
  params?: Record<string, unknown>;
  /** Expected status. */
  status: 'pass' | 'fail';
  /** Expected message id (`secure`, or `weak` with the first problem's id in `firstId`). */
  message: string;
  /** Values the message must carry. */
  data?: Record<string, unknown>;
  /** Pattern the summary must match: the words say what the real server did. */
  summary: RegExp;
  /** The `versions` value: what the server really accepted. */
  versions?: string[];
  /** What the hand-made ClientHello learnt about the anonymous suites (handshake.json). */
  anonymous?: RegExp;
}

describe(`tls check against ${version} s_server`, () => {
  const rsa = selfSigned();
  const weak = selfSigned({ key: 'rsa:1024', digest: 'sha1' });
  const seclevel0 = ['-cipher', 'DEFAULT@SECLEVEL=0'];
  const rows: Row[] = [
    {
      name: 'TLS 1.2 and 1.3 (default flags), RSA 2048: pass',
      flags: [],
      status: 'pass',
      message: 'secure',
      summary: /^127\.0\.0\.1:\d+: TLS 1\.2, TLS 1\.3 only; TLS_AES_256_GCM_SHA384 with X25519, no weak suites; chain trusted, rsa 2048 sha256WithRSAEncryption, 5\d days to expiry$/,
      versions: ['TLSv1.2', 'TLSv1.3'],
    },
    {
      name: 'TLS 1.3 only (-tls1_3): refusing TLS 1.2 still meets "TLS 1.2 or newer", pass',
      flags: ['-tls1_3'],
      status: 'pass',
      message: 'secure',
      summary: /^127\.0\.0\.1:\d+: TLS 1\.3 only; TLS_AES_256_GCM_SHA384 with X25519, no weak suites; chain trusted, rsa 2048 sha256WithRSAEncryption, 5\d days to expiry$/,
      versions: ['TLSv1.3'],
    },
    {
      name: 'TLS 1.1 only (-tls1_1): fails naming TLS 1.1, and no TLS 1.2 or newer',
      flags: ['-tls1_1', ...seclevel0],
      status: 'fail',
      message: 'weak',
      data: { firstId: 'legacyVersions', more: ' (and 1 more)' },
      summary: /^TLS 1\.1 accepted on 127\.0\.0\.1:\d+: disable TLS 1\.1 \(accept TLS 1\.2 and newer only\) \(and 1 more\)$/,
      versions: ['TLSv1.1'],
    },
    {
      name: 'TLS 1.0 only (-tls1): fails naming TLS 1.0, and no TLS 1.2 or newer',
      flags: ['-tls1', ...seclevel0],
      status: 'fail',
      message: 'weak',
      data: { firstId: 'legacyVersions', more: ' (and 1 more)' },
      summary: /^TLS 1\.0 accepted on 127\.0\.0\.1:\d+: disable TLS 1\.0 \(accept TLS 1\.2 and newer only\) \(and 1 more\)$/,
      versions: ['TLSv1'],
    },
    {
      name: 'TLS 1.0 only with minVersion TLSv1: the protocol rule passes',
      flags: ['-tls1', ...seclevel0],
      params: { minVersion: 'TLSv1', verify: ['protocols'] },
      status: 'pass',
      message: 'secure',
      summary: /: TLS 1\.0 only; ECDHE-RSA-AES256-SHA with X25519$/,
      versions: ['TLSv1'],
    },
    {
      name: 'an anonymous suite next to a strong one (TLS 1.2, @SECLEVEL=0): fails naming it',
      flags: ['-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384@SECLEVEL=0'],
      status: 'fail',
      message: 'weak',
      data: { firstId: 'weakCiphers', more: '' },
      summary: /^127\.0\.0\.1:\d+ accepts anonymous cipher suites \(ADH-AES256-GCM-SHA384: no server authentication\): remove them from the server's cipher list$/,
      versions: ['TLSv1.2'],
      anonymous: /^accepted: ADH-AES256-GCM-SHA384 \(TLSv1\.2\)$/,
    },
    {
      name: 'every anonymous suite (aNULL@SECLEVEL=0) with TLS 1.3 on: fails naming the NULL and anonymous ones',
      flags: ['-cipher', 'aNULL@SECLEVEL=0'],
      status: 'fail',
      message: 'weak',
      data: { firstId: 'weakCiphers', more: '' },
      summary: /^127\.0\.0\.1:\d+ accepts NULL and anonymous cipher suites \(AECDH-NULL-SHA: no encryption; (ADH|AECDH)-[\w-]+: no server authentication\): remove them from the server's cipher list$/,
      versions: ['TLSv1.3'],
      anonymous: /^accepted: (ADH|AECDH)-[\w-]+ \(TLSv1\.2\)$/,
    },
    {
      name: 'an anonymous suite listed at OpenSSL 3\'s default security level: never negotiated, so not reported',
      flags: ['-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ADH-AES256-GCM-SHA384'],
      status: 'pass',
      message: 'secure',
      summary: /^127\.0\.0\.1:\d+: TLS 1\.2 only; ECDHE-RSA-AES128-GCM-SHA256 with X25519, no weak suites; chain trusted/,
      versions: ['TLSv1.2'],
      anonymous: /^refused \(alert: handshake failure\)$/,
    },
    {
      name: 'a NULL suite next to a strong one (TLS 1.2): fails naming it',
      flags: ['-no_tls1_3', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-NULL-SHA@SECLEVEL=0'],
      status: 'fail',
      message: 'weak',
      data: { firstId: 'weakCiphers' },
      summary: /^127\.0\.0\.1:\d+ accepts NULL cipher suites \(ECDHE-RSA-NULL-SHA: no encryption\)/,
      versions: ['TLSv1.2'],
    },
    {
      name: 'RSA 1024 signed with SHA-1: fails on the key and the signature',
      flags: seclevel0,
      cert: 'weak',
      params: { verify: ['certificate'] },
      status: 'fail',
      message: 'weak',
      data: { firstId: 'weakKey', more: ' (and 1 more)' },
      summary: /has a weak key: RSA key of 1024 bits \(use at least 2048\); reissue it with a stronger key \(and 1 more\)$/,
    },
  ];
  for (const row of rows) {
    it(row.name, async () => {
      const cert = row.cert === 'weak' ? weak : rsa;
      const server = await sServer(cert, row.flags);
      try {
        const { outcome } = await runCheck('tls', { host: '127.0.0.1', port: server.port, ca: cert.cert, ...row.params });
        expect(outcome.status, outcome.summary).toBe(row.status);
        expect(outcome.message?.id, outcome.summary).toBe(row.message);
        if (row.data) expect(outcome.message?.data).toMatchObject(row.data);
        expect(outcome.summary).toMatch(row.summary);
        if (row.versions) expect(outcome.values?.versions).toEqual(row.versions);
        if (row.anonymous) {
          const facts = JSON.parse(String(outcome.artifacts?.find((a) => a.name === 'handshake.json')?.data));
          expect(facts.weakCiphers.anonymous).toMatch(row.anonymous);
        }
      } finally {
        await server.stop();
      }
    });
  }

  it('a self-signed certificate without `ca:` is untrusted; the SHA-1 signature is named', async () => {
    const server = await sServer(weak, seclevel0);
    try {
      const { outcome } = await runCheck('tls', { host: '127.0.0.1', port: server.port, verify: ['certificate'] });
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatchObject({ id: 'weak', data: { firstId: 'chainUntrusted', more: ' (and 2 more)' } });
      expect(outcome.summary).toMatch(/not trusted \(self-signed certificate, DEPTH_ZERO_SELF_SIGNED_CERT\)/);
      const failed = outcome.assertions?.filter((a) => !a.passed).map((a) => a.name);
      expect(failed).toEqual(['certificate chain', 'certificate key', 'weak signatures in chain']);
      expect(outcome.summary).toMatch(/\(and 2 more\)$/);
    } finally {
      await server.stop();
    }
    expect(signatureAlgorithmOf(pemToDer(readFileSync(weak.cert, 'utf8')))).toBe('sha1WithRSAEncryption');
    expect(signatureAlgorithmOf(pemToDer(readFileSync(rsa.cert, 'utf8')))).toBe('sha256WithRSAEncryption');
  });
});

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}
