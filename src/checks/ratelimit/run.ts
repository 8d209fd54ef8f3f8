import { assertion } from '../../model/operators.js';
import type { Assertion, Outcome } from '../../model/outcome.js';
import { NetError, formatSeconds } from '../../net/errors.js';
import type { HttpResponse } from '../../net/http.js';
import { pathLabel } from '../../net/url.js';
import { plural } from '../../text.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import { HARD_MAX_REQUESTS, type meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Sends the burst, then judges the first 429, its Retry-After and the request after waiting it. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const started = ctx.clock.monotonic();
  const { method } = params;
  const label = `${method} ${pathLabel(params.url)}`;
  const tolerance = params.tolerance ?? (params.expectLimit ? Math.max(1, Math.ceil(params.expectLimit * 0.1)) : 0);
  const ceiling = params.expectLimit !== undefined ? params.expectLimit + tolerance : undefined;
  // With a declared limit, one request past the ceiling is enough to know it was not enforced.
  const budget = Math.min(params.maxRequests, ceiling !== undefined ? ceiling + 1 : HARD_MAX_REQUESTS);
  // The burst exists to meet 429s: they are the limit working, not API errors.
  const send = (): Promise<HttpResponse> => ctx.http.request({ method, url: params.url, headers: params.headers, json: params.json, maxBodyBytes: 256 * 1024, expected: { status: [429] } });

  const burst = await runBurst(send, { budget, concurrency: params.concurrency, maxMs: params.maxSeconds * 1000, signal: ctx.signal });
  const elapsed = formatSeconds(burst.ms);
  const measurements = [
    { name: 'requests sent', value: burst.sent, unit: 'count' },
    { name: 'burst duration', value: burst.ms, unit: 'ms' },
  ];
  if (burst.error && burst.limitedAt === undefined) return say.outcome('error', 'burstStopped', { label, requests: plural(burst.sent, 'request'), cause: burst.error.message }, { measurements });
  if (burst.limitedAt === undefined && burst.firstStatus === undefined) return say.outcome('error', 'noResponse', { label, elapsed }, { measurements });

  const assertions: Assertion[] = [];
  const noLimit = noLimitMessage(label, burst, elapsed, params.expectLimit);
  assertions.push(assertion('429 during the burst', 'eq', true, burst.limitedAt !== undefined, say.text(noLimit.id, noLimit.data)));
  if (burst.limitedAt === undefined || burst.limited === undefined) return say.outcome('fail', noLimit.id, noLimit.data, { assertions, measurements, values: { sent: burst.sent } });

  measurements.push({ name: 'requests before first 429', value: burst.limitedAt - 1, unit: 'count' });
  const { limitedAt, sent } = burst;
  const late = ceiling !== undefined && limitedAt > ceiling;
  const lateData = { label, limitedAt, expectLimit: params.expectLimit ?? 0, tolerance };
  if (ceiling !== undefined) assertions.push(assertion('request count at first 429', 'le', ceiling, limitedAt, say.text('late', { ...lateData, more: '' })));
  const retryAfterHeader = burst.limited.header('retry-after');
  const retryAfter = parseRetryAfter(retryAfterHeader, ctx.clock.now());
  const limitData = { label, limitedAt, sent, elapsed };
  // RFC 6585 §4: a 429 "MAY include a Retry-After header indicating how long to wait before
  // making a new request", and guideline 2.3 asks for rate limiting, not for the header: a limit
  // enforced without it is met, with a warning (clients must guess when to retry, and the
  // request after the wait cannot be tried). A header that is there but unreadable breaks
  // RFC 9110 §10.2.3 (delta-seconds or an HTTP-date) and misleads clients: that fails.
  const unreadable = retryAfterHeader !== undefined && retryAfter === undefined;
  const retryAfterMessage = retryAfterHeader === undefined ? say.text('noRetryAfter', limitData) : say.text('unreadableRetryAfter', { label, limitedAt, retryAfter: retryAfterHeader });
  assertions.push(assertion('retry-after', 'ge', 0, retryAfter, retryAfterMessage));

  const values = { limitedAt, sent, ...(retryAfter !== undefined ? { retryAfter } : {}) };
  const rest = { assertions, measurements, values };
  if (late) return say.outcome('fail', 'late', { ...lateData, more: unreadable ? ' (and 1 more)' : '' }, rest);
  if (unreadable) return say.outcome('fail', 'unreadableRetryAfter', { label, limitedAt, retryAfter: retryAfterHeader }, rest);
  if (retryAfter === undefined) return say.outcome('warn', 'noRetryAfter', limitData, rest);
  if (!params.checkRecovery) return say.outcome('pass', 'limited', { ...limitData, retryAfter: retryAfterHeader ?? '' }, rest);

  const recovery = await afterWaiting(retryAfter, send, ctx, ctx.timeoutMs - (ctx.clock.monotonic() - started));
  if (recovery.kind === 'no-time') return say.outcome('warn', 'noTimeToRecover', { ...limitData, retryAfter }, rest);
  if (recovery.kind === 'error') return say.outcome('error', 'recoveryFailed', { ...limitData, cause: recovery.error.message }, rest);
  // Back in means: what an unlimited request got, or at least no 429.
  const stuckData = { label, status: recovery.status, retryAfter, before: burst.firstStatus !== undefined ? ` (before the limit: ${burst.firstStatus})` : '' };
  const recovered = burst.firstStatus !== undefined ? recovery.status === burst.firstStatus : recovery.status !== 429;
  assertions.push({ ...assertion('status after Retry-After', burst.firstStatus !== undefined ? 'eq' : 'ne', burst.firstStatus ?? 429, recovery.status, say.text('stuck', stuckData)) });
  if (!recovered) return say.outcome('fail', 'stuck', stuckData, rest);
  return say.outcome('pass', 'recovered', { ...limitData, retryAfter, status: recovery.status }, rest);
}

/**
 * No 429 in the burst. When some answers differed from the first (nginx's `limit_req` answers
 * 503 unless `limit_req_status 429` is set), the tally shows the limit may be there under another
 * status, so the advice is the status, not "rate-limit this endpoint".
 */
function noLimitMessage(label: string, burst: Burst, elapsed: string, expectLimit: number | undefined): { id: 'noLimit' | 'otherStatus'; data: Record<string, string | number> } {
  const others = [...burst.statuses.keys()].filter((status) => status !== burst.firstStatus);
  if (others.length === 0) return { id: 'noLimit', data: { label, sent: burst.sent, elapsed, declared: expectLimit ? ` (declared limit ${expectLimit})` : '' } };
  const tally = [...burst.statuses].map(([status, count]) => `${status} x${count}`).join(', ');
  return { id: 'otherStatus', data: { label, sent: burst.sent, elapsed, declared: expectLimit ? `declared limit ${expectLimit}; ` : '', tally, statuses: others.join(' or ') } };
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

async function afterWaiting(seconds: number, send: () => Promise<HttpResponse>, ctx: CheckContext, timeLeftMs: number): Promise<{ kind: 'done'; status: number } | { kind: 'no-time' } | { kind: 'error'; error: NetError }> {
  const waitMs = seconds * 1000;
  if (waitMs + RECOVERY_REQUEST_MS > timeLeftMs) return { kind: 'no-time' };
  // Nothing is measured while the Retry-After runs out: the run may use the quiet (ctx.wait).
  await ctx.wait(waitMs);
  try {
    return { kind: 'done', status: (await send()).status };
  } catch (err) {
    if (err instanceof NetError) return { kind: 'error', error: err };
    throw err;
  }
}
