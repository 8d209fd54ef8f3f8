import { DURATION } from '../../model/patterns.js';
import { DEFAULT_THRESHOLDS, thresholdListSchema } from '../shared/thresholds.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';

/** Requests when neither `requests` nor `duration` is given (a default that depends on `duration`, so not a schema default). */
export const DEFAULT_REQUESTS = 1000;

/** The `load` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'load',
  title: 'Load phase',
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
} as const;
