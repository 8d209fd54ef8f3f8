/**
 * The sandbox's control API as both sides speak it (docs/sandbox.md, "Control API"): the
 * behaviours a runner plans for one order, the TLS modes, and the record of each provider request.
 * The sandbox serves it (src/sandbox/control/), the `integration` check type calls it
 * (src/checks/integration/control.ts); neither imports the other, both import this.
 */

/** How the sandbox treats the provider API requests of one order. */
export type Behaviour =
  | { kind: 'normal' }
  | { kind: 'decline'; code?: string }
  | { kind: 'timeout'; delayMs: number; times?: number }
  | { kind: 'error'; status: ErrorStatus; times?: number; retryAfter?: number }
  | { kind: 'cap'; max: number }
  | { kind: '3ds' }
  | { kind: 'invalid-token' };

/** Statuses the `error` behaviour answers with. */
export type ErrorStatus = 500 | 502 | 503 | 429;
/** The statuses of `ErrorStatus`, for validation. */
export const ERROR_STATUSES: readonly number[] = [500, 502, 503, 429];

/** The decline code of `{ kind: "decline" }` without one: a hard decline (never retry it). */
export const DEFAULT_DECLINE_CODE = 'do_not_honor';

/** What a request did to a payment. */
export type Operation = 'create' | 'confirm' | 'capture' | 'cancel' | 'refund' | 'read' | 'other';

/** How a request ended, as far as the payment is concerned. */
export type Outcome = 'succeeded' | 'requires_capture' | 'requires_action' | 'declined' | 'refused' | 'error';

/** One provider API request as the control API reports it (CONTRACT "RequestRecord"). */
export interface RequestRecord {
  /** ISO time it arrived. */
  time: string;
  /** HTTP method. */
  method: string;
  /** Path without the query. */
  path: string;
  /** Status answered (0 while it is still being answered). */
  status: number;
  /** What it did. */
  operation: Operation;
  /** The order it belongs to; absent when untagged. */
  orderRef?: string;
  /** Its `Idempotency-Key`. */
  idempotencyKey?: string;
  /** Amount in minor units (asked for, or of the payment). */
  amount?: number;
  /** Currency of `amount`. */
  currency?: string;
  /** The payment it concerns: `pi_...`, `pay_...` or a pspReference. */
  paymentId?: string;
  /** How it ended. */
  outcome?: Outcome;
  /** The decline code of a declined payment. */
  declineCode?: string;
  /** A whole card number was in the body. */
  rawCard: boolean;
  /** The query carried a credential (key, token, secret, password...) or the URL had userinfo. */
  credentialInUrl: boolean;
  /** How the request authenticated. */
  auth: 'bearer' | 'basic' | 'api-key' | 'none';
  /** The access token's `jti` (payready dialect). */
  tokenId?: string;
  /** It arrived before the Retry-After of an earlier refusal of its order had passed. */
  early?: true;
  /** Its answer was held this long (the `timeout` behaviour). */
  delayedMs?: number;
}

/** What `PUT /tls` switches the HTTPS API to, for new connections. */
export const TLS_MODES = ['normal', 'untrusted', 'wrong-host', 'tls1.1'] as const;

/** One of `TLS_MODES`. */
export type TlsMode = (typeof TLS_MODES)[number];
