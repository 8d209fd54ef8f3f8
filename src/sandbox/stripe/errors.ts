import { randomBytes } from 'node:crypto';
import { json, type Reply } from '../respond.js';

/**
 * Stripe's error object (https://docs.stripe.com/api/errors): "Stripe uses conventional HTTP
 * response codes ... 400 Bad Request, 401 Unauthorized, 402 Request Failed: the parameters were
 * valid but the request failed, ... 409 Conflict ... 429 ... 500, 502, 503, 504 Server Errors",
 * and the body is `{ error: { type, code?, decline_code?, message, param?, doc_url?, ... } }`.
 * stripe-node maps `type` to its error classes (card_error: StripeCardError, idempotency_error:
 * StripeIdempotencyError, invalid_request_error: StripeInvalidRequestError, api_error:
 * StripeAPIError; a 401 is StripeAuthenticationError whatever the type).
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error' | 'rate_limit_error';

/** The members of an error body. */
export interface StripeErrorBody {
  /** What kind of error. */
  type: StripeErrorType;
  /** Human-readable text; card errors' can be shown to the customer. */
  message: string;
  /** A short code (https://docs.stripe.com/error-codes). */
  code?: string;
  /** The issuer's reason, for card declines (https://docs.stripe.com/declines/codes). */
  decline_code?: string;
  /** The parameter the error relates to. */
  param?: string;
  /** The error code's page. */
  doc_url?: string;
  /** The charge, for card errors. */
  charge?: string;
  /** The PaymentIntent after the failure, for errors of a PaymentIntent request. */
  payment_intent?: Record<string, unknown>;
  /** The payment method that failed. */
  payment_method?: Record<string, unknown>;
  /** Any other member. */
  [member: string]: unknown;
}

/** Where the documentation of an error code lives, as Stripe fills `doc_url`. */
export function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

/** An error thrown by a handler; the routes turn it into Stripe's error reply. */
export class StripeApiError extends Error {
  override readonly name = 'StripeApiError';

  constructor(
    /** HTTP status. */
    readonly status: number,
    /** The `error` member of the body. */
    readonly body: StripeErrorBody,
    /** Extra response headers (Retry-After, WWW-Authenticate). */
    readonly headers: Record<string, string> = {},
    /** Whether the idempotency layer stores this answer (Stripe stores what an endpoint started executing). */
    readonly final = false,
  ) {
    super(body.message);
  }
}

/** A 400 invalid_request_error, with a `doc_url` when it has a code. */
export function invalidRequest(message: string, extra: { code?: string; param?: string } = {}): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', message, ...extra, ...(extra.code ? { doc_url: docUrl(extra.code) } : {}) });
}

/** Stripe's `resource_missing` 404, worded as the API words it ("No such payment_intent: 'pi_123'"). */
export function noSuch(kind: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, { type: 'invalid_request_error', code: 'resource_missing', doc_url: docUrl('resource_missing'), message: `No such ${kind}: '${id}'`, param });
}

/** `req_` + random: the Request-Id header Stripe sends on every response. */
export function requestId(): string {
  return `req_${randomBytes(7).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** The reply for an error. */
export function errorReply(error: StripeApiError, id: string): Reply {
  return json(error.status, { error: error.body }, { 'request-id': id, ...error.headers });
}
