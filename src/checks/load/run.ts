import { Client, Pool, type Dispatcher } from 'undici';
import { parseDuration } from '../../model/duration.js';
import { EndpointStats, endpointTemplate, type Interaction, type NetErrorKind } from '../../model/interactions.js';
import { assertion, describeFailure } from '../../model/operators.js';
import type { Outcome } from '../../model/outcome.js';
import { NetError, toNetError } from '../../net/errors.js';
import { formatBytes } from '../../net/http.js';
import { nounFor, plural } from '../../text.js';
import { messenger } from '../shared/messages.js';
import { describePassed, evaluateThresholds, formatMetric, metricValue, parseThreshold, statsMeasurements, type Threshold } from '../shared/thresholds.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import { RecordQueue } from './records.js';
import { DEFAULT_REQUESTS, type meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

/** A phase stops once this many requests failed without a response and none succeeded. */
const GIVE_UP_AFTER = 10;
/** How often progress is reported while the phase runs. */
const PROGRESS_EVERY_MS = 250;
/** Requests whose interaction-log lines wait for the phase's end (about 17 MB; see RecordQueue). */
const WAITING_RECORDS = 1 << 19;

const say = messenger(messages);

/** Runs the load phase and judges it by the thresholds. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  let thresholds: Threshold[];
  try {
    thresholds = params.thresholds.map(parseThreshold);
  } catch (err) {
    return say.outcome('error', 'badThreshold', { detail: (err as Error).message });
  }
  let url: URL;
  try {
    url = new URL(params.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    return say.outcome('error', 'notHttp', { url: params.url });
  }
  const durationMs = params.duration === undefined ? undefined : parseDuration(params.duration);
  const total = params.requests ?? (durationMs === undefined ? DEFAULT_REQUESTS : Number.POSITIVE_INFINITY);
  const label = `${params.method} ${endpointTemplate(url.toString())}`;

  const phase = await runPhase(params, ctx, url, total, durationMs);
  const { stats, spanMs } = phase;
  if (stats.requests === 0) return say.outcome('error', 'nothingCompleted', { label, stopped: ctx.signal.aborted ? ' before the check was stopped' : '' });
  if (stats.successes === 0 && stats.networkErrors === stats.requests) {
    const stopped = stats.requests < total ? `; stopped after ${stats.requests}` : '';
    return say.outcome('error', 'allFailed', { label, cause: phase.firstError ?? 'no response', stopped }, { measurements: statsMeasurements(stats, '', spanMs) });
  }

  const assertions = evaluateThresholds(thresholds, stats, label, spanMs);
  // A redirect is a success to the KPIs, but a phase of redirects measured the wrong endpoint.
  if (phase.redirects) {
    const { count, status, location } = phase.redirects;
    const redirected = say.text('redirected', { label, count: count.toLocaleString('en-US'), requests: stats.requests.toLocaleString('en-US'), status, location: location ? ` to ${location}` : '' });
    assertions.unshift(assertion('redirects', 'eq', 0, count, redirected));
  }
  const failed = assertions.filter((a) => !a.passed);
  const shape = {
    requests: `${stats.requests.toLocaleString('en-US')} ${nounFor(stats.requests, 'request')}`,
    seconds: (spanMs / 1000).toFixed(2),
    connections: plural(params.connections, 'connection'),
    offered: params.rate ? ` at ${params.rate} req/s offered` : '',
  };
  const rest = {
    assertions,
    measurements: statsMeasurements(stats, '', spanMs),
    values: {
      requests: stats.requests,
      rps: metricValue(stats, 'rps', spanMs),
      p50: metricValue(stats, 'p50'),
      p95: metricValue(stats, 'p95'),
      p99: metricValue(stats, 'p99'),
      errorRate: metricValue(stats, 'errorRate'),
    },
  };
  if (failed.length > 0) return say.outcome('fail', 'missed', { first: describeFailure(failed[0]!), more: failed.length > 1 ? ` (and ${failed.length - 1} more)` : '', ...shape }, rest);
  return say.outcome(
    'pass',
    'met',
    {
      label,
      ...shape,
      rps: formatMetric('throughput', metricValue(stats, 'rps', spanMs)),
      p50: formatMetric('latency', metricValue(stats, 'p50')),
      p99: formatMetric('latency', metricValue(stats, 'p99')),
      thresholds: thresholds.map((t) => describePassed(t, stats, spanMs)).join(', '),
    },
    rest,
  );
}
/** What a phase measured. */
interface Phase {
  /** Every request's outcome and exact latency. */
  stats: EndpointStats;
  /** From the first request's start to the last one's end, in milliseconds. */
  spanMs: number;
  /** The first network failure, in words. */
  firstError?: string;
  /** Responses that were redirects (3xx), with the first one's status and Location. */
  redirects?: { count: number; status: number; location?: string };
}

/** What one request came to. */
interface Answer {
  status?: number;
  bytesIn: number;
  error?: unknown;
}

/**
 * Sends requests through undici's dispatch handler API until `total` were sent or `durationMs`
 * passed. Closed model: `connections x pipelining` loops, `pipelining` of them on each of
 * `connections` undici Clients, each loop sending its next request when the previous one is
 * answered. Open model (`rate`): requests start on schedule whatever the answers, through one
 * Pool, and latency counts from the scheduled start, so a slow server is not hidden (no
 * coordinated omission).
 */
async function runPhase(params: Params, ctx: CheckContext, url: URL, total: number, durationMs: number | undefined): Promise<Phase> {
  const { connections, pipelining, method } = params;
  const timeoutMs = Math.min(params.requestTimeoutMs, ctx.timeoutMs);
  const { transport } = ctx.http;
  const maxBody = transport.maxBodyBytes;
  const secureContext = transport.secureContext();
  const options = {
    connect: { ...(secureContext ? { secureContext } : {}), rejectUnauthorized: transport.trust.rejectUnauthorized, timeout: timeoutMs, ...(transport.lookup ? { lookup: transport.lookup } : {}) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  };
  // Closed model: a loop sends its next request from inside the previous answer's end (see
  // `loop`), while undici still counts that answered request as in flight; one more than
  // `pipelining` lets the next one go out at once. Only `pipelining` loops share a connection, so
  // no more than `pipelining` requests are ever unanswered on it. With undici's own limit at
  // `pipelining`, the socket waits a turn of the event loop first (and checks it is still idle)
  // before every request: the server then sees each burst of answers come back as a burst of
  // requests, and both sides take turns idling (0.8x autocannon's requests/s, 2 cores).
  const dispatchers: Dispatcher[] = params.rate
    ? [new Pool(url.origin, { ...options, connections, pipelining })]
    : Array.from({ length: connections }, () => new Client(url.origin, { ...options, pipelining: pipelining + 1 }));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(params.headers ?? {})) headers[name.toLowerCase()] = value;
  let body: string | undefined = params.body;
  if (params.json !== undefined) {
    body = JSON.stringify(params.json);
    headers['content-type'] ??= 'application/json';
  }
  const bytesOut = body === undefined ? 0 : Buffer.byteLength(body);
  const path = `${url.pathname}${url.search}`;
  const href = url.toString();
  const endpoint = endpointTemplate(href);
  const stats = new EndpointStats();
  const phase: Phase = { stats, spanMs: 0 };

  const started = performance.now();
  const startedEpoch = Date.now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : started + durationMs;
  let sent = 0;
  let lastEnd = started;
  // An endpoint that fails every request is not load-tested any further: the first few say it all.
  const hopeless = (): boolean => stats.successes === 0 && stats.networkErrors >= GIVE_UP_AFTER;
  const more = (): boolean => sent < total && !ctx.signal.aborted && performance.now() < deadline && !hopeless();

  // One abort listener for the whole phase (not one per request) stops every request in flight.
  const inFlight = new Set<(reason: Error) => void>();
  const stopAll = (): void => {
    for (const abort of inFlight) abort(toNetError(ctx.signal.reason, url.host, timeoutMs));
  };
  ctx.signal.addEventListener('abort', stopAll, { once: true });

  // The same for every request (undici reads it, never changes it). undici holds a request back
  // while the one before it has no answer head yet (`blocking`, on by default): `pipelining`
  // would then never put more than one request on the wire.
  const request: Dispatcher.DispatchOptions = { origin: url.origin, path, method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, blocking: false };

  /**
   * One request through the dispatch handler API (no stream objects: the client stays cheap);
   * `done` is called from undici's callback for the answer's end or failure. These are the
   * handler's raw-header callbacks (onConnect/onHeaders/onData/onComplete/onError), the ones
   * undici 7 runs natively: with the onRequestStart/onResponse* ones it wraps every request in
   * an adapter and turns every answer's raw headers into an object, which a phase reads only
   * for a redirect's Location (about 3 us of client CPU a request, 7% of it).
   */
  const send = (dispatcher: Dispatcher, done: (answer: Answer) => void): void => {
    let status = 0;
    let bytesIn = 0;
    let abort: (reason: Error) => void = () => undefined;
    dispatcher.dispatch(
      request,
      {
        onConnect(abortRequest) {
          abort = abortRequest;
          if (ctx.signal.aborted) abort(toNetError(ctx.signal.reason, url.host, timeoutMs));
          else inFlight.add(abort);
        },
        onHeaders(statusCode, rawHeaders) {
          status = statusCode;
          if (status >= 300 && status < 400) {
            const location = headerValue(rawHeaders, 'location');
            phase.redirects ??= { count: 0, status, ...(location !== undefined ? { location } : {}) };
            phase.redirects.count += 1;
          }
          return true;
        },
        onData(chunk) {
          bytesIn += chunk.length;
          // Bodies are counted, never kept; still, one past the run's limit is a failed call.
          if (bytesIn > maxBody) abort(new NetError('too-large', `response body from ${url.host} exceeds the ${formatBytes(maxBody)} limit`));
          return true;
        },
        onComplete() {
          inFlight.delete(abort);
          done({ status, bytesIn });
        },
        onError(error) {
          inFlight.delete(abort);
          done({ ...(status ? { status } : {}), bytesIn, error });
        },
      },
    );
  };

  // The interaction log gets every request, exact, in order; after the phase (see RecordQueue).
  const records = new RecordQueue(WAITING_RECORDS, (r) =>
    ctx.http.record({}, { time: new Date(r.startMs).toISOString(), method, url: href, endpoint, ...(r.status !== undefined ? { status: r.status } : {}), durationMs: r.durationMs, bytesOut, bytesIn: r.bytesIn, ...(r.error ? { error: r.error } : {}) }),
  );
  /** Counts the answer to a request that started at `t0`, and queues it for the log. */
  const settle = (t0: number, { status, bytesIn, error }: Answer): void => {
    const startMs = startedEpoch + (t0 - started);
    const end = performance.now();
    if (end > lastEnd) lastEnd = end;
    const outcome: Pick<Interaction, 'status' | 'durationMs' | 'error'> = { durationMs: end - t0 };
    if (status !== undefined) outcome.status = status;
    let kind: NetErrorKind | undefined;
    if (error !== undefined) {
      const failure = toNetError(error, url.host, timeoutMs);
      phase.firstError ??= failure.message;
      kind = outcome.error = failure.kind;
    }
    stats.add(outcome, startMs);
    records.add(startMs, outcome.durationMs, status, bytesIn, kind);
  };
  /** One request of the open model, through the pool; latency counts from its scheduled start `t0`. */
  const one = (t0: number): Promise<void> =>
    new Promise((resolve) =>
      send(dispatchers[0]!, (answer) => {
        settle(t0, answer);
        resolve();
      }),
    );
  /**
   * A closed-model loop on one connection: the next request is sent from the callback that ends
   * the previous one, not after a promise settles, so it is written before undici reads the next
   * answer off the socket (autocannon's order). After a failure the next request waits a turn of
   * the event loop: a dispatcher that fails at once must not recurse.
   */
  const loop = (dispatcher: Dispatcher): Promise<void> =>
    new Promise((resolve) => {
      const next = (): void => {
        if (!more()) return resolve();
        sent += 1;
        const t0 = performance.now();
        send(dispatcher, (answer) => {
          settle(t0, answer);
          if (answer.error === undefined) next();
          else setImmediate(next);
        });
      };
      next();
    });

  const report = (): void => {
    const elapsed = (performance.now() - started) / 1000;
    const of = Number.isFinite(total) ? `/${total.toLocaleString('en-US')}` : '';
    ctx.progress?.({ message: `${stats.requests.toLocaleString('en-US')}${of} requests, ${Math.round(stats.requests / Math.max(elapsed, 1e-3)).toLocaleString('en-US')} req/s`, ...(Number.isFinite(total) ? { fraction: stats.requests / total } : durationMs ? { fraction: Math.min(1, (elapsed * 1000) / durationMs) } : {}) });
  };
  const progress = setInterval(report, PROGRESS_EVERY_MS);
  try {
    if (params.rate) await openModel(params.rate, started, deadline, total, () => ctx.signal.aborted || hopeless(), () => (sent += 1), one);
    else await Promise.all(Array.from({ length: connections * pipelining }, (_, i) => loop(dispatchers[i % connections]!)));
  } finally {
    clearInterval(progress);
    // The last word on the phase: a phase shorter than one interval (500 requests on a fast
    // machine) would otherwise end with no progress at all, and a longer one short of its end.
    if (!ctx.signal.aborted) report();
    ctx.signal.removeEventListener('abort', stopAll);
    await Promise.all(dispatchers.map((d) => d.destroy().catch(() => undefined)));
    records.drain();
  }
  phase.spanMs = lastEnd - started;
  return phase;
}

/** The first value of header `name` (lower case) among raw `[name, value, ...]` pairs. */
function headerValue(rawHeaders: readonly (Buffer | string)[], name: string): string | undefined {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toString('latin1').toLowerCase() === name) return rawHeaders[i + 1]!.toString('latin1');
  }
  return undefined;
}

/**
 * Starts requests on a fixed schedule (`rate` per second, the first at `origin`) until `deadline`
 * or `total`, and waits for all of them. Every request scheduled before the deadline is sent, even
 * when the event loop wakes up late: the phase offers exactly rate x duration requests (unless
 * `stopped` says so first). The schedule starts where the deadline was counted from: counted from
 * this function's own start, the phase's setup time (a busy CI machine: 10 ms, two requests at
 * 200/s) was taken off the schedule and the phase offered fewer.
 */
export async function openModel(rate: number, origin: number, deadline: number, total: number, stopped: () => boolean, count: () => void, one: (t0: number) => Promise<void>): Promise<void> {
  const interval = 1000 / rate;
  const inFlight = new Set<Promise<void>>();
  let scheduled = 0;
  for (;;) {
    const now = Math.min(performance.now(), deadline);
    // Start every request whose scheduled time has come; latency counts from that time.
    while (origin + scheduled * interval < now && scheduled < total && !stopped()) {
      const t0 = origin + scheduled * interval;
      scheduled += 1;
      count();
      const task = one(t0).finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    if (now >= deadline || scheduled >= total || stopped()) break;
    const wait = origin + scheduled * interval - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(wait, 50))));
  }
  await Promise.all(inFlight);
}
