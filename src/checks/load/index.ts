import { Pool, type Dispatcher } from 'undici';
import { assertion, describeFailure } from '../../model/operators.js';
import { DEFAULT_THRESHOLDS, describePassed, evaluateThresholds, formatMetric, metricValue, parseThreshold, statsMeasurements, thresholdListSchema, type Threshold } from '../shared/thresholds.js';
import { legacyCheck, type CheckContext } from '../types.js';
import type { Outcome } from '../../model/outcome.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';
import { NetError, toNetError } from '../../net/errors.js';
import { formatBytes } from '../../net/http.js';
import { EndpointStats, endpointTemplate, type Interaction } from '../../model/interactions.js';
import { parseDuration } from '../../model/duration.js';
import { DURATION } from '../../model/patterns.js';
import { nounFor, plural } from '../../text.js';

/** Parameters of the `load` check type. */
export interface LoadParams {
  /** Absolute URL of the endpoint. */
  url: string;
  /** HTTP method. */
  method: Dispatcher.HttpMethod;
  /** Request headers. */
  headers?: Record<string, string>;
  /** Raw request body. */
  body?: string;
  /** JSON request body. */
  json?: unknown;
  /** Stop after this many requests. */
  requests?: number;
  /** Stop after this long (a duration or milliseconds). */
  duration?: string | number;
  /** Connections kept open. */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining). */
  pipelining: number;
  /** Arrival rate in requests per second (open model); absent: as fast as responses come back. */
  rate?: number;
  /** Timeout of one request in milliseconds. */
  requestTimeoutMs: number;
  /** Thresholds over the phase. */
  thresholds?: string[];
}

/** Requests when neither `requests` nor `duration` is given. */
const DEFAULT_REQUESTS = 1000;
/** A phase stops once this many requests failed without a response and none succeeded. */
const GIVE_UP_AFTER = 10;
/** How often progress is reported while the phase runs. */
const PROGRESS_EVERY_MS = 250;

export default legacyCheck<LoadParams>({
  name: 'load',
  description: 'A bounded load phase against one endpoint (requests or duration, connections, optional arrival rate) with exact latency percentiles, judged by k6-style thresholds.',
  // KPIs measured under a load phase; like kpi, it cannot see the team's own logs (3.2.a).
  items: ['3.2.b'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  // After the functional checks, so its traffic neither slows them down nor skews their timings.
  runsLast: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'Absolute URL of the endpoint, e.g. ${target.baseUrl}/v1/payments/${checks.pay.paymentId}.' },
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers; credentials from ${secrets.x} or a secret capture.' },
      body: { type: 'string', description: 'Raw request body.' },
      json: { description: 'Request body sent as JSON.' },
      requests: { type: 'integer', minimum: 1, maximum: 10_000_000, description: `Stop after this many requests (default ${DEFAULT_REQUESTS} when no duration is given).` },
      duration: { type: ['integer', 'string'], minimum: 1, pattern: DURATION, description: 'Stop after this long: "10s", "500ms" or milliseconds (whichever of requests and duration comes first).' },
      connections: { type: 'integer', minimum: 1, maximum: 1000, default: 10, description: 'Connections kept open to the endpoint.' },
      pipelining: { type: 'integer', minimum: 1, maximum: 100, default: 1, description: 'Requests in flight per connection (HTTP/1.1 pipelining).' },
      rate: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000, description: 'Arrival rate in requests/s (open model: latency counts from the scheduled start); default: closed model, as fast as answers come.' },
      requestTimeoutMs: { type: 'integer', minimum: 1, default: 10_000, description: 'Timeout of one request in milliseconds.' },
      thresholds: { ...thresholdListSchema, default: [...DEFAULT_THRESHOLDS], description: 'Thresholds over the phase, e.g. ["p99 < 100ms", "errorRate < 1%", "rps > 500"].' },
    },
  },
  values: { requests: 'requests completed', rps: 'requests per second', p50: 'median latency (ms)', p95: 'p95 latency (ms)', p99: 'p99 latency (ms)', errorRate: 'share of 5xx and failed requests, in %' },
  example: { url: '${target.baseUrl}/health', requests: 2000, duration: '5s', connections: 10, thresholds: ['p99 < 100ms', 'errorRate < 1%'] },

  async run(params, ctx): Promise<Outcome> {
    let thresholds: Threshold[];
    try {
      thresholds = (params.thresholds ?? DEFAULT_THRESHOLDS).map(parseThreshold);
    } catch (err) {
      return { status: 'error', summary: (err as Error).message };
    }
    let url: URL;
    try {
      url = new URL(params.url);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    } catch {
      return { status: 'error', summary: `not an http(s) URL: ${params.url}` };
    }
    const durationMs = params.duration === undefined ? undefined : parseDuration(params.duration);
    const total = params.requests ?? (durationMs === undefined ? DEFAULT_REQUESTS : Number.POSITIVE_INFINITY);
    const label = `${params.method ?? 'GET'} ${endpointTemplate(url.toString())}`;

    const phase = await runPhase(params, ctx, url, total, durationMs);
    const { stats, spanMs } = phase;
    if (stats.requests === 0) return { status: 'error', summary: `${label}: no request completed${ctx.signal.aborted ? ' before the check was stopped' : ''}` };
    if (stats.successes === 0 && stats.networkErrors === stats.requests) {
      const stopped = stats.requests < total ? `; stopped after ${stats.requests}` : '';
      return { status: 'error', summary: `${label}: every request failed (${phase.firstError ?? 'no response'})${stopped}`, measurements: statsMeasurements(stats, '', spanMs) };
    }

    const assertions = evaluateThresholds(thresholds, stats, label, spanMs);
    // A redirect is a success to the KPIs, but a phase of redirects measured the wrong endpoint.
    if (phase.redirects) {
      const { count, status, location } = phase.redirects;
      assertions.unshift(assertion('redirects', 'eq', 0, count, `${label}: ${count.toLocaleString('en-US')} of ${stats.requests.toLocaleString('en-US')} responses were redirects (${status}${location ? ` to ${location}` : ''}): load-test the final URL, not a redirect`));
    }
    const failed = assertions.filter((a) => !a.passed);
    const shape = `${stats.requests.toLocaleString('en-US')} ${nounFor(stats.requests, 'request')} in ${(spanMs / 1000).toFixed(2)} s over ${plural(params.connections ?? 10, 'connection')}${params.rate ? ` at ${params.rate} req/s offered` : ''}`;
    const figures = `${formatMetric('throughput', metricValue(stats, 'rps', spanMs))}, p50 ${formatMetric('latency', metricValue(stats, 'p50'))}, p99 ${formatMetric('latency', metricValue(stats, 'p99'))}`;
    return {
      status: failed.length === 0 ? 'pass' : 'fail',
      summary:
        failed.length === 0
          ? `${label}: ${shape}: ${figures}; ${thresholds.map((t) => describePassed(t, stats, spanMs)).join(', ')}`
          : `${describeFailure(failed[0]!)}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}; ${shape}`,
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
  },
});

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

/**
 * Sends requests through one undici Pool (its dispatch handler API) until `total` were sent or `durationMs` passed. Closed
 * model: `connections x pipelining` loops, each sending its next request when the previous one
 * is answered. Open model (`rate`): requests start on schedule whatever the answers, and latency
 * counts from the scheduled start, so a slow server is not hidden (no coordinated omission).
 */
async function runPhase(params: LoadParams, ctx: CheckContext, url: URL, total: number, durationMs: number | undefined): Promise<Phase> {
  const connections = params.connections ?? 10;
  const pipelining = params.pipelining ?? 1;
  const timeoutMs = Math.min(params.requestTimeoutMs ?? 10_000, ctx.timeoutMs);
  const { transport } = ctx.http;
  const maxBody = transport.maxBodyBytes;
  const secureContext = transport.secureContext();
  const pool = new Pool(url.origin, {
    connections,
    pipelining,
    connect: { ...(secureContext ? { secureContext } : {}), rejectUnauthorized: transport.trust.rejectUnauthorized, timeout: timeoutMs, ...(transport.lookup ? { lookup: transport.lookup } : {}) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const method = params.method ?? 'GET';
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
  const inFlight = new Set<Dispatcher.DispatchController>();
  const stopAll = (): void => {
    for (const controller of inFlight) controller.abort(toNetError(ctx.signal.reason, url.host, timeoutMs));
  };
  ctx.signal.addEventListener('abort', stopAll, { once: true });

  /** One request through the pool's handler API (no stream objects: the client stays cheap). */
  const send = (): Promise<{ status?: number; bytesIn: number; error?: unknown }> =>
    new Promise((resolve) => {
      let status = 0;
      let bytesIn = 0;
      pool.dispatch(
        { origin: url.origin, path, method, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs },
        {
          onRequestStart(controller) {
            if (ctx.signal.aborted) controller.abort(toNetError(ctx.signal.reason, url.host, timeoutMs));
            else inFlight.add(controller);
          },
          onResponseStart(_controller, statusCode, responseHeaders) {
            status = statusCode;
            if (status >= 300 && status < 400) {
              const location = responseHeaders['location'];
              phase.redirects ??= { count: 0, status, ...(typeof location === 'string' ? { location } : {}) };
              phase.redirects.count += 1;
            }
          },
          onResponseData(controller, chunk) {
            bytesIn += chunk.length;
            // Bodies are counted, never kept; still, one past the run's limit is a failed call.
            if (bytesIn > maxBody) controller.abort(new NetError('too-large', `response body from ${url.host} exceeds the ${formatBytes(maxBody)} limit`));
          },
          onResponseEnd(controller) {
            inFlight.delete(controller);
            resolve({ status, bytesIn });
          },
          onResponseError(controller, error) {
            inFlight.delete(controller);
            resolve({ ...(status ? { status } : {}), bytesIn, error });
          },
        },
      );
    });

  const one = async (t0: number): Promise<void> => {
    const startMs = startedEpoch + (t0 - started);
    const { status, bytesIn, error } = await send();
    const end = performance.now();
    if (end > lastEnd) lastEnd = end;
    const entry: Interaction = { time: new Date(startMs).toISOString(), checkId: ctx.checkId, method, url: href, endpoint, ...(status !== undefined ? { status } : {}), durationMs: end - t0, bytesOut, bytesIn };
    if (error !== undefined) {
      const failure = toNetError(error, url.host, timeoutMs);
      phase.firstError ??= failure.message;
      entry.error = failure.kind;
    }
    stats.add(entry, startMs);
    ctx.http.record({}, entry);
  };

  const progress = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    const of = Number.isFinite(total) ? `/${total.toLocaleString('en-US')}` : '';
    ctx.progress?.({ message: `${stats.requests.toLocaleString('en-US')}${of} requests, ${Math.round(stats.requests / Math.max(elapsed, 1e-3)).toLocaleString('en-US')} req/s`, ...(Number.isFinite(total) ? { fraction: stats.requests / total } : durationMs ? { fraction: Math.min(1, (elapsed * 1000) / durationMs) } : {}) });
  }, PROGRESS_EVERY_MS);
  try {
    if (params.rate) await openModel(params.rate, deadline, total, () => ctx.signal.aborted || hopeless(), () => (sent += 1), one);
    else {
      const loop = async (): Promise<void> => {
        while (more()) {
          sent += 1;
          await one(performance.now());
        }
      };
      await Promise.all(Array.from({ length: connections * pipelining }, loop));
    }
  } finally {
    clearInterval(progress);
    ctx.signal.removeEventListener('abort', stopAll);
    await pool.destroy().catch(() => undefined);
  }
  phase.spanMs = lastEnd - started;
  return phase;
}

/**
 * Starts requests on a fixed schedule (`rate` per second) until `deadline` or `total`, and waits
 * for all of them. Every request scheduled before the deadline is sent, even when the event loop
 * wakes up late: the phase offers exactly rate x duration requests (unless `stopped` says so first).
 */
async function openModel(rate: number, deadline: number, total: number, stopped: () => boolean, count: () => void, one: (t0: number) => Promise<void>): Promise<void> {
  const interval = 1000 / rate;
  const inFlight = new Set<Promise<void>>();
  const origin = performance.now();
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
