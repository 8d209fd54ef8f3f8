import type { ServerResponse } from 'node:http';
import type { SandboxContext } from '../context.js';
import { json, problem, type Reply } from '../respond.js';
import type { RouteRequest, Router } from '../router.js';

/** Download endpoint: `GET /speed/down?bytes=N[&mbps=R]` streams N bytes (at R Mbps when given). */
export const SPEED_DOWN_PATH = '/speed/down';
/** Upload endpoint: `POST /speed/up[?mbps=R]` reads and discards the body (at R Mbps), then reports what arrived. */
export const SPEED_UP_PATH = '/speed/up';
/** Bytes sent when `bytes` is not given. */
export const DEFAULT_DOWNLOAD_BYTES = 10_000_000;
/** Largest download a request may ask for. */
export const MAX_DOWNLOAD_BYTES = 16 * 1024 ** 3;
/** Highest rate `mbps=` may ask for (above it, ask for no limit). */
export const MAX_MBPS = 100_000;

// One shared block: any download is served from the same 64 KiB, so memory stays flat.
const BLOCK = Buffer.alloc(64 * 1024, 0x2e);
const TICK_MS = 20;

function badParameter(code: string, detail: string): Reply {
  return problem({ status: 400, code, title: 'Invalid speed-test parameter', detail });
}

/**
 * The rate (bytes per second) a request is served at: `mbps=` simulates a link of that speed for
 * a team's own tests, and a fault may slow it further (`slow-network`); undefined means unthrottled.
 */
function rateOf(url: URL, ctx: SandboxContext): number | Reply | undefined {
  const raw = url.searchParams.get('mbps');
  let mbps: number | undefined;
  if (raw !== null) {
    mbps = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(mbps > 0 && mbps <= MAX_MBPS)) return badParameter('invalid_mbps', `mbps must be a number above 0 and at most ${MAX_MBPS}, got "${raw}".`);
  }
  mbps = ctx.faults.apply('speedMbps', mbps);
  return mbps === undefined ? undefined : (mbps * 1e6) / 8;
}

/** Writes `total` bytes as fast as the connection takes them (waiting for 'drain'). */
function pumpFast(res: ServerResponse, total: number): void {
  let left = total;
  const write = (): void => {
    while (left > 0) {
      const size = Math.min(left, BLOCK.length);
      left -= size;
      const more = res.write(size === BLOCK.length ? BLOCK : BLOCK.subarray(0, size));
      if (left === 0) break;
      if (!more) {
        res.once('drain', write);
        return;
      }
    }
    res.end();
  };
  write();
}

/** Writes `total` bytes at `bytesPerSecond`, what is due every tick (skipping ticks while the socket is full). */
function pumpThrottled(res: ServerResponse, total: number, bytesPerSecond: number): void {
  let sent = 0;
  const started = performance.now();
  const timer = setInterval(() => {
    if (res.writableNeedDrain) return;
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * bytesPerSecond) + 1);
    while (sent < due) {
      const size = Math.min(due - sent, BLOCK.length);
      res.write(BLOCK.subarray(0, size));
      sent += size;
    }
    if (sent >= total) {
      clearInterval(timer);
      res.end();
    }
  }, TICK_MS);
  res.once('close', () => clearInterval(timer));
}

function download({ req, url, res }: RouteRequest, ctx: SandboxContext): Reply | undefined {
  const raw = url.searchParams.get('bytes');
  const bytes = raw === null ? DEFAULT_DOWNLOAD_BYTES : /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes > MAX_DOWNLOAD_BYTES) return badParameter('invalid_bytes', `bytes must be a whole number from 0 to ${MAX_DOWNLOAD_BYTES}, got "${raw ?? ''}".`);
  const rate = rateOf(url, ctx);
  if (typeof rate === 'object') return rate;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes) });
  if (req.method === 'HEAD') res.end();
  else if (rate !== undefined) pumpThrottled(res, bytes, rate);
  else pumpFast(res, bytes);
  return undefined;
}

/** Reads the body, pausing between chunks when throttled so it drains at that rate. */
async function upload({ req, url }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  const rate = rateOf(url, ctx);
  if (typeof rate === 'object') return rate;
  const started = performance.now();
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (rate !== undefined) {
      const wait = (bytes / rate) * 1000 - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return json(200, { bytes, seconds: (performance.now() - started) / 1000 });
}

/** Speed-test endpoints for the `bandwidth` check. */
export function registerSpeedRoutes(router: Router, ctx: SandboxContext): void {
  router.get(SPEED_DOWN_PATH, (request) => download(request, ctx));
  router.post(SPEED_UP_PATH, (request) => upload(request, ctx));
}
