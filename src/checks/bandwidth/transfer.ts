import type { Dispatcher } from 'undici';
import { NetError, toNetError } from '../../net/errors.js';
import { abortError, type HttpClient } from '../../net/http.js';

/** Bounds of one transfer. */
export interface TransferBounds {
  /** Stop after this many bytes. */
  maxBytes: number;
  /** Stop this long after the first byte. */
  maxMs: number;
  /** Request headers (credentials). */
  headers?: Record<string, string>;
}

/** What one streamed transfer measured. */
export interface Transfer {
  /** HTTP status of the response. */
  status: number;
  /** Bytes moved in total. */
  bytes: number;
  /** Bytes counted in the rate (after the first chunk, or the steady-state window). */
  rateBytes: number;
  /** Milliseconds those bytes took. */
  rateMs: number;
  /** Throughput in megabits per second (10^6 bit/s). */
  mbps: number;
  /** Milliseconds from the request until the first body byte (connect, TLS, server think time). */
  firstByteMs: number;
  /** Why it stopped: the body ended, the byte bound or the time bound. */
  stoppedBy: 'end' | 'bytes' | 'time';
}

function mbps(bytes: number, ms: number): number {
  return ms > 0 ? (bytes * 8) / (ms * 1000) : 0;
}

class Stop extends Error {}

/**
 * Streams a download and discards it, timing from the first body chunk: the rate covers the bytes
 * after it, over the time after it, so connect, TLS and server think time do not count. Stops at
 * `maxBytes` or `maxMs` after the first byte by aborting the request.
 */
export async function measureDownload(client: HttpClient, url: string, bounds: TransferBounds): Promise<Transfer> {
  const parsed = new URL(url);
  const controller = new AbortController();
  const signal = AbortSignal.any([client.signal, controller.signal]);
  const started = performance.now();
  const time = new Date().toISOString();
  let status = 0;
  let bytes = 0;
  let firstAt: number | undefined;
  let firstSize = 0;
  let lastAt = started;
  let stoppedBy: Transfer['stoppedBy'] = 'end';
  const stop = (why: Transfer['stoppedBy']): void => {
    stoppedBy = why;
    controller.abort(new Stop(why));
  };
  try {
    // A raw dispatch handler, not stream() into a Writable: the body is counted and dropped in
    // the callback undici calls per chunk, with no stream machinery between the socket and the
    // count. On a loaded 2-core machine, at a simulated 1 Gbps, that took the check from 0.61x to
    // 0.69x of curl's rate (bench/cases/bandwidth.js measures it).
    await new Promise<void>((resolve, reject) => {
      let abortRequest: ((reason: Error) => void) | undefined;
      const onAbort = (): void => abortRequest?.(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (error?: Error): void => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      client.transport.dispatcher().dispatch(
        { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}`, method: 'GET', headers: bounds.headers, headersTimeout: bounds.maxMs * 4 + 10_000, bodyTimeout: bounds.maxMs * 4 + 10_000 },
        {
          onRequestStart(request: Dispatcher.DispatchController): void {
            abortRequest = (reason) => request.abort(reason);
            if (signal.aborted) onAbort();
          },
          onResponseStart(_request: Dispatcher.DispatchController, statusCode: number): void {
            status = statusCode;
          },
          onResponseData(_request: Dispatcher.DispatchController, chunk: Buffer): void {
            const now = performance.now();
            if (firstAt === undefined) {
              firstAt = now;
              firstSize = chunk.length;
            }
            bytes += chunk.length;
            lastAt = now;
            if (status >= 200 && status < 300) {
              if (bytes >= bounds.maxBytes) stop('bytes');
              else if (now - firstAt >= bounds.maxMs) stop('time');
            }
          },
          onResponseEnd(): void {
            settle();
          },
          onResponseError(_request: Dispatcher.DispatchController, error: Error): void {
            settle(error);
          },
        },
      );
    });
  } catch (err) {
    if (!(controller.signal.reason instanceof Stop)) {
      client.record({}, { time, method: 'GET', url, status: status || undefined, durationMs: performance.now() - started, bytesIn: bytes, bytesOut: 0, error: toNetError(err, parsed.host).kind });
      throw client.signal.aborted ? abortError(client.signal, parsed.host, client.timeoutMs) : toNetError(err, parsed.host);
    }
  }
  client.record({}, { time, method: 'GET', url, status, durationMs: lastAt - started, bytesIn: bytes, bytesOut: 0 });
  if (status < 200 || status >= 300) throw new NetError('protocol', `${url} answered ${status}, not a download`);
  const first = firstAt ?? lastAt;
  // A body that arrived in one chunk has no "after the first byte": fall back to the whole request.
  const [rateBytes, rateMs] = lastAt - first >= 1 ? [bytes - firstSize, lastAt - first] : [bytes, lastAt - started];
  return { status, bytes, rateBytes, rateMs, mbps: mbps(rateBytes, rateMs), firstByteMs: first - started, stoppedBy };
}

// Upload request sizes: start small so a slow link confirms something within the time bound,
// double while requests finish quickly so a fast link is not dominated by per-request overhead.
const FIRST_UPLOAD_BYTES = 64 * 1024;
const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;
const GROW_BELOW_MS = 250;

// The one block every upload request sends a slice of: allocated once, whatever the total size.
let uploadBlock: Buffer | undefined;
function uploadSlice(length: number): Buffer {
  uploadBlock ??= Buffer.alloc(MAX_UPLOAD_BYTES, 0x2e);
  return uploadBlock.subarray(0, length);
}

/**
 * Uploads generated bytes as successive POSTs and counts only bytes the server confirmed by
 * answering (it has read the whole body). One long streamed POST cannot be timed from the client:
 * socket buffers swallow megabytes at memory speed, and the server answers only after draining
 * them. An empty POST opens the connection first, so connect and TLS are not counted; the rate is
 * confirmed bytes over the time from the first measured request to the last confirmation. The
 * request in flight when the time bound ends is aborted and not counted; when not even the first
 * is confirmed in time, the rate is an upper bound: its size over the time waited.
 */
export async function measureUpload(client: HttpClient, url: string, bounds: TransferBounds): Promise<Transfer> {
  const parsed = new URL(url);
  const started = performance.now();
  await postOnce(client, parsed, 0, bounds, undefined);
  const firstAt = performance.now();
  let lastConfirmedAt = firstAt;
  let confirmed = 0;
  let size = FIRST_UPLOAD_BYTES;
  let status = 0;
  let stoppedBy: Transfer['stoppedBy'] = 'bytes';
  while (confirmed < bounds.maxBytes) {
    const requestStart = performance.now();
    if (requestStart - firstAt >= bounds.maxMs) {
      stoppedBy = 'time';
      break;
    }
    const length = Math.min(size, bounds.maxBytes - confirmed);
    const sent = await postOnce(client, parsed, length, bounds, firstAt + bounds.maxMs);
    if (sent.kind === 'timeout') {
      stoppedBy = 'time';
      if (confirmed === 0) {
        // Nothing confirmed: `length` bytes took longer than the whole window.
        const waited = performance.now() - firstAt;
        return { status, bytes: 0, rateBytes: length, rateMs: waited, mbps: mbps(length, waited), firstByteMs: firstAt - started, stoppedBy };
      }
      break;
    }
    if (sent.status < 200 || sent.status >= 300) throw new NetError('protocol', `${url} answered ${sent.status} to the upload`);
    status = sent.status;
    confirmed += length;
    lastConfirmedAt = sent.answeredAt;
    if (sent.answeredAt - requestStart < GROW_BELOW_MS) size = Math.min(size * 2, MAX_UPLOAD_BYTES);
  }
  const rateMs = lastConfirmedAt - firstAt;
  return { status, bytes: confirmed, rateBytes: confirmed, rateMs, mbps: mbps(confirmed, rateMs), firstByteMs: firstAt - started, stoppedBy };
}

/**
 * One POST of `length` bytes, sent as a Buffer slice: undici then finishes writing before the
 * answer can arrive, so the connection is kept for the next request (with a stream body, an
 * answer that beats the stream's end makes undici drop the connection). Resolves when the server
 * has answered, i.e. read the body; `deadline` (monotonic ms) aborts it.
 */
async function postOnce(client: HttpClient, parsed: URL, length: number, bounds: TransferBounds, deadline: number | undefined): Promise<{ kind: 'answered'; status: number; answeredAt: number } | { kind: 'timeout' }> {
  const url = parsed.toString();
  const time = new Date().toISOString();
  const started = performance.now();
  const controller = new AbortController();
  const signal = AbortSignal.any([client.signal, controller.signal]);
  const timer = deadline === undefined ? undefined : setTimeout(() => controller.abort(new Stop('time')), Math.max(0, deadline - started));
  try {
    const response = await client.transport.dispatcher().request({
      origin: parsed.origin,
      path: `${parsed.pathname}${parsed.search}`,
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...bounds.headers },
      body: uploadSlice(length),
      signal,
      headersTimeout: bounds.maxMs + 10_000,
    });
    const answeredAt = performance.now();
    await response.body.dump({ limit: 1024 * 1024 });
    client.record({}, { time, method: 'POST', url, status: response.statusCode, durationMs: answeredAt - started, bytesIn: 0, bytesOut: length });
    // undici hands the connection back one event-loop turn after a response ends; sending the
    // next request sooner would open a second connection (and time its TLS handshake).
    await new Promise((resolve) => setImmediate(resolve));
    return { kind: 'answered', status: response.statusCode, answeredAt };
  } catch (err) {
    if (controller.signal.reason instanceof Stop) return { kind: 'timeout' };
    const netError = client.signal.aborted ? abortError(client.signal, parsed.host, client.timeoutMs) : toNetError(err, parsed.host);
    client.record({}, { time, method: 'POST', url, durationMs: performance.now() - started, bytesIn: 0, bytesOut: length, error: netError.kind });
    throw netError;
  } finally {
    clearTimeout(timer);
  }
}
