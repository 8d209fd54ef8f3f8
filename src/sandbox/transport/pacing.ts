import type { IncomingMessage } from 'node:http';
import type { FaultSet } from '../faults.js';
import { ProblemError } from '../respond.js';

/** Request header asking the sandbox to hold its response this many milliseconds (timeout tests). */
export const DELAY_HEADER = 'sandbox-delay';
/** Longest delay the header may ask for. */
export const MAX_DELAY_MS = 30_000;
/**
 * Latency and availability of the emulated API: a fixed latency for every response (`--latency`),
 * a per-request delay (`Sandbox-Delay: <ms>`, applied after the request was processed, as when a
 * response is lost on the way), and what the active faults add (`slow-api`, `flaky`).
 */
export class Pacing {
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
    return this.faults.apply('responseDelay', delay, pathname);
  }

  /** Throws the refusal a fault gives an authenticated payments request (`flaky`'s 503), before anything is done. */
  admit(): void {
    const refusal = this.faults.apply('paymentRefusal', undefined);
    if (refusal) throw new ProblemError(refusal);
  }
}
