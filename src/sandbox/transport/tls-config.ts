import { DEFAULT_CIPHERS, type SecureVersion } from 'node:tls';
import type { FaultSet } from '../faults.js';
import { validityAround, type ServerCertificateOptions } from './certs.js';

/** TLS settings of the HTTPS API. */
export interface SandboxTlsOptions {
  /** Oldest version accepted. */
  minVersion: SecureVersion;
  /** OpenSSL cipher list (TLS 1.2 and older). */
  ciphers: string;
  /** Prefer the server's cipher order, so strong suites win whenever a client offers them. */
  honorCipherOrder: boolean;
}

/** What the server certificate names and when it is valid, relative to the start of the sandbox. */
export interface CertificatePlan {
  /** Names in the subjectAltName (DNS names and IP literals). */
  hostnames: readonly string[];
  /** Valid from this many days before start (negative: after). */
  daysBefore: number;
  /** Valid until this many days after start (negative: before). */
  daysAfter: number;
}

/** TLS 1.2 and newer with Node's default (strong) cipher list, unless a fault changes them. */
export function tlsOptions(faults: FaultSet): SandboxTlsOptions {
  return faults.apply('tls', { minVersion: 'TLSv1.2', ciphers: DEFAULT_CIPHERS, honorCipherOrder: true });
}

/** The server certificate: valid from an hour ago for 90 days, for `hostnames`, unless a fault changes that. */
export function certificateOptions(faults: FaultSet, hostnames: readonly string[], now: Date = new Date()): ServerCertificateOptions {
  const plan = faults.apply('certificate', { hostnames, daysBefore: 1 / 24, daysAfter: 90 });
  return { hostnames: plan.hostnames, validity: validityAround(now, plan.daysBefore, plan.daysAfter) };
}
