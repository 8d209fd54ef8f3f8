import { randomBytes } from 'node:crypto';
import { connect, isIP } from 'node:net';
import { NetError, toNetError } from '../../net/errors.js';

/**
 * Weak cipher suites by class, with their IANA code points and OpenSSL names (testssl.sh's
 * cipher-mapping.txt). Node 20's OpenSSL 3 cannot even offer EXPORT, RC4, DES or 3DES any more, so
 * a Node handshake would never find a server that still accepts them; a hand-written ClientHello
 * offering exactly these code points and reading the ServerHello's choice does, as testssl.sh does.
 */
export const WEAK_CIPHER_CLASSES = {
  NULL: {
    why: 'no encryption',
    suites: { 0x0001: 'NULL-MD5', 0x0002: 'NULL-SHA', 0x003b: 'NULL-SHA256', 0xc001: 'ECDH-ECDSA-NULL-SHA', 0xc006: 'ECDHE-ECDSA-NULL-SHA', 0xc00b: 'ECDH-RSA-NULL-SHA', 0xc010: 'ECDHE-RSA-NULL-SHA', 0xc015: 'AECDH-NULL-SHA' },
  },
  anonymous: {
    why: 'no server authentication',
    suites: {
      0x0034: 'ADH-AES128-SHA', 0x003a: 'ADH-AES256-SHA', 0x006c: 'ADH-AES128-SHA256', 0x006d: 'ADH-AES256-SHA256', 0x00a6: 'ADH-AES128-GCM-SHA256', 0x00a7: 'ADH-AES256-GCM-SHA384',
      0x0046: 'ADH-CAMELLIA128-SHA', 0x0089: 'ADH-CAMELLIA256-SHA', 0x009b: 'ADH-SEED-SHA', 0xc018: 'AECDH-AES128-SHA', 0xc019: 'AECDH-AES256-SHA', 0x001b: 'ADH-DES-CBC3-SHA', 0x0018: 'ADH-RC4-MD5',
    },
  },
  EXPORT: {
    why: 'export-grade keys',
    suites: {
      0x0003: 'EXP-RC4-MD5', 0x0006: 'EXP-RC2-CBC-MD5', 0x0008: 'EXP-DES-CBC-SHA', 0x000b: 'EXP-DH-DSS-DES-CBC-SHA', 0x000e: 'EXP-DH-RSA-DES-CBC-SHA', 0x0011: 'EXP-EDH-DSS-DES-CBC-SHA',
      0x0014: 'EXP-EDH-RSA-DES-CBC-SHA', 0x0017: 'EXP-ADH-RC4-MD5', 0x0019: 'EXP-ADH-DES-CBC-SHA', 0x0062: 'EXP1024-DES-CBC-SHA', 0x0063: 'EXP1024-DHE-DSS-DES-CBC-SHA', 0x0064: 'EXP1024-RC4-SHA',
    },
  },
  RC4: {
    why: 'broken stream cipher, RFC 7465',
    suites: { 0x0004: 'RC4-MD5', 0x0005: 'RC4-SHA', 0xc002: 'ECDH-ECDSA-RC4-SHA', 0xc007: 'ECDHE-ECDSA-RC4-SHA', 0xc00c: 'ECDH-RSA-RC4-SHA', 0xc011: 'ECDHE-RSA-RC4-SHA', 0xc016: 'AECDH-RC4-SHA', 0x0066: 'DHE-DSS-RC4-SHA' },
  },
  DES: {
    why: '56-bit keys',
    suites: { 0x0009: 'DES-CBC-SHA', 0x000c: 'DH-DSS-DES-CBC-SHA', 0x000f: 'DH-RSA-DES-CBC-SHA', 0x0012: 'EDH-DSS-DES-CBC-SHA', 0x0015: 'EDH-RSA-DES-CBC-SHA', 0x001a: 'ADH-DES-CBC-SHA' },
  },
  '3DES': {
    why: '64-bit blocks, Sweet32',
    suites: {
      0x000a: 'DES-CBC3-SHA', 0x000d: 'DH-DSS-DES-CBC3-SHA', 0x0010: 'DH-RSA-DES-CBC3-SHA', 0x0013: 'EDH-DSS-DES-CBC3-SHA', 0x0016: 'EDH-RSA-DES-CBC3-SHA', 0xc003: 'ECDH-ECDSA-DES-CBC3-SHA',
      0xc008: 'ECDHE-ECDSA-DES-CBC3-SHA', 0xc00d: 'ECDH-RSA-DES-CBC3-SHA', 0xc012: 'ECDHE-RSA-DES-CBC3-SHA', 0xc017: 'AECDH-DES-CBC3-SHA',
    },
  },
} as const satisfies Record<string, { why: string; suites: Record<number, string> }>;

/** A class of weak cipher suites. */
export type WeakCipherClass = keyof typeof WEAK_CIPHER_CLASSES;

/** Names of the weak classes, in the order they are reported. */
export const WEAK_CIPHER_CLASS_NAMES = Object.keys(WEAK_CIPHER_CLASSES) as WeakCipherClass[];

/** A negotiated cipher name (OpenSSL or IANA) that belongs to a weak class, or undefined. */
export function weakClassOfCipher(name: string): WeakCipherClass | undefined {
  if (/NULL/i.test(name)) return 'NULL';
  if (/^(ADH|AECDH)-|_anon_/i.test(name)) return 'anonymous';
  if (/EXP/i.test(name)) return 'EXPORT';
  if (/RC4/i.test(name)) return 'RC4';
  if (/3DES|DES-CBC3|DES_EDE/i.test(name)) return '3DES';
  if (/(^|[-_])DES[-_]/i.test(name)) return 'DES';
  return undefined;
}

/** The server picked one of the weak suites offered. */
export interface WeakAccepted {
  /** Discriminant. */
  kind: 'accepted';
  /** IANA code point of the suite chosen. */
  code: number;
  /** Its OpenSSL name. */
  cipher: string;
  /** Protocol version of the ServerHello, e.g. TLSv1.2. */
  version: string;
}

/** The server connected but would not use any suite of the class. */
export interface WeakRefused {
  /** Discriminant. */
  kind: 'refused';
  /** How it refused: the alert, a reset, a close. */
  reason: string;
}

/** No TCP connection: nothing learnt about the class. */
export interface WeakUnreachable {
  /** Discriminant. */
  kind: 'unreachable';
  /** Why. */
  error: NetError;
}

/** What the server did with a ClientHello offering only one weak class. */
export type WeakProbeResult = WeakAccepted | WeakRefused | WeakUnreachable;

// Supported groups, point formats and signature algorithms a 2015-era client sends, so that a
// server picks an (EC)DHE suite when it has one enabled.
const GROUPS = [0x001d, 0x0017, 0x0018, 0x0019, 0x0100, 0x0101];
const SIGNATURE_ALGORITHMS = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203, 0x0202, 0x0402];
const EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
const VERSION_NAMES: Readonly<Record<number, string>> = { 0x0300: 'SSLv3', 0x0301: 'TLSv1', 0x0302: 'TLSv1.1', 0x0303: 'TLSv1.2' };
const ALERTS: Readonly<Record<number, string>> = { 40: 'handshake failure', 47: 'illegal parameter', 70: 'protocol version', 71: 'insufficient security', 80: 'internal error', 112: 'unrecognized name' };

function u16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

function vector16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}

function extension(type: number, body: Buffer): Buffer {
  return Buffer.concat([u16(type), vector16(body)]);
}

/** A TLS 1.2 ClientHello record offering `suites` (RFC 5246 §7.4.1.2). */
export function clientHello(suites: readonly number[], servername?: string): Buffer {
  const extensions: Buffer[] = [];
  if (servername && isIP(servername) === 0) {
    const name = Buffer.from(servername, 'ascii');
    extensions.push(extension(0x0000, vector16(Buffer.concat([Buffer.from([0]), vector16(name)]))));
  }
  extensions.push(extension(0x000a, vector16(Buffer.concat(GROUPS.map(u16)))));
  extensions.push(extension(0x000b, Buffer.from([1, 0])));
  extensions.push(extension(0x000d, vector16(Buffer.concat(SIGNATURE_ALGORITHMS.map(u16)))));
  const body = Buffer.concat([
    u16(0x0303),
    randomBytes(32),
    Buffer.from([0]), // no session id
    vector16(Buffer.concat([...suites, EMPTY_RENEGOTIATION_INFO_SCSV].map(u16))),
    Buffer.from([1, 0]), // null compression only
    vector16(Buffer.concat(extensions)),
  ]);
  const handshake = Buffer.concat([Buffer.from([1, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  // Record version 1.0: the most tolerant value for old servers, as browsers send it.
  return Buffer.concat([Buffer.from([22, 3, 1]), u16(handshake.length), handshake]);
}

/** Reads the server's first record: a ServerHello (its version and chosen suite) or an alert. */
export function parseServerResponse(data: Buffer): { kind: 'hello'; version: number; suite: number } | { kind: 'alert'; description: number } | { kind: 'incomplete' } | { kind: 'garbage' } {
  if (data.length < 5) return { kind: 'incomplete' };
  const type = data[0];
  const length = data.readUInt16BE(3);
  if ((type !== 22 && type !== 21) || data[1] !== 3) return { kind: 'garbage' };
  if (data.length < 5 + length) return { kind: 'incomplete' };
  if (type === 21) return { kind: 'alert', description: data[6] ?? 0 };
  // Handshake: type(1) length(3) version(2) random(32) session_id<0..32> cipher_suite(2)
  if (data[5] !== 2 || length < 4 + 2 + 32 + 1) return { kind: 'garbage' };
  const version = data.readUInt16BE(9);
  const sessionIdLength = data[43] ?? 0;
  const suiteAt = 44 + sessionIdLength;
  if (suiteAt + 2 > 5 + length) return { kind: 'garbage' };
  return { kind: 'hello', version, suite: data.readUInt16BE(suiteAt) };
}

/**
 * Offers only the suites of one weak class and reports which one the server picked, or that it
 * refused (alert, reset or close). Never completes a handshake: the socket is closed after the
 * ServerHello.
 */
export function probeWeakClass(
  weakClass: WeakCipherClass,
  target: { address: string; port: number; servername?: string; timeoutMs: number; signal?: AbortSignal },
): Promise<WeakProbeResult> {
  const suites: Record<number, string> = WEAK_CIPHER_CLASSES[weakClass].suites;
  const codes = Object.keys(suites).map(Number);
  const where = `${isIP(target.address) === 6 ? `[${target.address}]` : target.address}:${target.port}`;
  return new Promise((resolve) => {
    let connected = false;
    let received = Buffer.alloc(0);
    const socket = connect({ host: target.address, port: target.port });
    const finish = (result: WeakProbeResult): void => {
      clearTimeout(timer);
      target.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = (): void => finish({ kind: 'unreachable', error: new NetError('aborted', `aborted while probing ${where}`) });
    const timer = setTimeout(() => {
      const error = new NetError('timeout', `timed out after ${target.timeoutMs} ms probing ${where}`);
      finish(connected ? { kind: 'refused', reason: error.message } : { kind: 'unreachable', error });
    }, target.timeoutMs);
    if (target.signal?.aborted) return onAbort();
    target.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      connected = true;
      socket.write(clientHello(codes, target.servername));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const parsed = parseServerResponse(received);
      if (parsed.kind === 'incomplete') {
        if (received.length > 64 * 1024) finish({ kind: 'refused', reason: 'oversized answer' });
        return;
      }
      if (parsed.kind === 'garbage') return finish({ kind: 'refused', reason: 'the server did not answer with TLS' });
      if (parsed.kind === 'alert') return finish({ kind: 'refused', reason: `alert: ${ALERTS[parsed.description] ?? `#${parsed.description}`}` });
      const name = suites[parsed.suite];
      // A server that picks a suite we did not offer is broken, but it did not accept a weak one.
      if (!name) return finish({ kind: 'refused', reason: `server chose unoffered suite 0x${parsed.suite.toString(16).padStart(4, '0')}` });
      finish({ kind: 'accepted', code: parsed.suite, cipher: name, version: VERSION_NAMES[parsed.version] ?? `0x${parsed.version.toString(16)}` });
    });
    socket.once('error', (err) => {
      const error = toNetError(err, where);
      finish(connected ? { kind: 'refused', reason: error.message } : { kind: 'unreachable', error });
    });
    socket.once('close', () => finish(connected ? { kind: 'refused', reason: 'connection closed' } : { kind: 'unreachable', error: new NetError('closed', `${where} closed the connection`) }));
  });
}
