import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const DAY_MS = 24 * 60 * 60 * 1000;
// ECDSA P-256: key generation and signing take a millisecond or two, so the sandbox starts fast.
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** When a certificate is valid. */
export interface Validity {
  /** First instant of validity. */
  notBefore: Date;
  /** Last instant of validity. */
  notAfter: Date;
}

/** What the server certificate names and how long it lives. */
export interface ServerCertificateOptions {
  /** Names in the subjectAltName: DNS names and IP literals (v4 or v6), told apart automatically. */
  hostnames?: readonly string[];
  /** Validity window; default from one hour ago to 90 days ahead. */
  validity?: Validity;
}

/** A certificate authority able to sign server certificates. */
export interface CertificateAuthority {
  /** The CA certificate, PEM. */
  certPem: string;
  /** The parsed CA certificate (issuer of the server certificates it signs). */
  cert: x509.X509Certificate;
  /** The CA's signing key (kept in memory only). */
  keys: CryptoKeyPair;
}

/** A server certificate with its private key, ready for `tls.createServer`. */
export interface ServerCertificate {
  /** The leaf certificate, PEM. */
  certPem: string;
  /** Its private key, PKCS#8 PEM. */
  keyPem: string;
}

/** Names a loopback sandbox answers to. */
export const LOOPBACK_HOSTNAMES: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** Validity from `daysBefore` days ago to `daysAfter` days ahead (negative values move it back). */
export function validityAround(now: Date, daysBefore: number, daysAfter: number): Validity {
  return {
    notBefore: new Date(now.getTime() - daysBefore * DAY_MS),
    notAfter: new Date(now.getTime() + daysAfter * DAY_MS),
  };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

function randomSerial(): string {
  // Positive 16-byte serial: RFC 5280 wants it unique per CA and at most 20 bytes.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** Mints a fresh self-signed CA (10 years, CA:true, pathLen 0). */
export async function mintCertificateAuthority(commonName = 'payready sandbox CA'): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: `CN=${commonName}, O=payready`,
      ...validityAround(now, 1 / 24, 3650),
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  return { certPem: cert.toString('pem'), cert, keys };
}

/** Mints a server certificate signed by `ca` (serverAuth, names and validity as asked). */
export async function mintServerCertificate(
  ca: CertificateAuthority,
  options: ServerCertificateOptions = {},
): Promise<ServerCertificate> {
  const hostnames = options.hostnames ?? LOOPBACK_HOSTNAMES;
  const validity = options.validity ?? validityAround(new Date(), 1 / 24, 90);
  const keys = await generateKeys();
  const altNames: x509.JsonGeneralName[] = hostnames.map((name) => ({
    type: isIP(name) ? 'ip' : 'dns',
    value: name,
  }));
  const commonName = hostnames.find((name) => !isIP(name)) ?? hostnames[0] ?? 'localhost';
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: `CN=${commonName}, O=payready`,
      issuer: ca.cert.subject,
      ...validity,
      publicKey: keys.publicKey,
      signingKey: ca.keys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(altNames, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, webcrypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey, false, webcrypto),
      ],
    },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem'), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
