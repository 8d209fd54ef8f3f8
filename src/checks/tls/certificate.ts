import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { assertion } from '../../model/operators.js';
import type { Assertion, Measurement } from '../../model/outcome.js';
import { plural } from '../../text.js';
import type { Handshake } from './probe.js';
import { say, type Said } from './said.js';
import { WEAK_SIGNATURE, certificateFacts, weakKeyReason, type CertificateFacts } from './x509.js';

const DAY_MS = 86_400_000;
// Verification errors that only concern the dates, which the check judges (and words) itself.
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** What the certificate of a handshake came to. */
export interface CertificateJudgement {
  chain: CertificateFacts[];
  values: { daysToExpiry: number; notAfter: string };
  assertions: Assertion[];
  problems: Said[];
  warnings: Said[];
  measurements: Measurement[];
}

/** Chain trust, host name, dates, key and signatures of the certificate a handshake showed. */
export function judgeCertificate(best: Handshake, o: { servername: string; label: string; minDays: number; now: Date; insecure: boolean }): CertificateJudgement {
  const { label } = o;
  const chain = best.chain.map((der) => certificateFacts(der));
  const leaf = chain[0]!;
  const assertions: Assertion[] = [];
  const problems: Said[] = [];
  const warnings: Said[] = [];
  // Each check: an assertion (passed or not) worded by its message, and the message kept when it fails.
  const judge = (said: Said, make: (message: string) => Assertion, failed: boolean): void => {
    assertions.push(make(say.text(said.id, said.data)));
    if (failed) problems.push(said);
  };

  const chainState = best.chainVerified || (best.verifyError !== undefined && DATE_ERRORS.has(best.verifyError)) ? 'trusted' : (best.verifyError ?? 'untrusted');
  const trust = { label, reason: chainWords(chainState) };
  assertions.push(assertion('certificate chain', 'eq', 'trusted', chainState, say.text('chainUntrusted', trust)));
  if (chainState !== 'trusted') (o.insecure ? warnings : problems).push({ id: o.insecure ? 'chainUntrustedInsecure' : 'chainUntrusted', data: trust });

  const cert = new X509Certificate(best.chain[0]!);
  const matches = isIP(o.servername) ? cert.checkIP(o.servername) !== undefined : cert.checkHost(o.servername) !== undefined;
  judge({ id: 'wrongHost', data: { label, names: leaf.subjectAltName ?? leaf.subject, servername: o.servername } }, (m) => assertion(`certificate matches ${o.servername}`, 'eq', true, matches, m), !matches);

  const notAfter = new Date(leaf.validTo);
  const daysToExpiry = Math.floor((notAfter.getTime() - o.now.getTime()) / DAY_MS);
  const day = leaf.validTo.slice(0, 10);
  const expiry: Said = daysToExpiry < 0 ? { id: 'expired', data: { label, day } } : { id: 'expiresSoon', data: { label, days: plural(daysToExpiry, 'day'), day, min: o.minDays } };
  judge(expiry, (m) => assertion('days to expiry', 'ge', o.minDays, daysToExpiry, m), daysToExpiry < o.minDays);
  const notBefore = new Date(leaf.validFrom);
  if (notBefore.getTime() > o.now.getTime()) {
    judge({ id: 'notYetValid', data: { label, day: leaf.validFrom.slice(0, 10) } }, (m) => assertion('valid from', 'le', o.now.toISOString(), leaf.validFrom, m), true);
  }

  const weakKey = weakKeyReason(leaf);
  judge({ id: 'weakKey', data: { label, reason: weakKey ?? '' } }, (m) => assertion('certificate key', 'eq', 'strong', weakKey ?? 'strong', m), weakKey !== undefined);

  // A root's own signature is never checked (trust in it is configured), but the leaf's always is.
  const weakSigned = chain.filter((c, i) => (i === 0 || !c.selfSigned) && WEAK_SIGNATURE.test(c.signatureAlgorithm)).map((c) => `${c.subject} (${c.signatureAlgorithm})`);
  judge({ id: 'weakSignature', data: { label, certs: weakSigned.join(', ') } }, (m) => assertion('weak signatures in chain', 'eq', [], weakSigned, m), weakSigned.length > 0);

  return {
    chain,
    values: { daysToExpiry, notAfter: leaf.validTo },
    assertions,
    problems,
    warnings,
    measurements: [
      { name: 'days to expiry', value: daysToExpiry, unit: 'days' },
      ...(leaf.keyBits ? [{ name: 'key size', value: leaf.keyBits, unit: 'bits' }] : []),
    ],
  };
}

/** OpenSSL's verification code in words, the code kept for searching. */
function chainWords(code: string): string {
  const words: Record<string, string> = {
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
    SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'missing intermediate or unknown CA',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'issuer not among the trusted roots',
    UNABLE_TO_GET_ISSUER_CERT: 'issuer certificate not found',
    CERT_SIGNATURE_FAILURE: 'bad signature',
    CERT_REVOKED: 'revoked',
  };
  return words[code] ? `${words[code]}, ${code}` : code;
}
