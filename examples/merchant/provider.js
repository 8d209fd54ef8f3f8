// What the checkout needs from a payment provider, whichever it is. Each provider module
// (stripe-provider.js, payready-provider.js) turns its API's answers and errors into these
// outcomes, so the checkout's rules (retries, splitting, messages) are written once.

/**
 * One payment to make.
 * @typedef {object} PaymentRequest
 * @property {string} orderId
 * @property {number} amount  minor units
 * @property {string} currency  lowercase ISO code
 * @property {string} paymentMethod  the token the shopper's browser got, e.g. pm_card_visa
 * @property {string} returnUrl  where the shopper comes back after 3-D Secure
 * @property {string | undefined} idempotencyKey  the same for every retry of the same call
 * @property {Record<string, string>} metadata  stored on the payment (order_id, part)
 */

/**
 * How a call ended.
 * @typedef {{ kind: 'succeeded', paymentId: string }
 *   | { kind: 'requires_action', paymentId: string, redirectUrl: string }
 *   | { kind: 'declined', paymentId: string | undefined, code: string, declineCode: string | undefined, providerMessage: string }
 *   | { kind: 'over-cap', providerMessage: string }
 *   | { kind: 'retryable', reason: string, retryAfterMs: number | undefined }
 *   | { kind: 'failed', reason: 'tls' | 'unavailable' | 'rejected', detail: string }} Outcome
 */

/**
 * A payment as the provider has it now (after a redirect, for instance).
 * @typedef {object} PaymentState
 * @property {string} paymentId
 * @property {string | undefined} orderId
 * @property {'succeeded' | 'requires_action' | 'failed' | 'processing' | 'canceled'} status
 * @property {string | undefined} failureCode
 */

/**
 * @typedef {object} Provider
 * @property {'stripe' | 'payready'} name
 * @property {(request: PaymentRequest) => Promise<Outcome>} pay  one call, no retry
 * @property {(paymentId: string, idempotencyKey: string | undefined) => Promise<Outcome>} refund  refunds a payment in full, one call
 * @property {(paymentId: string) => Promise<PaymentState>} retrieve
 */

/** Error codes of TLS failures: a certificate nobody trusts, another host's, or an old protocol. No retry helps. */
const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|EPROTO$)/;

/**
 * Whether a transport error is a TLS failure.
 * @param {unknown} error
 */
export function isTlsError(error) {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = /** @type {{ cause?: unknown }} */ (e).cause, depth++) {
    const code = /** @type {{ code?: unknown }} */ (e).code;
    if (typeof code === 'string' && TLS_CODES.test(code)) return true;
    const message = /** @type {{ message?: unknown }} */ (e).message;
    if (typeof message === 'string' && /certificate|ssl|tls/i.test(message) && !/timeout/i.test(message)) return true;
  }
  return false;
}

/**
 * The delay a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date (RFC 9110
 * 10.2.3); undefined when absent or unreadable.
 * @param {string | string[] | undefined | null} header
 * @returns {number | undefined}
 */
export function retryAfterMs(header) {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
