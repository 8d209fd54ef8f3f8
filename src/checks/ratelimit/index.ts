import { assertion } from '../../model/operators.js';
import { legacyCheck } from '../types.js';
import type { Assertion, Outcome } from '../../model/outcome.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';
import { NetError, formatSeconds } from '../../net/errors.js';
import type { HttpResponse } from '../../net/http.js';
import { pathLabel } from '../../net/url.js';
import { sleep } from '../../sleep.js';
import { plural } from '../../text.js';

/** Parameters of the `ratelimit` check type (mirrors `schema`). */
export interface RateLimitParams {
  /** Endpoint the burst is sent to. */
  url: string;
  /** HTTP method. */
  method: 'GET' | 'HEAD' | 'POST';
  /** Request headers. */
  headers?: Record<string, string>;
  /** JSON body of each request. */
  json?: unknown;
  /** The declared limit: a 429 must arrive by this request (plus tolerance). */
  expectLimit?: number;
  /** Requests allowed beyond `expectLimit` (token refill during the burst, counting skew). */
  tolerance?: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Upper bound on requests sent. */
  maxRequests: number;
  /** Upper bound on the burst's duration. */
  maxSeconds: number;
  /** After the 429, wait Retry-After and check that a request gets through again. */
  checkRecovery: boolean;
}

const HARD_MAX_REQUESTS = 1000;
const HARD_MAX_SECONDS = 30;

export default legacyCheck<RateLimitParams>({
  name: 'ratelimit',
  description: 'A bounded burst (at most 1,000 requests and 30 s) must meet 429 no later than the declared limit; without Retry-After it is a warning, and with it a request after waiting Retry-After must succeed.',
  // Only the rate limit: a 429 says nothing about allowlists or patching.
  items: ['2.3.b'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'Endpoint to burst; the provider\'s docs declare its limit.' },
      method: { enum: ['GET', 'HEAD', 'POST'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers (credentials from secrets or captures).' },
      json: { description: 'JSON body of each request (with POST).' },
      expectLimit: { type: 'integer', minimum: 1, maximum: HARD_MAX_REQUESTS, description: 'Declared limit: the first 429 must come by this request (+ tolerance). Without it any 429 in the burst passes.' },
      tolerance: { type: 'integer', minimum: 0, description: 'Extra requests allowed past expectLimit (tokens refilled during the burst); default 10% of expectLimit, at least 1.' },
      concurrency: { type: 'integer', minimum: 1, maximum: 100, default: 10, description: 'Requests in flight at once.' },
      maxRequests: { type: 'integer', minimum: 1, maximum: HARD_MAX_REQUESTS, default: HARD_MAX_REQUESTS, description: 'At most this many requests.' },
      maxSeconds: { type: 'number', exclusiveMinimum: 0, maximum: HARD_MAX_SECONDS, default: HARD_MAX_SECONDS, description: 'The burst stops after this many seconds.' },
      checkRecovery: { type: 'boolean', default: true, description: 'After the 429, wait Retry-After and require the next request to get through.' },
    },
  },
  values: { limitedAt: 'request count at the first 429', retryAfter: 'Retry-After of the first 429, in seconds', sent: 'requests sent in the burst' },
  example: { url: '${target.rateLimitUrl}', expectLimit: 20, concurrency: 10 },

  async run(params, ctx): Promise<Outcome> {
    const started = ctx.clock.monotonic();
    const method = params.method ?? 'GET';
    const label = `${method} ${pathLabel(params.url)}`;
    const tolerance = params.tolerance ?? (params.expectLimit ? Math.max(1, Math.ceil(params.expectLimit * 0.1)) : 0);
    const ceiling = params.expectLimit !== undefined ? params.expectLimit + tolerance : undefined;
    // With a declared limit, one request past the ceiling is enough to know it was not enforced.
    const budget = Math.min(params.maxRequests ?? HARD_MAX_REQUESTS, ceiling !== undefined ? ceiling + 1 : HARD_MAX_REQUESTS);
    // The burst exists to meet 429s: they are the limit working, not API errors.
    const send = (): Promise<HttpResponse> => ctx.http.request({ method, url: params.url, headers: params.headers, json: params.json, maxBodyBytes: 256 * 1024, expected: { status: [429] } });

    const burst = await runBurst(send, { budget, concurrency: params.concurrency ?? 10, maxMs: (params.maxSeconds ?? HARD_MAX_SECONDS) * 1000, signal: ctx.signal });
    const elapsed = formatSeconds(burst.ms);
    const measurements = [
      { name: 'requests sent', value: burst.sent, unit: 'count' },
      { name: 'burst duration', value: burst.ms, unit: 'ms' },
    ];
    if (burst.error && burst.limitedAt === undefined) return { status: 'error', summary: `${label}: burst stopped after ${plural(burst.sent, 'request')}: ${burst.error.message}`, measurements };
    if (burst.limitedAt === undefined && burst.firstStatus === undefined) return { status: 'error', summary: `${label}: no response in ${elapsed}`, measurements };

    const assertions: Assertion[] = [];
    const noLimit = noLimitMessage(label, burst, elapsed, params.expectLimit);
    assertions.push(assertion('429 during the burst', 'eq', true, burst.limitedAt !== undefined, noLimit));
    if (burst.limitedAt === undefined || burst.limited === undefined) return { status: 'fail', summary: noLimit, assertions, measurements, values: { sent: burst.sent } };

    measurements.push({ name: 'requests before first 429', value: burst.limitedAt - 1, unit: 'count' });
    const problems: string[] = [];
    if (ceiling !== undefined) {
      const late = `${label}: first 429 at request ${burst.limitedAt}, past the declared limit ${params.expectLimit} (+${tolerance}): enforce the declared limit`;
      assertions.push(assertion('request count at first 429', 'le', ceiling, burst.limitedAt, late));
      if (burst.limitedAt > ceiling) problems.push(late);
    }
    const retryAfterHeader = burst.limited.header('retry-after');
    const retryAfter = parseRetryAfter(retryAfterHeader, ctx.clock.now());
    const limitWords = `429 at request ${burst.limitedAt} of ${burst.sent} (${elapsed})`;
    // RFC 6585 §4: a 429 "MAY include a Retry-After header indicating how long to wait before
    // making a new request", and guideline 2.3 asks for rate limiting, not for the header: a limit
    // enforced without it is met, with a warning (clients must guess when to retry, and the
    // request after the wait cannot be tried). A header that is there but unreadable breaks
    // RFC 9110 §10.2.3 (delta-seconds or an HTTP-date) and misleads clients: that fails.
    const noRetryAfter = `${label}: ${limitWords} without Retry-After (optional in RFC 6585 §4, so clients must guess when to retry): send Retry-After (seconds)`;
    const unreadable = `${label}: the 429 at request ${burst.limitedAt} has an unreadable Retry-After "${retryAfterHeader}" (RFC 9110 §10.2.3: seconds or an HTTP-date): send Retry-After (seconds) so clients know when to retry`;
    assertions.push(assertion('retry-after', 'ge', 0, retryAfter, retryAfterHeader === undefined ? noRetryAfter : unreadable));
    if (retryAfterHeader !== undefined && retryAfter === undefined) problems.push(unreadable);

    const values = { limitedAt: burst.limitedAt, sent: burst.sent, ...(retryAfter !== undefined ? { retryAfter } : {}) };
    if (problems.length > 0) return { status: 'fail', summary: `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, assertions, measurements, values };
    if (retryAfter === undefined) return { status: 'warn', summary: noRetryAfter, assertions, measurements, values };
    if (!(params.checkRecovery ?? true)) return { status: 'pass', summary: `${label}: ${limitWords}, Retry-After ${retryAfterHeader}`, assertions, measurements, values };

    const recovery = await afterWaiting(retryAfter, send, ctx.signal, ctx.timeoutMs - (ctx.clock.monotonic() - started));
    if (recovery.kind === 'no-time') {
      return { status: 'warn', summary: `${label}: ${limitWords}, Retry-After ${retryAfter} s is longer than the time left; the request after waiting was not tried (raise the check's timeout)`, assertions, measurements, values };
    }
    if (recovery.kind === 'error') return { status: 'error', summary: `${label}: ${limitWords}; the request after Retry-After failed: ${recovery.error.message}`, assertions, measurements, values };
    // Back in means: what an unlimited request got, or at least no 429.
    const stuck = `${label}: ${recovery.status} after waiting Retry-After ${retryAfter} s${burst.firstStatus !== undefined ? ` (before the limit: ${burst.firstStatus})` : ''}: let clients back in once Retry-After has passed`;
    const recovered = burst.firstStatus !== undefined ? recovery.status === burst.firstStatus : recovery.status !== 429;
    assertions.push({ ...assertion('status after Retry-After', burst.firstStatus !== undefined ? 'eq' : 'ne', burst.firstStatus ?? 429, recovery.status, stuck) });
    if (!recovered) return { status: 'fail', summary: stuck, assertions, measurements, values };
    return { status: 'pass', summary: `${label}: ${limitWords}, Retry-After ${retryAfter} s, ${recovery.status} again after waiting`, assertions, measurements, values };
  },
});

/**
 * No 429 in the burst. When some answers differed from the first (nginx's `limit_req` answers
 * 503 unless `limit_req_status 429` is set), the tally shows the limit may be there under another
 * status, so the advice is the status, not "rate-limit this endpoint".
 */
function noLimitMessage(label: string, burst: Burst, elapsed: string, expectLimit: number | undefined): string {
  const tally = [...burst.statuses].map(([status, count]) => `${status} x${count}`).join(', ');
  const others = [...burst.statuses.keys()].filter((status) => status !== burst.firstStatus);
  const details = [...(expectLimit ? [`declared limit ${expectLimit}`] : []), ...(others.length > 0 ? [`answers: ${tally}`] : [])];
  const advice = others.length > 0 ? `if ${others.join(' or ')} is the limit, answer 429 Too Many Requests with Retry-After instead (RFC 6585 §4)` : 'rate-limit this endpoint and answer 429 with Retry-After';
  return `${label}: ${burst.sent} requests in ${elapsed} got no 429${details.length > 0 ? ` (${details.join('; ')})` : ''}: ${advice}`;
}

/** What the burst saw. */
interface Burst {
  /** Requests sent. */
  sent: number;
  /** How many responses had arrived when the first 429 did (itself included). */
  limitedAt?: number;
  /** That 429 response. */
  limited?: HttpResponse;
  /** Status of the first response that was not a 429 (what a request gets normally). */
  firstStatus?: number;
  /** How many responses had each status, in the order the statuses first appeared. */
  statuses: Map<number, number>;
  /** First network error, when one stopped the burst. */
  error?: NetError;
  /** Wall time of the burst. */
  ms: number;
}

/** Sends up to `budget` requests, `concurrency` at a time, until a 429, an error or `maxMs`. */
async function runBurst(send: () => Promise<HttpResponse>, o: { budget: number; concurrency: number; maxMs: number; signal: AbortSignal }): Promise<Burst> {
  const started = performance.now();
  const burst: Burst = { sent: 0, ms: 0, statuses: new Map() };
  const stopped = (): boolean => burst.limitedAt !== undefined || burst.error !== undefined || o.signal.aborted || burst.sent >= o.budget || performance.now() - started > o.maxMs;
  let answered = 0;
  const worker = async (): Promise<void> => {
    while (!stopped()) {
      burst.sent += 1;
      try {
        const response = await send();
        // Counted in arrival order: with several connections the server sees requests in the
        // order they reach it, not the order they were started.
        answered += 1;
        burst.statuses.set(response.status, (burst.statuses.get(response.status) ?? 0) + 1);
        if (response.status !== 429) burst.firstStatus ??= response.status;
        if (response.status === 429 && burst.limitedAt === undefined) {
          burst.limitedAt = answered;
          burst.limited = response;
        }
      } catch (err) {
        if (!(err instanceof NetError)) throw err;
        burst.error ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.budget) }, worker));
  burst.ms = performance.now() - started;
  return burst;
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

// Time kept for the request after the wait, so it can still finish within the check's timeout.
const RECOVERY_REQUEST_MS = 1000;

async function afterWaiting(seconds: number, send: () => Promise<HttpResponse>, signal: AbortSignal, timeLeftMs: number): Promise<{ kind: 'done'; status: number } | { kind: 'no-time' } | { kind: 'error'; error: NetError }> {
  const waitMs = seconds * 1000;
  if (waitMs + RECOVERY_REQUEST_MS > timeLeftMs) return { kind: 'no-time' };
  await sleep(waitMs, signal);
  try {
    return { kind: 'done', status: (await send()).status };
  } catch (err) {
    if (err instanceof NetError) return { kind: 'error', error: err };
    throw err;
  }
}
