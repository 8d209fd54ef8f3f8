import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { assertion } from '../../model/operators.js';
import { legacyCheck, type CheckContext } from '../types.js';
import type { Artifact, Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { FILE_LIMITS, readRegularFile } from '../../files.js';
import { resolveAll } from '../../net/tcp.js';
import { TLS_VERSIONS, probeContext, probeHandshake, versionLabel, type Handshake, type HandshakeResult, type TlsVersion } from './probe.js';
import { WEAK_CIPHER_CLASSES, WEAK_CIPHER_CLASS_NAMES, probeWeakClass, weakClassOfCipher, type WeakCipherClass, type WeakProbeResult } from './weak-ciphers.js';
import { WEAK_SIGNATURE, certificateFacts, toPem, weakKeyReason, type CertificateFacts } from './x509.js';
import { plural } from '../../text.js';

/** What a `tls` check looks at. */
type Aspect = 'protocols' | 'ciphers' | 'certificate';

/** Parameters of the `tls` check type (mirrors `schema`). */
export interface TlsParams {
  /** Host name or IP address. */
  host: string;
  /** TLS port. */
  port: number;
  /** Name for SNI and the certificate match (default: `host`). */
  servername?: string;
  /** Oldest version the server may accept. */
  minVersion: TlsVersion;
  /** The leaf certificate must stay valid at least this many days. */
  minDaysToExpiry: number;
  /** Extra trusted CA file (PEM), relative to the suite file. */
  ca?: string;
  /** Which aspects to judge. */
  verify: Aspect[];
  /** Require the plain-HTTP port to refuse or redirect to https. */
  httpsOnly: boolean;
  /** The plain-HTTP port probed by `httpsOnly`. */
  httpPort: number;
  /** Timeout of each handshake in milliseconds. */
  handshakeTimeoutMs: number;
}

const DAY_MS = 86_400_000;
// Verification errors that only concern the dates, which the check judges (and words) itself.
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const ASPECTS: readonly Aspect[] = ['protocols', 'ciphers', 'certificate'];

export default legacyCheck<TlsParams>({
  name: 'tls',
  description: 'TLS versions accepted (1.0/1.1 refused, 1.2+ offered), weak cipher suites, certificate chain, host name, expiry, key and signature; optionally plain HTTP refused or redirected.',
  // TLS 1.2 or newer with a valid chain (2.1.a), and, with httpsOnly, plain HTTP refused or
  // redirected (1.1.b).
  items: ['1.1.b', '2.1.a'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { type: 'string', minLength: 1, description: 'Host name or IP address.' },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: 443, description: 'TLS port.' },
      servername: { type: 'string', minLength: 1, description: 'Name sent as SNI and matched against the certificate (default: host).' },
      minVersion: { enum: [...TLS_VERSIONS], default: 'TLSv1.2', description: 'Oldest version the server may accept; older ones must be refused and one at or above must be accepted.' },
      minDaysToExpiry: { type: 'integer', minimum: 0, default: 30, description: 'The certificate must stay valid at least this many days.' },
      ca: { type: 'string', minLength: 1, description: 'Extra trusted CA file (PEM, relative to the suite file), added to the system roots and the environment\'s CAs.' },
      verify: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { enum: [...ASPECTS] },
        default: [...ASPECTS],
        description: 'What to judge: protocols (versions), ciphers (weak suites offered or negotiated), certificate (chain, name, expiry, key, signature).',
      },
      httpsOnly: { type: 'boolean', default: false, description: 'Also require the plain-HTTP port to refuse connections or redirect to https.' },
      httpPort: { type: 'integer', minimum: 1, maximum: 65535, default: 80, description: 'Plain-HTTP port probed by httpsOnly.' },
      handshakeTimeoutMs: { type: 'integer', minimum: 1, default: 5000, description: 'Timeout of each connection and handshake in milliseconds.' },
    },
  },
  values: {
    versions: 'TLS versions the server accepted',
    protocol: 'newest negotiated version',
    cipher: 'cipher negotiated at that version',
    group: 'key-exchange group',
    daysToExpiry: 'days until the certificate expires',
    notAfter: 'certificate expiry (ISO 8601)',
  },
  example: { host: '${target.host}', port: 443, minVersion: 'TLSv1.2', minDaysToExpiry: 30, httpsOnly: true },

  async run(params, ctx): Promise<Outcome> {
    const port = params.port ?? 443;
    const verify = new Set(params.verify ?? ASPECTS);
    const minVersion = params.minVersion ?? 'TLSv1.2';
    const servername = params.servername ?? params.host.replace(/^\[|\]$/g, '');
    const label = `${params.host}:${port}`;

    let extraCa: string[];
    let address: string;
    try {
      extraCa = [...ctx.http.transport.trust.extraCa, ...(params.ca ? [await readCa(params.ca, ctx.baseDir)] : [])];
      address = (await resolveAll(params.host, ctx.http.transport.lookup, ctx.signal))[0]!.address;
    } catch (err) {
      if (err instanceof CaFileError) return { status: 'error', cause: 'setup', summary: `${label}: ${err.message}` };
      if (err instanceof NetError) return { status: 'error', summary: `${label}: ${err.message}` };
      throw err;
    }

    const timeoutMs = Math.min(params.handshakeTimeoutMs ?? 5000, ctx.timeoutMs);
    // The client's signal takes any number of listeners; ten probes share it.
    const target = { address, port, servername, timeoutMs, signal: ctx.http.signal };
    const trust = { extraCa };
    // Every probe runs at once: on loopback the whole set takes about as long as one handshake.
    const versions: readonly TlsVersion[] = verify.has('protocols') ? TLS_VERSIONS : [];
    const [versionResults, bestEffort, weakResults, plain] = await Promise.all([
      Promise.all(versions.map((v) => probeHandshake(target, probeContext(v, v, trust)))),
      versions.length === 0 ? probeHandshake(target, probeContext('TLSv1', 'TLSv1.3', trust)) : undefined,
      verify.has('ciphers') ? Promise.all(WEAK_CIPHER_CLASS_NAMES.map((c) => probeWeakClass(c, target).then((r) => [c, r] as const))) : [],
      params.httpsOnly ? probePlainHttp(ctx, params.host, params.httpPort ?? 80, timeoutMs) : undefined,
    ]);

    const all: HandshakeResult[] = bestEffort ? [bestEffort] : versionResults;
    const unreachable = all.find((r) => r.kind === 'unreachable');
    if (unreachable && all.every((r) => r.kind === 'unreachable')) return { status: 'error', summary: `${label}: ${unreachable.error.message}` };
    const accepted = versions.filter((_, i) => versionResults[i]?.kind === 'accepted');
    const handshakes = all.filter((r): r is Handshake => r.kind === 'accepted');
    const best = handshakes[handshakes.length - 1];

    const assertions: Assertion[] = [];
    const problems: string[] = [];
    const warnings: string[] = [];
    const undecided: string[] = [];
    const measurements: Measurement[] = [];
    const facts: Record<string, unknown> = { host: params.host, address, port, servername: isIP(servername) ? undefined : servername };

    if (verify.has('protocols')) {
      const map: Record<string, string> = {};
      versions.forEach((v, i) => {
        const r = versionResults[i]!;
        map[v] = r.kind === 'accepted' ? `accepted (${r.cipher})` : `${r.kind === 'refused' ? 'refused' : 'not probed'}: ${r.error.message}`;
        if (r.kind === 'accepted') measurements.push({ name: `${versionLabel(v)} handshake`, value: r.ms, unit: 'ms' });
        if (r.kind === 'unreachable') undecided.push(`${versionLabel(v)} could not be probed (${r.error.message})`);
      });
      facts.versions = map;
      const minIndex = TLS_VERSIONS.indexOf(minVersion);
      const tooOld = accepted.filter((v) => TLS_VERSIONS.indexOf(v) < minIndex);
      const modern = accepted.filter((v) => TLS_VERSIONS.indexOf(v) >= minIndex);
      const oldWords = tooOld.map(versionLabel).join(' and ');
      assertions.push(assertion(`versions below ${minVersion}`, 'eq', [], tooOld, `${oldWords} accepted on ${label}: disable ${oldWords} (accept ${versionLabel(minVersion)} and newer only)`));
      if (tooOld.length > 0) problems.push(`${oldWords} accepted on ${label}: disable ${oldWords} (accept ${versionLabel(minVersion)} and newer only)`);
      const newest = versionResults[versionResults.length - 1];
      const why = newest && newest.kind !== 'accepted' ? ` (${newest.error.message})` : '';
      const noneMessage = `${label} accepts no ${versionLabel(minVersion)} or newer handshake${why}: enable TLS 1.2 and 1.3`;
      assertions.push(assertion(`versions at or above ${minVersion}`, 'ne', [], modern, noneMessage));
      if (modern.length === 0) problems.push(noneMessage);
    }

    if (best) {
      facts.negotiated = { protocol: best.protocol, cipher: best.cipher, cipherStandardName: best.cipherStandardName, group: best.group, groupBits: best.groupBits };
      measurements.push({ name: 'handshake', value: best.ms, unit: 'ms' });
    } else if (!verify.has('protocols')) {
      const reason = all[0]?.kind === 'refused' ? all[0].error.message : 'no handshake';
      problems.push(`${label} completes no TLS handshake (${reason}): serve TLS 1.2 or newer`);
    }

    if (verify.has('ciphers')) {
      const weak: { cls: WeakCipherClass; cipher: string }[] = [];
      const weakMap: Record<string, string> = {};
      for (const [cls, result] of weakResults as (readonly [WeakCipherClass, WeakProbeResult])[]) {
        weakMap[cls] = describeWeak(result);
        if (result.kind === 'accepted') weak.push({ cls, cipher: result.cipher });
        if (result.kind === 'unreachable') undecided.push(`${cls} suites could not be probed (${result.error.message})`);
      }
      const negotiatedClass = best ? weakClassOfCipher(best.cipher) : undefined;
      if (best && negotiatedClass && !weak.some((w) => w.cls === negotiatedClass)) weak.push({ cls: negotiatedClass, cipher: best.cipher });
      facts.weakCiphers = weakMap;
      const classes = weak.map((w) => w.cls).join(' and ').replace(/ and (?=.* and )/g, ', ');
      const listed = weak.map((w) => `${w.cipher}: ${WEAK_CIPHER_CLASSES[w.cls].why}`).join('; ');
      const message = `${label} accepts ${classes} cipher suites (${listed}): remove them from the server's cipher list`;
      assertions.push(assertion('weak cipher classes accepted', 'eq', [], weak.map((w) => w.cls), message));
      if (weak.length > 0) problems.push(message);
    }

    let chain: CertificateFacts[] = [];
    let certValues: { daysToExpiry: number; notAfter: string } | undefined;
    if (verify.has('certificate') && best) {
      const judged = judgeCertificate(best, { servername, label, minDays: params.minDaysToExpiry ?? 30, now: ctx.clock.now(), insecure: !ctx.http.transport.trust.rejectUnauthorized });
      chain = judged.chain;
      certValues = judged.values;
      assertions.push(...judged.assertions);
      problems.push(...judged.problems);
      warnings.push(...judged.warnings);
      measurements.push(...judged.measurements);
      facts.chainVerified = best.chainVerified;
      if (best.verifyError) facts.verifyError = best.verifyError;
    }
    if (best) facts.chain = chain.length > 0 ? chain : best.chain.map((der) => certificateFacts(der));

    if (plain) {
      facts.plainHttp = plain;
      const message = `plain HTTP on ${params.host}:${params.httpPort ?? 80} ${plain.seen}: redirect every http:// request to https:// or close port ${params.httpPort ?? 80}`;
      assertions.push(assertion(`plain HTTP port ${params.httpPort ?? 80}`, 'in', ['refused', 'redirects to https'], plain.verdict, message));
      if (plain.verdict === 'serves plain HTTP') problems.push(message);
      if (plain.verdict === 'undecided') undecided.push(`plain HTTP port ${params.httpPort ?? 80}: ${plain.seen}`);
    }

    const artifacts: Artifact[] = [{ name: 'handshake.json', mediaType: 'application/json', description: `TLS facts of ${label}: versions, cipher, group, certificate`, data: `${JSON.stringify(facts, null, 2)}\n` }];
    if (best) artifacts.push({ name: 'chain.pem', mediaType: 'application/x-pem-file', description: `certificate chain presented by ${label}`, data: toPem(best.chain) });
    const values = {
      versions: accepted,
      ...(best ? { protocol: best.protocol, cipher: best.cipher, ...(best.group ? { group: best.group } : {}) } : {}),
      ...(certValues ?? {}),
    };
    const base = { assertions, measurements, artifacts, values };
    const more = (list: string[]): string => (list.length > 1 ? ` (and ${list.length - 1} more)` : '');
    if (problems.length > 0) return { ...base, status: 'fail', summary: `${problems[0]}${more(problems)}` };
    if (undecided.length > 0) return { ...base, status: 'error', summary: `${label}: ${undecided[0]}${more(undecided)}` };
    if (warnings.length > 0) return { ...base, status: 'warn', summary: `${warnings[0]}${more(warnings)}` };
    return { ...base, status: 'pass', summary: passSummary(label, verify, accepted, best, chain[0], certValues, plain) };
  },
});

class CaFileError extends Error {}

async function readCa(file: string, baseDir: string): Promise<string> {
  let text: string;
  try {
    // A regular file of at most 1 MiB: a FIFO or device named by mistake is refused, never waited on.
    text = (await readRegularFile(resolve(baseDir, file), FILE_LIMITS.ca)).toString('utf8');
  } catch (err) {
    throw new CaFileError(`cannot read the ca file ${file}: ${(err as Error).message}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new CaFileError(`the ca file ${file} holds no PEM certificate`);
  return text;
}

interface CertificateJudgement {
  chain: CertificateFacts[];
  values: { daysToExpiry: number; notAfter: string };
  assertions: Assertion[];
  problems: string[];
  warnings: string[];
  measurements: Measurement[];
}

/** Chain trust, host name, dates, key and signatures of the certificate a handshake showed. */
function judgeCertificate(best: Handshake, o: { servername: string; label: string; minDays: number; now: Date; insecure: boolean }): CertificateJudgement {
  const chain = best.chain.map((der) => certificateFacts(der));
  const leaf = chain[0]!;
  const assertions: Assertion[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];

  const chainState = best.chainVerified || (best.verifyError !== undefined && DATE_ERRORS.has(best.verifyError)) ? 'trusted' : (best.verifyError ?? 'untrusted');
  const trustMessage = `the certificate chain of ${o.label} is not trusted (${chainWords(chainState)}): serve the full chain from a trusted CA, or add a private CA with ca:`;
  assertions.push(assertion('certificate chain', 'eq', 'trusted', chainState, trustMessage));
  if (chainState !== 'trusted') (o.insecure ? warnings : problems).push(o.insecure ? `${trustMessage} (the environment has insecure: true)` : trustMessage);

  const cert = new X509Certificate(best.chain[0]!);
  const matches = isIP(o.servername) ? cert.checkIP(o.servername) !== undefined : cert.checkHost(o.servername) !== undefined;
  const nameMessage = `the certificate of ${o.label} is for ${leaf.subjectAltName ?? leaf.subject}, not ${o.servername}: issue it for ${o.servername}`;
  assertions.push(assertion(`certificate matches ${o.servername}`, 'eq', true, matches, nameMessage));
  if (!matches) problems.push(nameMessage);

  const notAfter = new Date(leaf.validTo);
  const daysToExpiry = Math.floor((notAfter.getTime() - o.now.getTime()) / DAY_MS);
  const day = leaf.validTo.slice(0, 10);
  const expiryMessage =
    daysToExpiry < 0
      ? `the certificate of ${o.label} expired on ${day}: renew it`
      : `the certificate of ${o.label} expires in ${plural(daysToExpiry, 'day')} (${day}), under the ${o.minDays} required: renew it`;
  assertions.push(assertion('days to expiry', 'ge', o.minDays, daysToExpiry, expiryMessage));
  if (daysToExpiry < o.minDays) problems.push(expiryMessage);
  const notBefore = new Date(leaf.validFrom);
  if (notBefore.getTime() > o.now.getTime()) {
    const message = `the certificate of ${o.label} is not valid before ${leaf.validFrom.slice(0, 10)}: check the server clock or the certificate dates`;
    assertions.push(assertion('valid from', 'le', o.now.toISOString(), leaf.validFrom, message));
    problems.push(message);
  }

  const weakKey = weakKeyReason(leaf);
  const keyMessage = `the certificate of ${o.label} has a weak key: ${weakKey ?? ''}; reissue it with a stronger key`;
  assertions.push(assertion('certificate key', 'eq', 'strong', weakKey ?? 'strong', keyMessage));
  if (weakKey) problems.push(keyMessage);

  // A root's own signature is never checked (trust in it is configured), but the leaf's always is.
  const weakSigned = chain.filter((c, i) => (i === 0 || !c.selfSigned) && WEAK_SIGNATURE.test(c.signatureAlgorithm)).map((c) => `${c.subject} (${c.signatureAlgorithm})`);
  const signatureMessage = `${o.label} serves certificates signed with a broken hash: ${weakSigned.join(', ')}; reissue them with SHA-256 or better`;
  assertions.push(assertion('weak signatures in chain', 'eq', [], weakSigned, signatureMessage));
  if (weakSigned.length > 0) problems.push(signatureMessage);

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

function describeWeak(result: WeakProbeResult): string {
  if (result.kind === 'accepted') return `accepted: ${result.cipher} (${result.version})`;
  if (result.kind === 'refused') return `refused (${result.reason})`;
  return `not probed: ${result.error.message}`;
}

/** What the plain-HTTP port did. */
interface PlainHttp {
  /** `refused`, `redirects to https`, `serves plain HTTP` or `undecided`. */
  verdict: 'refused' | 'redirects to https' | 'serves plain HTTP' | 'undecided';
  /** What was seen, in words. */
  seen: string;
}

async function probePlainHttp(ctx: CheckContext, host: string, port: number, timeoutMs: number): Promise<PlainHttp> {
  const hostPart = isIP(host) === 6 && !host.startsWith('[') ? `[${host}]` : host;
  try {
    const response = await ctx.http.request({ url: `http://${hostPart}:${port}/`, timeoutMs, maxBodyBytes: 64 * 1024 });
    const location = response.header('location');
    if (response.status >= 300 && response.status < 400 && location && /^https:\/\//i.test(location)) return { verdict: 'redirects to https', seen: `redirects (${response.status}) to ${location}` };
    return { verdict: 'serves plain HTTP', seen: `answered ${response.status}${location ? ` with a redirect to ${location}` : ''} instead of redirecting to https` };
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    if (['refused', 'closed', 'reset'].includes(err.kind)) return { verdict: 'refused', seen: err.message };
    // A firewall that drops packets never answers: that also keeps plain HTTP out.
    if (err.kind === 'timeout') return { verdict: 'refused', seen: `no answer (${err.message})` };
    return { verdict: 'undecided', seen: err.message };
  }
}

function passSummary(label: string, verify: Set<Aspect>, accepted: TlsVersion[], best: Handshake | undefined, leaf: CertificateFacts | undefined, cert: { daysToExpiry: number } | undefined, plain: PlainHttp | undefined): string {
  const parts: string[] = [];
  if (verify.has('protocols')) parts.push(`${accepted.map(versionLabel).join(', ')} only`);
  if (best && (verify.has('ciphers') || verify.has('protocols'))) parts.push(`${best.cipher}${best.group ? ` with ${best.group}` : ''}${verify.has('ciphers') ? ', no weak suites' : ''}`);
  if (leaf && cert) parts.push(`chain trusted, ${leaf.keyType}${leaf.curve ? ` ${leaf.curve}` : leaf.keyBits ? ` ${leaf.keyBits}` : ''} ${leaf.signatureAlgorithm}, ${plural(cert.daysToExpiry, 'day')} to expiry`);
  if (plain) parts.push(`plain HTTP ${plain.verdict}`);
  return `${label}: ${parts.join('; ')}`;
}
