import { createHash } from 'node:crypto';
import type { FaultSet } from '../faults.js';
import type { Reply } from '../respond.js';
import { StripeApiError, docUrl } from './errors.js';
import type { FormMap } from './form.js';

/**
 * Stripe's idempotent requests (https://docs.stripe.com/api/idempotent_requests):
 *
 * "Stripe's idempotency works by saving the resulting status code and body of the first request
 * made for any given idempotency key, regardless of whether it succeeds or fails. Subsequent
 * requests with the same key return the same result." ... "The idempotency layer compares
 * incoming parameters to those of the original request and errors if they're not the same to
 * prevent accidental misuse." ... "Results are only saved if an API endpoint started executing.
 * If incoming parameters failed validation, or the request conflicted with another that was
 * executing concurrently, no idempotent result is saved" ... "Idempotency keys can be up to 255
 * characters long." ... "You can remove keys from the system automatically after they're at
 * least 24 hours old". A replayed response carries `Idempotent-Replayed: true`.
 *
 * The error texts are the API's (as stripe-node's and stripe-php's tests quote them).
 */

/** How long a key is remembered. */
const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 255;
const CAPACITY = 100_000;

interface Stored {
  path: string;
  fingerprint: string;
  reply: Reply;
  at: number;
}

/** Canonical text of a form body: member order does not matter, values do. */
function canonical(value: FormMap | FormMap[keyof FormMap]): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key] ?? '')}`)
    .join(',')}}`;
}

/** Responses remembered per `Idempotency-Key` of POST requests. */
export class StripeIdempotency {
  private readonly entries = new Map<string, Stored>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly faults: FaultSet) {}

  /**
   * Runs `handle` once per key: a replay with the same parameters gets the stored answer; other
   * parameters, or another endpoint, are refused with an idempotency_error. `final(error)` says
   * whether a StripeApiError `handle` throws is stored (it is when the endpoint had started work).
   */
  async run(key: string | undefined, path: string, params: FormMap, handle: () => Promise<Reply> | Reply, errorReply: (error: StripeApiError) => Reply): Promise<Reply> {
    // `no-idempotency`: the header is ignored, so a retried request is processed again.
    if (key === undefined || this.faults.on('idempotencyOff')) return handle();
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new StripeApiError(400, { type: 'invalid_request_error', message: `Invalid idempotency key: it must be a string of 1 to ${MAX_KEY_LENGTH} characters.`, param: 'Idempotency-Key' });
    }
    const fingerprint = createHash('sha256').update(canonical(params)).digest('hex');
    const stored = this.entries.get(key);
    if (stored && Date.now() - stored.at < TTL_MS) {
      if (stored.path !== path) {
        throw new StripeApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${stored.path}' vs '${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      if (stored.fingerprint !== fingerprint) {
        throw new StripeApiError(400, {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        });
      }
      return { ...stored.reply, headers: { ...stored.reply.headers, 'idempotent-replayed': 'true', 'original-request': stored.reply.headers?.['request-id'] ?? '' } };
    }
    if (this.inFlight.has(key)) {
      throw new StripeApiError(409, {
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        doc_url: docUrl('idempotency_key_in_use'),
        message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
      });
    }
    this.inFlight.add(key);
    try {
      let reply: Reply;
      try {
        reply = await handle();
      } catch (error) {
        if (!(error instanceof StripeApiError) || !error.final) throw error;
        reply = errorReply(error);
      }
      this.remember(key, { path, fingerprint, reply, at: Date.now() });
      return reply;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private remember(key: string, entry: Stored): void {
    this.entries.delete(key);
    if (this.entries.size >= CAPACITY) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }
}
