import { setMaxListeners } from 'node:events';
import { rootCertificates, type SecureContext } from 'node:tls';
import type { LookupFunction } from 'node:net';
import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';
import { NetError, toNetError } from './errors.js';
import { endpointTemplate, type NetErrorKind, type InteractionLog } from '../model/interactions.js';
import { redirectStep, type RefusedRedirect } from './redirect.js';
import { trustingContext } from './tls-context.js';

const require = createRequire(import.meta.url);
const requireUndici = (): { Agent: typeof Agent } => require('undici') as { Agent: typeof Agent };

/** Default cap on a response body: a misbehaving server cannot exhaust memory. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Default cap on redirects followed when a request asks to follow them. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** Trust and resolution settings shared by every connection of a run. */
export interface TransportOptions {
  /** Extra trusted CA certificates (PEM), added to the system roots. */
  ca?: string[];
  /** Turn certificate verification off (explicit per environment; shown as a warning). */
  insecure?: boolean;
  /** Name resolver; tests inject one so no real DNS query is made. */
  lookup?: LookupFunction;
  /** Connect timeout in milliseconds (default 10 s). */
  connectTimeoutMs?: number;
  /** Default response body cap in bytes. */
  maxBodyBytes?: number;
  /** True when a header value holds a registered secret: such a header stays with its origin on a redirect. */
  isSecret?: (value: string) => boolean;
}

/** TLS options for code that opens its own connections (tls, bandwidth, load). */
export interface TlsTrust {
  /** System roots plus the environment's extra CAs; undefined means the system roots only. */
  ca?: string[];
  /** The environment's extra CAs alone (PEM), for code that adds them to the system roots itself. */
  extraCa: string[];
  /** False only when the environment turned verification off. */
  rejectUnauthorized: boolean;
}

/**
 * Owns the undici dispatchers of a run (one per local address) and the trust settings. Checks get
 * a per-check `HttpClient` from `forCheck`; `close()` destroys every socket.
 */
export class HttpTransport {
  private readonly agents = new Map<string, Agent>();
  private context: SecureContext | undefined;
  readonly trust: TlsTrust;

  constructor(
    private readonly options: TransportOptions = {},
    /** Where every request is recorded. */
    readonly interactions?: InteractionLog,
  ) {
    this.trust = {
      ca: options.ca && options.ca.length > 0 ? [...rootCertificates, ...options.ca] : undefined,
      extraCa: [...(options.ca ?? [])],
      rejectUnauthorized: !options.insecure,
    };
  }

  get maxBodyBytes(): number {
    return this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** Milliseconds a connection may take to open (default 10 s). */
  get connectTimeoutMs(): number {
    return this.options.connectTimeoutMs ?? 10_000;
  }

  get lookup(): LookupFunction | undefined {
    return this.options.lookup;
  }

  /** True when `value` holds a registered secret (never, without a redactor). */
  isSecret(value: string): boolean {
    return this.options.isSecret?.(value) ?? false;
  }

  /**
   * One TLS context for every connection of the run when extra CAs are trusted (undici would
   * otherwise build one per connection, stalling the event loop and every other check's latency).
   * Undefined: Node's default context.
   */
  secureContext(): SecureContext | undefined {
    if (this.trust.extraCa.length === 0) return undefined;
    this.context ??= trustingContext(this.trust.extraCa);
    return this.context;
  }

  /** The dispatcher for connections from `localAddress` (default: the OS's choice). */
  dispatcher(localAddress?: string): Agent {
    const key = localAddress ?? '';
    let agent = this.agents.get(key);
    if (!agent) {
      // undici is loaded with the first connection, not with the module: loading it costs more
      // than a whole run of file checks (`pan-scan`, `secrets`), which never connect anywhere.
      const { Agent: UndiciAgent } = requireUndici();
      agent = new UndiciAgent({
        connect: {
          ...(this.trust.extraCa.length > 0 ? { secureContext: this.secureContext() } : {}),
          rejectUnauthorized: this.trust.rejectUnauthorized,
          timeout: this.connectTimeoutMs,
          ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
        },
        // A client option, not a connect one: undici passes its own localAddress to the
        // connector after the connect options, so one given there would be overwritten.
        ...(localAddress ? { localAddress } : {}),
        keepAliveTimeout: 4_000,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** A client bound to one check: its id (for the log) and its abort signal. */
  forCheck(checkId: string, signal: AbortSignal, timeoutMs: number): HttpClient {
    return new HttpClient(this, checkId, signal, timeoutMs);
  }

  /** Closes every connection of the run. */
  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy().catch(() => undefined)));
  }
}

/** One HTTP request. */
export interface HttpRequest {
  /** HTTP method (default GET). */
  method?: string;
  /** Absolute URL. */
  url: string;
  /** Request headers. */
  headers?: Record<string, string>;
  /** Raw body. */
  body?: string | Uint8Array;
  /** JSON body (sets `content-type: application/json` unless given). */
  json?: unknown;
  /** Form body (sets `content-type: application/x-www-form-urlencoded`). */
  form?: Record<string, string>;
  /** Follow redirects up to this many (default 0: return the 3xx). */
  maxRedirects?: number;
  /** Body cap for this request (default the transport's, 10 MB). */
  maxBodyBytes?: number;
  /** Tighter timeout for this request than the check's. */
  timeoutMs?: number;
  /** Connect from this local address (IP allowlist probes). */
  localAddress?: string;
  /** Do not record in the interaction log (internal probes). */
  unlogged?: boolean;
  /**
   * Outcomes the caller provokes on purpose (a decline test card's 402, a deliberate timeout):
   * recorded with `expected: true`, so KPIs do not count them as errors.
   */
  expected?: ExpectedOutcome;
}

/** Statuses or a failure class a request is meant to meet. */
export interface ExpectedOutcome {
  /** HTTP statuses the caller is provoking. */
  status?: readonly number[];
  /** A network failure the caller is provoking (e.g. `timeout`). */
  error?: NetErrorKind;
}

/** A complete response. */
export interface HttpResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | string[]>;
  /** The body, at most `maxBodyBytes`. */
  body: Buffer;
  /** URL of the final response (after redirects). */
  url: string;
  /** Location of every redirect followed. */
  redirects: string[];
  /** Credential headers not sent after a redirect to another origin (lower-case names). */
  withheld: string[];
  /** A redirect not followed (a downgrade to http, a body to another origin): the response is that redirect. */
  refused?: RefusedRedirect;
  /** Milliseconds until the response headers arrived. */
  ttfbMs: number;
  /** Milliseconds until the body ended. */
  durationMs: number;
  /** The body decoded as UTF-8. */
  text(): string;
  /** First value of a header. */
  header(name: string): string | undefined;
}

/** Sends requests for one check, honours its signal, records every call. */
export class HttpClient {
  /**
   * The check's signal (timeout and Ctrl-C), as a child that takes any number of listeners: a
   * burst or a set of concurrent probes adds one per request in flight, past Node's warning at 10.
   */
  readonly signal: AbortSignal;

  constructor(
    /** The run's transport. */
    readonly transport: HttpTransport,
    private readonly checkId: string,
    signal: AbortSignal,
    /** The check's timeout in milliseconds (what `signal` enforces). */
    readonly timeoutMs: number,
  ) {
    this.signal = AbortSignal.any([signal]);
    setMaxListeners(0, this.signal);
  }

  /** Sends a request and reads the whole (capped) body; throws NetError with the cause in words. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const method = (req.method ?? 'GET').toUpperCase();
    const encoded = encodeBody(req);
    const maxRedirects = req.maxRedirects ?? 0;
    const maxBody = req.maxBodyBytes ?? this.transport.maxBodyBytes;
    const signal = req.timeoutMs ? AbortSignal.any([this.signal, AbortSignal.timeout(req.timeoutMs)]) : this.signal;
    const timeoutMs = req.timeoutMs ? Math.min(req.timeoutMs, this.timeoutMs) : this.timeoutMs;
    const redirects: string[] = [];
    const withheld: string[] = [];
    let refused: RefusedRedirect | undefined;
    let url = req.url;
    let currentMethod = method;
    let currentBody = encoded.body;
    let headers = encoded.headers;

    for (;;) {
      const started = performance.now();
      const time = new Date().toISOString();
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new NetError('other', `not a valid URL: ${url}`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new NetError('other', `unsupported URL scheme ${parsed.protocol} in ${url}`);
      }
      const where = parsed.host;
      const bytesOut = currentBody ? Buffer.byteLength(currentBody) : 0;
      let status: number | undefined;
      let bytesIn = 0;
      try {
        const res = await this.transport.dispatcher(req.localAddress).request({
          origin: parsed.origin,
          path: `${parsed.pathname}${parsed.search}`,
          method: currentMethod as Dispatcher.HttpMethod,
          headers,
          body: currentBody,
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        status = res.statusCode;
        const ttfbMs = performance.now() - started;
        const chunks: Buffer[] = [];
        try {
          for await (const chunk of res.body as AsyncIterable<Buffer>) {
            bytesIn += chunk.length;
            if (bytesIn > maxBody) {
              res.body.destroy();
              throw new NetError('too-large', `response body from ${where} exceeds the ${formatBytes(maxBody)} limit`);
            }
            chunks.push(chunk);
          }
        } catch (err) {
          res.body.destroy();
          throw err;
        }
        const durationMs = performance.now() - started;
        this.record(req, { time, method: currentMethod, url, status, durationMs, bytesIn, bytesOut, expected: req.expected?.status?.includes(status) === true });
        const responseHeaders = normalizeHeaders(res.headers);
        const location = firstHeader(responseHeaders, 'location');
        if (status >= 300 && status < 400 && location && redirects.length < maxRedirects) {
          const next = new URL(location, url);
          const step = redirectStep(parsed, next, status, { method: currentMethod, headers, body: currentBody }, (value) => this.transport.isSecret(value));
          if (step.follow) {
            url = next.toString();
            redirects.push(url);
            ({ method: currentMethod, headers, body: currentBody } = step.request);
            for (const name of step.dropped) if (!withheld.includes(name)) withheld.push(name);
            continue;
          }
          refused = step.refused;
        }
        if (status >= 300 && status < 400 && location && maxRedirects > 0 && !refused) {
          throw new NetError('redirects', `more than ${maxRedirects} redirects starting at ${req.url} (redirect loop?)`);
        }
        const buffer = Buffer.concat(chunks);
        return {
          status,
          headers: responseHeaders,
          body: buffer,
          url,
          redirects,
          withheld,
          ...(refused ? { refused } : {}),
          ttfbMs,
          durationMs,
          text: () => buffer.toString('utf8'),
          header: (name) => firstHeader(responseHeaders, name),
        };
      } catch (err) {
        const netError = signal.aborted ? abortError(signal, where, timeoutMs) : toNetError(err, where, timeoutMs);
        if (netError.kind !== 'redirects') {
          this.record(req, {
            time,
            method: currentMethod,
            url,
            status,
            durationMs: performance.now() - started,
            bytesIn,
            bytesOut,
            error: netError.kind,
            expected: status === undefined ? req.expected?.error === netError.kind : req.expected?.status?.includes(status) === true,
          });
        }
        throw netError;
      }
    }
  }

  /** Records a call made outside `request()` (streaming checks, load phases); give `endpoint` to skip computing the template per call. */
  record(
    req: Pick<HttpRequest, 'unlogged'>,
    entry: { time: string; method: string; url: string; endpoint?: string; status?: number; durationMs: number; bytesIn: number; bytesOut: number; error?: NetErrorKind; expected?: boolean },
  ): void {
    if (req.unlogged || !this.transport.interactions) return;
    this.transport.interactions.record({
      time: entry.time,
      checkId: this.checkId,
      method: entry.method,
      url: entry.url,
      endpoint: entry.endpoint ?? endpointTemplate(entry.url),
      ...(entry.status !== undefined ? { status: entry.status } : {}),
      durationMs: entry.durationMs,
      bytesOut: entry.bytesOut,
      bytesIn: entry.bytesIn,
      ...(entry.error ? { error: entry.error } : {}),
      ...(entry.expected ? { expected: true } : {}),
    });
  }
}

/** The NetError for an aborted signal: a timeout when its reason is one, else an interruption. */
export function abortError(signal: AbortSignal, where: string, timeoutMs: number): NetError {
  const reason: unknown = signal.reason;
  const isTimeout = typeof reason === 'object' && reason !== null && (reason as { name?: string }).name === 'TimeoutError';
  return isTimeout
    ? toNetError(Object.assign(new Error('timeout'), { name: 'TimeoutError' }), where, timeoutMs)
    : new NetError('aborted', `aborted while talking to ${where}`);
}

function encodeBody(req: HttpRequest): { headers: Record<string, string>; body: string | Uint8Array | undefined } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  if (req.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return { headers, body: JSON.stringify(req.json) };
  }
  if (req.form !== undefined) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return { headers, body: new URLSearchParams(req.form).toString() };
  }
  return { headers, body: req.body };
}

function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

function firstHeader(headers: Record<string, string | string[]>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** "10 MB", "512 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${Number((bytes / 1024 ** 3).toFixed(1))} GB`;
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 ** 2).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} B`;
}
