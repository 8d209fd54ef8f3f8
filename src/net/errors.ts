import type { NetErrorKind } from '../model/interactions.js';

/** A network failure with its cause in words (never a stack trace). */
export class NetError extends Error {
  override readonly name = 'NetError';
  constructor(
    /** Class of failure, used by the interaction log and the fault matrix. */
    readonly kind: NetErrorKind,
    message: string,
    /** The low-level code (ECONNREFUSED, CERT_HAS_EXPIRED, UND_ERR_HEADERS_TIMEOUT...). */
    readonly code?: string,
  ) {
    super(message);
  }
}

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  name?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  reason?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

const TLS_CODE_WORDS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  CERT_NOT_YET_VALID: 'the server certificate is not yet valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'a self-signed certificate in the chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain cannot be verified (missing intermediate or untrusted CA)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate issuer is not trusted (add it with `ca:` if it is a private CA)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (wrong version number: is it plain HTTP?)',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the server refused the TLS protocol version (alert: protocol version)',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'no TLS protocol version in common with the server',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'the server aborted the handshake (alert: handshake failure)',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'no TLS protocol versions are available for this probe',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'the server did not answer with TLS (garbage instead of a handshake)',
};

/** The innermost error with a code, following `cause` chains (undici wraps socket errors). */
function rootCause(err: unknown): ErrorLike {
  let current = asErrorLike(err) ?? {};
  for (let depth = 0; depth < 5; depth++) {
    const next = asErrorLike(current.cause);
    if (!next) break;
    if (typeof current.code === 'string' && typeof next.code !== 'string') break;
    current = next;
  }
  return current;
}

/**
 * Turns any error thrown by undici, `net` or `tls` into a NetError whose message names the cause:
 * refused, name not resolved, timed out, TLS alert, reset. `where` is `host:port` or a URL.
 */
export function toNetError(err: unknown, where: string, timeoutMs?: number): NetError {
  if (err instanceof NetError) return err;
  const outer = asErrorLike(err) ?? {};
  const inner = rootCause(err);
  const code = String(inner.code ?? outer.code ?? '');
  const message = String(inner.message ?? outer.message ?? err);
  const name = String(outer.name ?? '');

  if (name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED') {
    const reason = asErrorLike(outer.cause) ?? asErrorLike(outer.reason);
    if (reason && String(reason.name) === 'TimeoutError') {
      return new NetError('timeout', `timed out${timeoutMs ? ` after ${formatSeconds(timeoutMs)}` : ''} talking to ${where}`, code);
    }
    return new NetError('aborted', `aborted while talking to ${where}`, code);
  }
  if (name === 'TimeoutError') {
    return new NetError('timeout', `timed out${timeoutMs ? ` after ${formatSeconds(timeoutMs)}` : ''} talking to ${where}`, code);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return new NetError('refused', `connection refused by ${where}`, code);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return new NetError('dns', `name not resolved: ${String(inner.hostname ?? where)} (${code})`, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return new NetError('reset', `connection reset by ${where}`, code);
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new NetError('closed', `${where} closed the connection (${message})`, code);
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new NetError('timeout', `timed out connecting to ${where}`, code);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new NetError('timeout', `timed out waiting for response headers from ${where}`, code);
    case 'UND_ERR_BODY_TIMEOUT':
      return new NetError('timeout', `timed out reading the response body from ${where}`, code);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return new NetError('unreachable', `${where} is unreachable (${code})`, code);
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_STATUS':
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'UND_ERR_INVALID_ARG':
      return new NetError('protocol', `${where} did not answer with valid HTTP (${message})`, code);
    default:
      break;
  }
  if (code in TLS_CODE_WORDS) return new NetError('tls', `TLS: ${TLS_CODE_WORDS[code]} (${where})`, code);
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /certificate|ssl|tls/i.test(code)) {
    const alert = /alert ([a-z ]+)/i.exec(message)?.[1];
    return new NetError('tls', `TLS: ${alert ? `alert: ${alert}` : message} (${where})`, code);
  }
  if (code.startsWith('HPE_')) return new NetError('protocol', `${where} did not answer with valid HTTP (${message})`, code);
  if (/other side closed|socket hang up/i.test(message)) {
    return new NetError('closed', `${where} closed the connection before answering`, code || undefined);
  }
  return new NetError('other', `${message}${code ? ` (${code})` : ''} talking to ${where}`, code || undefined);
}

/** "1.5 s", "250 ms". */
export function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;
}
