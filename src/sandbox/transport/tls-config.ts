import { DEFAULT_CIPHERS, type SecureVersion } from 'node:tls';
import { validityAround, type ServerCertificateOptions } from './certs.js';
import type { FaultSet } from '../faults.js';

/** The only name the certificate carries under `wrong-host-cert`. */
export const WRONG_HOSTNAME = 'api.example.com';

/** TLS settings of the HTTPS API. */
export interface SandboxTlsOptions {
  /** Oldest version accepted. */
  minVersion: SecureVersion;
  /** OpenSSL cipher list (TLS 1.2 and older). */
  ciphers: string;
  /** Prefer the server's cipher order, so strong suites win whenever a client offers them. */
  honorCipherOrder: boolean;
}

// Suites `weak-cipher` adds after the strong ones (the sandbox key is ECDSA). OpenSSL 3 cannot
// serve EXPORT, RC4, DES or 3DES at all; NULL and anonymous suites are what it can still be
// talked into, at security level 0.
const WEAK_SUITES = ['ECDHE-ECDSA-NULL-SHA', 'AECDH-AES128-SHA', 'AECDH-NULL-SHA'];

/**
 * Protocol and cipher settings per fault. `legacy-tls` needs security level 0 too: OpenSSL 3
 * refuses TLS 1.0/1.1 handshakes (SHA-1 signatures) at its default level even when the version is
 * enabled.
 */
export function tlsOptions(faults: FaultSet): SandboxTlsOptions {
  if (faults.has('legacy-tls')) return { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0', honorCipherOrder: true };
  if (faults.has('weak-cipher')) {
    // The default list ends in exclusions (!aNULL:!eNULL...) that no later entry can undo.
    const strong = DEFAULT_CIPHERS.split(':').filter((entry) => !entry.startsWith('!'));
    return { minVersion: 'TLSv1.2', ciphers: `${[...strong, ...WEAK_SUITES].join(':')}@SECLEVEL=0`, honorCipherOrder: true };
  }
  return { minVersion: 'TLSv1.2', ciphers: DEFAULT_CIPHERS, honorCipherOrder: true };
}

/** Names and validity of the server certificate per fault (`expired-cert`, `wrong-host-cert`). */
export function certificateOptions(faults: FaultSet, hostnames: readonly string[], now: Date = new Date()): ServerCertificateOptions {
  return {
    hostnames: faults.has('wrong-host-cert') ? [WRONG_HOSTNAME] : hostnames,
    // Expired 30 days ago after a 90-day life: the chain stays trusted, only the dates are wrong.
    validity: faults.has('expired-cert') ? validityAround(now, 120, -30) : validityAround(now, 1 / 24, 90),
  };
}
