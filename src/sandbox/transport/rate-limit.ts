import type { SandboxContext } from '../context.js';
import { json, problem, type Reply } from '../respond.js';
import type { RouteRequest, Router } from '../router.js';
import { clientAddress } from './allowlist.js';

/** The rate-limited endpoint: answers the caller's budget, and 429 once it is spent. */
export const RATE_LIMIT_PATH = '/v1/rate-limit';
/** Requests a client may send in one burst (the limit the provider "declares"). */
export const RATE_LIMIT_BURST = 20;
/** Tokens added back per second: slow enough that even a slow burst cannot outrun the count. */
export const RATE_LIMIT_REFILL_PER_SECOND = 1;

/** One client's bucket. */
interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * Token buckets per client address (RFC 6585 §4 429 + Retry-After). Only `RATE_LIMIT_PATH` is
 * limited: a limit on every endpoint would make the demo's other checks, and load tests against
 * the sandbox, depend on the order they run in.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    /** Burst size. */
    readonly capacity: number,
    /** Refill rate in tokens per second. */
    readonly refillPerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `key`; when none is left, says how many seconds until one is. */
  take(key: string): { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updated: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + ((now - bucket.updated) / 1000) * this.refillPerSecond);
    bucket.updated = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, remaining: Math.floor(bucket.tokens) };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerSecond)) };
  }
}

function limited(request: RouteRequest, ctx: SandboxContext, buckets: TokenBuckets): Reply {
  const headers = { 'ratelimit-limit': String(buckets.capacity) };
  if (ctx.faults.on('rateLimitOff')) return json(200, { limit: null, remaining: null }, headers);
  const taken = buckets.take(clientAddress(request.req));
  if (taken.allowed) return json(200, { limit: buckets.capacity, remaining: taken.remaining, refillPerSecond: buckets.refillPerSecond }, { ...headers, 'ratelimit-remaining': String(taken.remaining) });
  return problem({
    status: 429,
    code: 'rate_limited',
    title: 'Too many requests',
    detail: `At most ${buckets.capacity} requests in a burst, refilled at ${buckets.refillPerSecond} per second; retry after ${taken.retryAfterSeconds} s.`,
    headers: { ...headers, 'ratelimit-remaining': '0', 'retry-after': String(taken.retryAfterSeconds) },
  });
}

/** The rate-limited endpoint. */
export function registerRateLimitRoutes(router: Router, ctx: SandboxContext): void {
  const buckets = new TokenBuckets(RATE_LIMIT_BURST, RATE_LIMIT_REFILL_PER_SECOND);
  router.get(RATE_LIMIT_PATH, (request) => limited(request, ctx, buckets));
}
