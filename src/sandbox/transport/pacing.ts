import type { IncomingMessage } from 'node:http';
import type { FaultSet } from '../faults.js';
import { ProblemError } from '../respond.js';

/** Request header asking the sandbox to hold its response this many milliseconds (timeout tests). */
export const DELAY_HEADER = 'sandbox-delay';
/** Longest delay the header may ask for. */
export const MAX_DELAY_MS = 30_000;
/** `slow-api`: one payments API response in this many is held back... */
export const SLOW_API_EVERY = 4;
/**
 * ...by this many milliseconds: five times the 500 ms p95 default threshold of `kpi` and `load`,
 * and well above the 1.5 s the go-live suite allows (which a busy machine must not reach).
 */
export const SLOW_API_DELAY_MS = 2_500;
/** `flaky`: one authenticated payments API request in this many is answered 503. */
export const FLAKY_EVERY = 10;

/** Where the payments API lives: the paths `slow-api` and `flaky` affect. */
const API_PREFIX = '/v1/';

/**
 * Latency and availability of the emulated API: a fixed latency for every response (`--latency`),
 * a per-request delay (`Sandbox-Delay: <ms>`, applied after the request was processed, as when a
 * response is lost on the way), and the `slow-api` and `flaky` faults. Counters make the faults
 * deterministic: the same sequence of requests meets the same slow and failed answers.
 */
export class Pacing {
  private slowCount = 0;
  private flakyCount = 0;

  constructor(
    private readonly faults: FaultSet,
    /** Added to every response, in milliseconds. */
    readonly latencyMs = 0,
  ) {}

  /** Milliseconds to hold the response to `req` after it was handled. */
  delayFor(req: IncomingMessage, pathname: string): number {
    let delay = this.latencyMs;
    const asked = Number(req.headers[DELAY_HEADER]);
    if (Number.isFinite(asked) && asked > 0) delay += Math.min(asked, MAX_DELAY_MS);
    if (this.faults.has('slow-api') && pathname.startsWith(API_PREFIX)) {
      this.slowCount += 1;
      if (this.slowCount % SLOW_API_EVERY === 0) delay += SLOW_API_DELAY_MS;
    }
    return delay;
  }

  /** Under `flaky`, throws a 503 for one authenticated payments request in FLAKY_EVERY, before anything is done. */
  admit(): void {
    if (!this.faults.has('flaky')) return;
    this.flakyCount += 1;
    if (this.flakyCount % FLAKY_EVERY !== 0) return;
    throw new ProblemError({
      status: 503,
      code: 'service_unavailable',
      title: 'Service unavailable',
      detail: 'The payments API is temporarily unavailable; nothing was processed. Retry after the Retry-After delay (with the same Idempotency-Key).',
      headers: { 'retry-after': '1' },
    });
  }
}
