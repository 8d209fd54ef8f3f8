import { X509Certificate } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { mintCertificateAuthority, mintServerCertificate, validityAround } from '../../src/sandbox/transport/certs.js';
import { sandboxWith } from '../support/sandbox.js';

const DAY_MS = 24 * 60 * 60 * 1000;

const sandbox = await sandboxWith();

interface Handshake {
  authorized: boolean;
  authorizationError: string | undefined;
  protocol: string | null;
  alpn: string | false | null;
  peer: PeerCertificate;
}

function handshake(servername: string | undefined, ca = sandbox.caPem): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: sandbox.host,
      port: sandbox.port,
      ca,
      ...(servername ? { servername } : {}),
      ALPNProtocols: ['h2', 'http/1.1'],
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      resolve({
        authorized: socket.authorized,
        authorizationError: socket.authorizationError?.toString(),
        protocol: socket.getProtocol(),
        alpn: socket.alpnProtocol,
        peer: socket.getPeerCertificate(),
      });
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('sandbox TLS', () => {
  it('presents a chain that verifies against the sandbox CA, by IP and by name', async () => {
    for (const servername of [undefined, 'localhost']) {
      const result = await handshake(servername);
      expect(result.authorized).toBe(true);
      expect(result.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(result.alpn).toBe('http/1.1');
    }
  });

  it('is not trusted without the sandbox CA', async () => {
    const other = await mintCertificateAuthority('someone else');
    const result = await handshake('localhost', other.certPem);
    expect(result.authorized).toBe(false);
    expect(result.authorizationError).toBeTruthy();
  });

  it('serves a 90-day serverAuth certificate for 127.0.0.1, ::1 and localhost', async () => {
    const { peer } = await handshake('localhost');
    const cert = new X509Certificate(peer.raw);
    expect(cert.subjectAltName).toBe('IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.ca).toBe(false);
    const days = (Date.parse(cert.validTo) - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
    expect(cert.checkIssued(new X509Certificate(sandbox.caPem))).toBe(true);
  });

  it('mints its CA with basicConstraints CA:true', () => {
    const ca = new X509Certificate(sandbox.caPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('CN=payready sandbox CA');
  });
});

describe('certificate minting options', () => {
  it('honours a validity window in the past (for an expired-certificate fault)', async () => {
    const ca = await mintCertificateAuthority();
    const now = new Date();
    const minted = await mintServerCertificate(ca, { validity: validityAround(now, 100, -10) });
    const cert = new X509Certificate(minted.certPem);
    expect(Date.parse(cert.validTo)).toBeLessThan(now.getTime());
    expect(minted.keyPem).toContain('BEGIN PRIVATE KEY');
  });

  it('names only the hosts asked for (for a wrong-host fault)', async () => {
    const ca = await mintCertificateAuthority();
    const minted = await mintServerCertificate(ca, { hostnames: ['wrong.example', '10.0.0.1'] });
    const cert = new X509Certificate(minted.certPem);
    expect(cert.subjectAltName).toBe('DNS:wrong.example, IP Address:10.0.0.1');
    expect(cert.checkHost('localhost')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBeUndefined();
  });
});
