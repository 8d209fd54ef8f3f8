import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';

/** What the `tls` check reports about one certificate of a chain. */
export interface CertificateFacts {
  /** Subject distinguished name, one attribute per line joined with ", ". */
  subject: string;
  /** Issuer distinguished name. */
  issuer: string;
  /** subjectAltName as Node prints it, e.g. `DNS:api.example.com, IP Address:127.0.0.1`. */
  subjectAltName?: string;
  /** First instant of validity (ISO 8601). */
  validFrom: string;
  /** Last instant of validity (ISO 8601). */
  validTo: string;
  /** Public key algorithm: rsa, ec, ed25519, ed448, dsa... */
  keyType: string;
  /** Key strength in bits (RSA/DSA modulus, EC curve size). */
  keyBits?: number;
  /** EC curve name, e.g. prime256v1. */
  curve?: string;
  /** Signature algorithm the issuer signed this certificate with, e.g. ecdsa-with-SHA256. */
  signatureAlgorithm: string;
  /** SHA-256 fingerprint. */
  fingerprint256: string;
  /** Serial number (hex). */
  serialNumber: string;
  /** True when subject and issuer are the same (a root). */
  selfSigned: boolean;
}

// Signature algorithm OIDs (RFC 3279, 4055, 5758, 8410) with the names OpenSSL prints.
const SIGNATURE_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsaWithSHA256',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** Signature algorithms whose hash is broken for certificates (collisions are practical). */
export const WEAK_SIGNATURE = /md2|md5|sha1/i;

// Sizes of the curves a server certificate may use; anything else is reported by name only.
const CURVE_BITS: Readonly<Record<string, number>> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, prime192v1: 192, secp224r1: 224 };

/** One DER element: where its content starts and ends. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

function readElement(der: Uint8Array, offset: number): Element {
  const tag = der[offset];
  let length = der[offset + 1];
  if (tag === undefined || length === undefined) throw new Error('truncated DER');
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0);
    start += count;
  }
  if (start + length > der.length) throw new Error('truncated DER');
  return { tag, start, end: start + length };
}

function decodeOid(der: Uint8Array, element: Element): string {
  const parts: number[] = [];
  let value = 0;
  for (let i = element.start; i < element.end; i++) {
    const byte = der[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/**
 * The signature algorithm of a DER certificate (Certificate.signatureAlgorithm, RFC 5280 §4.1.1.2).
 * Node 20's X509Certificate does not expose it, and the field sits at a fixed place: the second
 * element of the outer SEQUENCE, whose first element is the OID.
 */
export function signatureAlgorithmOf(der: Uint8Array): string {
  const outer = readElement(der, 0);
  const tbs = readElement(der, outer.start);
  const algorithm = readElement(der, tbs.end);
  const oid = readElement(der, algorithm.start);
  if (oid.tag !== 0x06) throw new Error('no signature algorithm OID');
  const dotted = decodeOid(der, oid);
  return SIGNATURE_ALGORITHMS[dotted] ?? dotted;
}

/** Facts about one certificate, for assertions and the handshake artifact. */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  const cert = new X509Certificate(der);
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const curve = details.namedCurve;
  const keyBits = details.modulusLength ?? (curve ? CURVE_BITS[curve] : keyType === 'ed25519' ? 256 : keyType === 'ed448' ? 456 : undefined);
  let signatureAlgorithm: string;
  try {
    signatureAlgorithm = signatureAlgorithmOf(der);
  } catch {
    signatureAlgorithm = 'unknown';
  }
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    ...(cert.subjectAltName ? { subjectAltName: cert.subjectAltName } : {}),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    keyType,
    ...(keyBits !== undefined ? { keyBits } : {}),
    ...(curve ? { curve } : {}),
    signatureAlgorithm,
    fingerprint256: cert.fingerprint256,
    serialNumber: cert.serialNumber,
    selfSigned: cert.subject === cert.issuer,
  };
}

/** Why a certificate's key is too weak for a server, or undefined when it is strong enough. */
export function weakKeyReason(facts: CertificateFacts): string | undefined {
  if (facts.keyType === 'rsa' || facts.keyType === 'rsa-pss') {
    return (facts.keyBits ?? 0) < 2048 ? `RSA key of ${facts.keyBits ?? '?'} bits (use at least 2048)` : undefined;
  }
  if (facts.keyType === 'ec') return (facts.keyBits ?? 0) < 256 ? `EC key on ${facts.curve ?? 'an unknown curve'} (use P-256 or stronger)` : undefined;
  if (facts.keyType === 'ed25519' || facts.keyType === 'ed448') return undefined;
  if (facts.keyType === 'dsa') return 'DSA key (use RSA 2048+ or ECDSA P-256+)';
  return `unrecognised key type ${facts.keyType}`;
}

/** The certificates a peer presented, leaf first, as DER (follows `issuerCertificate` until it loops). */
export function peerChain(leaf: DetailedPeerCertificate): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(current.raw);
    current = current.issuerCertificate;
  }
  return chain;
}

/** DER certificates as one PEM text. */
export function toPem(chain: readonly Uint8Array[]): string {
  return chain
    .map((der) => {
      const base64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
      return `-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
    })
    .join('');
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}
