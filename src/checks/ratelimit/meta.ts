import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';

/** A burst never sends more than this many requests, whatever the suite asks. */
export const HARD_MAX_REQUESTS = 1000;
/** A burst never lasts longer than this, in seconds. */
const HARD_MAX_SECONDS = 30;

/** The `ratelimit` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'ratelimit',
  title: 'Rate limit',
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
} as const;
