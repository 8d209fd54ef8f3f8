import type { IncomingMessage } from 'node:http';
import type { FaultSet } from '../faults.js';
import type { Reply } from '../respond.js';
import { ADYEN_ERRORS, AdyenError } from './errors.js';

/** The request and response header (Adyen: "check the Idempotency-Key HTTP header returned in the response"). */
export const ADYEN_IDEMPOTENCY_HEADER = 'idempotency-key';
/** "The <key> is a unique identifier for the message with a maximum of 64 characters." */
export const MAX_ADYEN_KEY_LENGTH = 64;
/** "Idempotency keys are valid for a minimum period of 31 days after first submission." */
export const ADYEN_KEY_TTL_MS = 31 * 24 * 60 * 60 * 1000;

/**
 * Adyen's API idempotency (docs.adyen.com/development-resources/api-idempotency): "If you don't
 * receive a response (for example, in case of a timeout), you can safely retry the request with the
 * same header. If the Adyen payments platform already processed the request, the response to the
 * first attempt will be returned without duplication." Keys "are stored at a company account
 * level": one API key here, so one scope. Adyen documents no comparison of request bodies, so a
 * reused key gets the first response back whatever the body (unlike Stripe's 400
 * idempotency_error). A key whose first request is still being processed gets 409 with errorCode
 * 704 and `Transient-Error: true` ("the request can be retried at a later time using the same
 * idempotency key"). Only answers below 400 are stored (authorised and refused payments alike):
 * a request refused before processing may be corrected and sent again with its key.
 */
export class AdyenIdempotency {
  private readonly entries = new Map<string, { reply: Reply; storedAt: number }>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly faults: FaultSet,
    private readonly capacity = 100_000,
  ) {}

  /** Runs `handle` once per key; the reply carries the key back in `Idempotency-Key`. */
  async run(req: IncomingMessage, scope: string, handle: () => Promise<Reply> | Reply): Promise<Reply> {
    const raw = req.headers[ADYEN_IDEMPOTENCY_HEADER];
    const key = Array.isArray(raw) ? raw[0] : raw;
    // `no-idempotency`: the header is ignored, a retry is processed again.
    if (key === undefined || this.faults.on('idempotencyOff')) return handle();
    if (key.length === 0 || key.length > MAX_ADYEN_KEY_LENGTH) throw new AdyenError(ADYEN_ERRORS.idempotencyKeyTooLong);
    const echo = { [ADYEN_IDEMPOTENCY_HEADER]: key };
    const scoped = `${scope}\u0000${key}`;
    const stored = this.entries.get(scoped);
    if (stored && Date.now() - stored.storedAt < ADYEN_KEY_TTL_MS) return { ...stored.reply, headers: { ...stored.reply.headers, ...echo } };
    if (this.inFlight.has(scoped)) throw new AdyenError(ADYEN_ERRORS.idempotencyInProgress, { 'transient-error': 'true', ...echo });
    this.inFlight.add(scoped);
    try {
      const reply = await handle();
      if (reply.status < 400) this.remember(scoped, reply);
      return { ...reply, headers: { ...reply.headers, ...echo } };
    } finally {
      this.inFlight.delete(scoped);
    }
  }

  private remember(key: string, reply: Reply): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { reply, storedAt: Date.now() });
  }
}
