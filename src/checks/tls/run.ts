import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { assertion } from '../../model/operators.js';
import type { Artifact, Assertion, Measurement, Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { FILE_LIMITS, readRegularFile } from '../../files.js';
import { resolveAll } from '../../net/tcp.js';
import { plural } from '../../text.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { judgeCertificate } from './certificate.js';
import type { meta } from './meta.js';
import { probePlainHttp, type PlainHttp } from './plain-http.js';
import { TLS_VERSIONS, probeContext, probeHandshake, versionLabel, type Handshake, type HandshakeResult, type TlsVersion } from './probe.js';
import { say, words, type Said } from './said.js';
import { WEAK_CIPHER_CLASSES, WEAK_CIPHER_CLASS_NAMES, probeWeakClass, weakClassOfCipher, type WeakCipherClass, type WeakProbeResult } from './weak-ciphers.js';
import { certificateFacts, toPem, type CertificateFacts } from './x509.js';

type Params = ParamsOf<typeof meta.schema>;

/** What a `tls` check looks at. */
type Aspect = Params['verify'][number];

/** Probes the host's TLS versions, weak suites, certificate and (with httpsOnly) its plain-HTTP port, all at once. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const { port, minVersion, httpPort } = params;
  const verify = new Set(params.verify);
  const servername = params.servername ?? params.host.replace(/^\[|\]$/g, '');
  const label = `${params.host}:${port}`;

  let extraCa: string[];
  let address: string;
  try {
    extraCa = [...ctx.http.transport.trust.extraCa, ...(params.ca ? [await readCa(params.ca, ctx.baseDir)] : [])];
    address = (await resolveAll(params.host, ctx.http.transport.lookup, ctx.signal))[0]!.address;
  } catch (err) {
    if (err instanceof CaFileError) return { ...say.outcome('error', err.said.id, { label, ...err.said.data }), cause: 'setup' };
    if (err instanceof NetError) return say.outcome('error', 'unreachable', { label, cause: err.message });
    throw err;
  }

  const timeoutMs = Math.min(params.handshakeTimeoutMs, ctx.timeoutMs);
  // The client's signal takes any number of listeners; ten probes share it.
  const target = { address, port, servername, timeoutMs, signal: ctx.http.signal };
  const trust = { extraCa };
  // Every probe runs at once: on loopback the whole set takes about as long as one handshake.
  const versions: readonly TlsVersion[] = verify.has('protocols') ? TLS_VERSIONS : [];
  const [versionResults, bestEffort, weakResults, plain] = await Promise.all([
    Promise.all(versions.map((v) => probeHandshake(target, probeContext(v, v, trust)))),
    versions.length === 0 ? probeHandshake(target, probeContext('TLSv1', 'TLSv1.3', trust)) : undefined,
    verify.has('ciphers') ? Promise.all(WEAK_CIPHER_CLASS_NAMES.map((c) => probeWeakClass(c, target).then((r) => [c, r] as const))) : [],
    params.httpsOnly ? probePlainHttp(ctx, params.host, httpPort, timeoutMs) : undefined,
  ]);

  const all: HandshakeResult[] = bestEffort ? [bestEffort] : versionResults;
  const unreachable = all.find((r) => r.kind === 'unreachable');
  if (unreachable && all.every((r) => r.kind === 'unreachable')) return say.outcome('error', 'unreachable', { label, cause: unreachable.error.message });
  const accepted = versions.filter((_, i) => versionResults[i]?.kind === 'accepted');
  const handshakes = all.filter((r): r is Handshake => r.kind === 'accepted');
  const best = handshakes[handshakes.length - 1];

  const assertions: Assertion[] = [];
  const problems: Said[] = [];
  const warnings: Said[] = [];
  const undecided: Said[] = [];
  const measurements: Measurement[] = [];
  const facts: Record<string, unknown> = { host: params.host, address, port, servername: isIP(servername) ? undefined : servername };

  if (verify.has('protocols')) {
    const map: Record<string, string> = {};
    versions.forEach((v, i) => {
      const r = versionResults[i]!;
      map[v] = r.kind === 'accepted' ? `accepted (${r.cipher})` : `${r.kind === 'refused' ? 'refused' : 'not probed'}: ${r.error.message}`;
      if (r.kind === 'accepted') measurements.push({ name: `${versionLabel(v)} handshake`, value: r.ms, unit: 'ms' });
      if (r.kind === 'unreachable') undecided.push({ id: 'versionUnprobed', data: { version: versionLabel(v), cause: r.error.message } });
    });
    facts.versions = map;
    const minIndex = TLS_VERSIONS.indexOf(minVersion);
    const tooOld = accepted.filter((v) => TLS_VERSIONS.indexOf(v) < minIndex);
    const modern = accepted.filter((v) => TLS_VERSIONS.indexOf(v) >= minIndex);
    const legacy: Said = { id: 'legacyVersions', data: { old: tooOld.map(versionLabel).join(' and '), label, min: versionLabel(minVersion) } };
    assertions.push(assertion(`versions below ${minVersion}`, 'eq', [], tooOld, words(legacy)));
    if (tooOld.length > 0) problems.push(legacy);
    const newest = versionResults[versionResults.length - 1];
    const none: Said = { id: 'noModernVersion', data: { label, min: versionLabel(minVersion), why: newest && newest.kind !== 'accepted' ? ` (${newest.error.message})` : '' } };
    assertions.push(assertion(`versions at or above ${minVersion}`, 'ne', [], modern, words(none)));
    if (modern.length === 0) problems.push(none);
  }

  if (best) {
    facts.negotiated = { protocol: best.protocol, cipher: best.cipher, cipherStandardName: best.cipherStandardName, group: best.group, groupBits: best.groupBits };
    measurements.push({ name: 'handshake', value: best.ms, unit: 'ms' });
  } else if (!verify.has('protocols')) {
    problems.push({ id: 'noHandshake', data: { label, reason: all[0]?.kind === 'refused' ? all[0].error.message : 'no handshake' } });
  }

  if (verify.has('ciphers')) {
    const weak: { cls: WeakCipherClass; cipher: string }[] = [];
    const weakMap: Record<string, string> = {};
    for (const [cls, result] of weakResults as (readonly [WeakCipherClass, WeakProbeResult])[]) {
      weakMap[cls] = describeWeak(result);
      if (result.kind === 'accepted') weak.push({ cls, cipher: result.cipher });
      if (result.kind === 'unreachable') undecided.push({ id: 'ciphersUnprobed', data: { weakClass: cls, cause: result.error.message } });
    }
    const negotiatedClass = best ? weakClassOfCipher(best.cipher) : undefined;
    if (best && negotiatedClass && !weak.some((w) => w.cls === negotiatedClass)) weak.push({ cls: negotiatedClass, cipher: best.cipher });
    facts.weakCiphers = weakMap;
    const classes = weak.map((w) => w.cls).join(' and ').replace(/ and (?=.* and )/g, ', ');
    const listed = weak.map((w) => `${w.cipher}: ${WEAK_CIPHER_CLASSES[w.cls].why}`).join('; ');
    const found: Said = { id: 'weakCiphers', data: { label, classes, listed } };
    assertions.push(assertion('weak cipher classes accepted', 'eq', [], weak.map((w) => w.cls), words(found)));
    if (weak.length > 0) problems.push(found);
  }

  let chain: CertificateFacts[] = [];
  let certValues: { daysToExpiry: number; notAfter: string } | undefined;
  if (verify.has('certificate') && best) {
    const judged = judgeCertificate(best, { servername, label, minDays: params.minDaysToExpiry, now: ctx.clock.now(), insecure: !ctx.http.transport.trust.rejectUnauthorized });
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
    const served: Said = { id: 'plainHttp', data: { host: params.host, port: httpPort, seen: plain.seen } };
    assertions.push(assertion(`plain HTTP port ${httpPort}`, 'in', ['refused', 'redirects to https'], plain.verdict, words(served)));
    if (plain.verdict === 'serves plain HTTP') problems.push(served);
    if (plain.verdict === 'undecided') undecided.push({ id: 'plainHttpUndecided', data: { port: httpPort, seen: plain.seen } });
  }

  const artifacts: Artifact[] = [{ name: 'handshake.json', mediaType: 'application/json', description: `TLS facts of ${label}: versions, cipher, group, certificate`, data: `${JSON.stringify(facts, null, 2)}\n` }];
  if (best) artifacts.push({ name: 'chain.pem', mediaType: 'application/x-pem-file', description: `certificate chain presented by ${label}`, data: toPem(best.chain) });
  const values = {
    versions: accepted,
    ...(best ? { protocol: best.protocol, cipher: best.cipher, ...(best.group ? { group: best.group } : {}) } : {}),
    ...(certValues ?? {}),
  };
  const rest = { assertions, measurements, artifacts, values };
  // The first of a list is the summary (its id kept as `firstId`), the rest are counted.
  const firstOf = (list: Said[]) => ({ first: words(list[0]!), firstId: list[0]!.id, more: list.length > 1 ? ` (and ${list.length - 1} more)` : '' });
  if (problems.length > 0) return say.outcome('fail', 'weak', firstOf(problems), rest);
  if (undecided.length > 0) return say.outcome('error', 'undecided', { label, ...firstOf(undecided) }, rest);
  // Only an untrusted chain under insecure: true warns, so there is at most one warning.
  if (warnings.length > 0) return say.outcome('warn', warnings[0]!.id, warnings[0]!.data, rest);
  return say.outcome('pass', 'secure', { label, parts: passParts(verify, accepted, best, chain[0], certValues, plain) }, rest);
}

/** A `ca` file that cannot be used, said with its message. */
class CaFileError extends Error {
  constructor(readonly said: Said) {
    super(said.id);
  }
}

async function readCa(file: string, baseDir: string): Promise<string> {
  let text: string;
  try {
    // A regular file of at most 1 MiB: a FIFO or device named by mistake is refused, never waited on.
    text = (await readRegularFile(resolve(baseDir, file), FILE_LIMITS.ca)).toString('utf8');
  } catch (err) {
    throw new CaFileError({ id: 'caUnreadable', data: { file, reason: (err as Error).message } });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new CaFileError({ id: 'caNotPem', data: { file } });
  return text;
}

function describeWeak(result: WeakProbeResult): string {
  if (result.kind === 'accepted') return `accepted: ${result.cipher} (${result.version})`;
  if (result.kind === 'refused') return `refused (${result.reason})`;
  return `not probed: ${result.error.message}`;
}

function passParts(verify: Set<Aspect>, accepted: TlsVersion[], best: Handshake | undefined, leaf: CertificateFacts | undefined, cert: { daysToExpiry: number } | undefined, plain: PlainHttp | undefined): string {
  const parts: string[] = [];
  if (verify.has('protocols')) parts.push(`${accepted.map(versionLabel).join(', ')} only`);
  if (best && (verify.has('ciphers') || verify.has('protocols'))) parts.push(`${best.cipher}${best.group ? ` with ${best.group}` : ''}${verify.has('ciphers') ? ', no weak suites' : ''}`);
  if (leaf && cert) parts.push(`chain trusted, ${leaf.keyType}${leaf.curve ? ` ${leaf.curve}` : leaf.keyBits ? ` ${leaf.keyBits}` : ''} ${leaf.signatureAlgorithm}, ${plural(cert.daysToExpiry, 'day')} to expiry`);
  if (plain) parts.push(`plain HTTP ${plain.verdict}`);
  return parts.join('; ');
}
