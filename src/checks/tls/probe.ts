import { isIP } from 'node:net';
import { connect, type SecureContext, type SecureVersion } from 'node:tls';
import { NetError, toNetError } from '../../net/errors.js';
import { trustingContext } from '../../net/tls-context.js';
import { peerChain } from './x509.js';

/** The TLS versions a probe can ask for, oldest first (SSLv3 is gone from OpenSSL 3). */
export const TLS_VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const satisfies readonly SecureVersion[];

/** One of `TLS_VERSIONS`. */
export type TlsVersion = (typeof TLS_VERSIONS)[number];

/** "TLS 1.0" for "TLSv1". */
export function versionLabel(version: string): string {
  return version === 'TLSv1' ? 'TLS 1.0' : version.replace(/^TLSv/, 'TLS ');
}

/**
 * Cipher list of every probe below TLS 1.3. OpenSSL 3 (Node 20) refuses TLS 1.0/1.1 and SHA-1
 * signatures at its default security level 1: without `@SECLEVEL=0` a legacy probe fails on our
 * side ("legacy sigalg disallowed") and would wrongly report that the server refused.
 */
export const PROBE_CIPHERS = 'DEFAULT@SECLEVEL=0';

/** Where and how to handshake. */
export interface HandshakeTarget {
  /** IP address to connect to (resolved once by the caller). */
  address: string;
  /** TCP port. */
  port: number;
  /** Name sent as SNI and matched against the certificate; omitted for IP literals (RFC 6066). */
  servername?: string;
  /** Connect plus handshake timeout in milliseconds. */
  timeoutMs: number;
  /** Aborts the probe. */
  signal?: AbortSignal;
}

/** What a completed handshake showed. */
export interface Handshake {
  /** Discriminant. */
  kind: 'accepted';
  /** Negotiated protocol, e.g. TLSv1.3. */
  protocol: string;
  /** Negotiated cipher (OpenSSL name). */
  cipher: string;
  /** IANA name of the cipher. */
  cipherStandardName: string;
  /** Key-exchange group, e.g. X25519 (absent for RSA key exchange). */
  group?: string;
  /** Size of the ephemeral key in bits. */
  groupBits?: number;
  /** Whether OpenSSL verified the chain against the trusted roots. */
  chainVerified: boolean;
  /** OpenSSL's verification error code when it did not, e.g. CERT_HAS_EXPIRED. */
  verifyError?: string;
  /** Certificates the server presented, leaf first (DER). */
  chain: Buffer[];
  /** Milliseconds from connect to the end of the handshake. */
  ms: number;
}

/** The server connected but would not complete this handshake. */
export interface HandshakeRefused {
  /** Discriminant. */
  kind: 'refused';
  /** Why, in words (alert, reset, protocol mismatch). */
  error: NetError;
}

/** No TCP connection: the probe says nothing about TLS. */
export interface HandshakeUnreachable {
  /** Discriminant. */
  kind: 'unreachable';
  /** Why (refused, timeout, unreachable...). */
  error: NetError;
}

/** Outcome of one handshake probe. */
export type HandshakeResult = Handshake | HandshakeRefused | HandshakeUnreachable;

/** Trust for probes: the system roots plus extra CAs. */
export interface ProbeTrust {
  /** Extra CA certificates (PEM) added to the system roots. */
  extraCa: readonly string[];
}

/** One secure context per version range, trusting the system roots plus the extra CAs. */
export function probeContext(minVersion: TlsVersion, maxVersion: TlsVersion, trust: ProbeTrust): SecureContext {
  return trustingContext(trust.extraCa, { minVersion, maxVersion, ciphers: PROBE_CIPHERS });
}

/**
 * Opens one TLS connection with `context`, reports what was negotiated (or why not), and closes
 * it. Verification is never enforced here: the caller judges the chain, name and dates itself so
 * that it can report every problem, not only the first.
 */
export function probeHandshake(target: HandshakeTarget, context: SecureContext): Promise<HandshakeResult> {
  const where = `${isIP(target.address) === 6 ? `[${target.address}]` : target.address}:${target.port}`;
  return new Promise((resolve) => {
    const started = performance.now();
    let tcpConnected = false;
    const socket = connect({
      host: target.address,
      port: target.port,
      ...(target.servername && isIP(target.servername) === 0 ? { servername: target.servername } : {}),
      secureContext: context,
      // Not verification turned off: nothing is sent on this connection, and the tls check fails
      // an untrusted chain from `authorized`/`authorizationError` below (only an environment with
      // `insecure: true` makes that a warning, reported as such). The caller checks the name
      // itself too, so it can report it even when the chain fails as well.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const finish = (result: HandshakeResult): void => {
      clearTimeout(timer);
      target.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const fail = (error: NetError): void => finish(tcpConnected ? { kind: 'refused', error } : { kind: 'unreachable', error });
    const onAbort = (): void => finish({ kind: 'unreachable', error: new NetError('aborted', `aborted while probing ${where}`) });
    const timer = setTimeout(
      () => fail(new NetError('timeout', `timed out after ${target.timeoutMs} ms ${tcpConnected ? 'waiting for the TLS handshake with' : 'connecting to'} ${where}`)),
      target.timeoutMs,
    );
    if (target.signal?.aborted) return onAbort();
    target.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      tcpConnected = true;
    });
    socket.once('error', (err) => fail(toNetError(err, where)));
    socket.once('close', () => fail(new NetError('closed', `${where} closed the connection during the handshake`)));
    socket.once('secureConnect', () => {
      const cipher = socket.getCipher();
      const key = socket.getEphemeralKeyInfo();
      const group = key && 'name' in key && typeof key.name === 'string' ? key.name : undefined;
      const groupBits = key && 'size' in key && typeof key.size === 'number' ? key.size : undefined;
      const verifyError = socket.authorizationError ? String((socket.authorizationError as unknown as { code?: string }).code ?? socket.authorizationError) : undefined;
      finish({
        kind: 'accepted',
        protocol: socket.getProtocol() ?? 'unknown',
        cipher: cipher.name,
        cipherStandardName: cipher.standardName,
        ...(group ? { group } : {}),
        ...(groupBits !== undefined ? { groupBits } : {}),
        chainVerified: socket.authorized,
        ...(verifyError ? { verifyError } : {}),
        chain: peerChain(socket.getPeerCertificate(true)),
        ms: performance.now() - started,
      });
    });
  });
}
