import { cardForLog, decimalsOf, formatAmount } from './cards.js';

/** @typedef {import('./provider.js').Provider} Provider */
/** @typedef {import('./provider.js').Outcome} Outcome */
/** @typedef {import('./provider.js').PaymentRequest} PaymentRequest */
/** @typedef {Exclude<Outcome, { kind: 'retryable' }>} Settled  an outcome after the retries */
/** @typedef {import('./orders.js').Orders} Orders */
/** @typedef {import('./orders.js').Order} Order */
/** @typedef {import('./log.js').Logger} Logger */

/** Calls per payment, the first included: a timeout or a 5xx is retried twice. */
export const MAX_ATTEMPTS = 3;
/** A provider asking to wait longer than this gets a "try again later" instead of a stuck shopper. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** Most parts an order over the provider's cap is split into. */
export const MAX_PARTS = 10;
/** First backoff between retries without a Retry-After (doubled each time). */
const BACKOFF_MS = 250;

/**
 * What the shopper's browser sent.
 * @typedef {object} CheckoutInput
 * @property {string} orderId
 * @property {number} amount
 * @property {string} currency
 * @property {string} paymentMethod
 * @property {string} returnUrl
 *
 * What the shop answers.
 * @typedef {object} CheckoutAnswer
 * @property {string} orderId
 * @property {'paid' | 'declined' | 'requires_action' | 'failed' | 'split' | 'refused'} status
 * @property {string} [paymentId]
 * @property {string[]} [paymentIds]
 * @property {string} message  a sentence for the shopper
 * @property {string} [redirectUrl]
 *
 * @typedef {{ httpStatus: number, body: CheckoutAnswer | { orderId: string, error: string, message: string } }} CheckoutResult
 */

/** Sentences for the shopper, by Stripe's error code or decline code (https://docs.stripe.com/declines/codes). */
const DECLINE_MESSAGES = {
  insufficient_funds: 'Your card has insufficient funds. Please use another card or contact your bank.',
  expired_card: 'Your card has expired. Please check the expiry date or use another card.',
  incorrect_cvc: "Your card's security code is incorrect. Please check it and try again.",
  incorrect_number: 'Your card number is incorrect. Please check it and try again.',
  processing_error: 'An error occurred while processing your card. Please try again in a moment.',
  payment_intent_authentication_failure: 'Your bank could not confirm this payment. Please try again or use another card.',
  // Lost, stolen and fraudulent get the generic sentence on purpose: telling a fraudster which
  // check failed helps them (Stripe's advice for these codes).
};
const DECLINED = 'Your card was declined. Please use another card or contact your bank.';

/**
 * The sentence for a declined payment.
 * @param {string} code
 * @param {string | undefined} declineCode
 */
export function declineMessage(code, declineCode) {
  const known = /** @type {Record<string, string>} */ (DECLINE_MESSAGES);
  return (declineCode && known[declineCode]) || known[code] || DECLINED;
}

/**
 * @param {{ provider: Provider, orders: Orders, log: Logger, breaks: ReadonlySet<string>, splitMax: number, sleep?: (ms: number) => Promise<void> }} deps
 * @returns {(input: CheckoutInput) => Promise<CheckoutResult>}
 */
export function createCheckout({ provider, orders, log, breaks, splitMax, sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }) {
  /**
   * One payment: the provider call, repeated with the same idempotency key while the provider
   * says "not now" (timeout, connection lost, 5xx, 409 key in use, 429), at most MAX_ATTEMPTS calls.
   * @param {PaymentRequest} request
   * @param {string} part  e.g. "1/1"
   * @returns {Promise<Settled>}
   */
  async function payWithRetries(request, part) {
    for (let attempt = 1; ; attempt++) {
      const outcome = await provider.pay(request);
      log.info('payment', {
        order: request.orderId,
        part,
        attempt,
        amount: request.amount,
        currency: request.currency,
        card: cardForLog(request.paymentMethod, breaks.has('log-pan')),
        idempotencyKey: request.idempotencyKey,
        outcome: outcome.kind,
        payment: 'paymentId' in outcome ? outcome.paymentId : undefined,
        code: outcome.kind === 'declined' ? (outcome.declineCode ?? outcome.code) : undefined,
        reason: outcome.kind === 'retryable' ? outcome.reason : outcome.kind === 'failed' ? outcome.detail : undefined,
      });
      if (outcome.kind !== 'retryable') return outcome;
      const wait = waitBeforeRetry(outcome, attempt);
      if (wait === undefined) return { kind: 'failed', reason: 'unavailable', detail: outcome.reason };
      log.warn('retrying payment', { order: request.orderId, part, nextAttempt: attempt + 1, waitMs: wait, idempotencyKey: request.idempotencyKey });
      await sleep(wait);
    }
  }

  /**
   * How long to wait before the next call, or undefined to give up.
   * @param {Extract<Outcome, { kind: 'retryable' }>} outcome
   * @param {number} attempt  calls made so far
   */
  function waitBeforeRetry(outcome, attempt) {
    if (attempt >= MAX_ATTEMPTS) return undefined;
    const backoff = BACKOFF_MS * 2 ** (attempt - 1);
    // BREAK=ignore-retry-after: the usual backoff whatever the provider asked for.
    if (outcome.retryAfterMs === undefined || breaks.has('ignore-retry-after')) return backoff;
    if (outcome.retryAfterMs > MAX_RETRY_AFTER_MS) return undefined;
    // A little over the asked delay: timers and clocks are not exact, and early is refused again.
    return Math.max(backoff, outcome.retryAfterMs + 50);
  }

  /**
   * A payment, and under BREAK=retry-hard-decline the same card again after a decline.
   * @param {PaymentRequest} request
   * @param {string} part
   * @returns {Promise<Settled>}
   */
  async function charge(request, part) {
    let outcome = await payWithRetries(request, part);
    for (let again = 1; breaks.has('retry-hard-decline') && outcome.kind === 'declined' && again < MAX_ATTEMPTS; again++) {
      // The defect: a decline is retried (with a new key, so the provider charges again) although
      // the issuer gave a final answer; card schemes fine merchants for retrying hard declines.
      outcome = await payWithRetries({ ...request, idempotencyKey: request.idempotencyKey && `${request.idempotencyKey}-again${again}` }, part);
    }
    return outcome;
  }

  /**
   * Pays an order over the provider's cap in parts of at most `splitMax`; refunds the parts already
   * paid when one fails, so the shopper is never charged for part of an order.
   * @param {Order} order
   * @param {CheckoutInput} input
   * @param {(suffix: string) => string | undefined} keyFor
   * @returns {Promise<CheckoutResult>}
   */
  async function payInParts(order, input, keyFor) {
    const amounts = splitAmount(input.amount, splitMax, input.currency);
    if (!amounts) return refuse(order);
    /** @type {string[]} */
    const paid = [];
    for (const [index, amount] of amounts.entries()) {
      const part = `${index + 1}/${amounts.length}`;
      const key = keyFor(`-part${index + 1}of${amounts.length}`);
      const outcome = await charge({ ...input, amount, idempotencyKey: key, metadata: { order_id: input.orderId, part } }, part);
      if (outcome.kind === 'succeeded') {
        paid.push(outcome.paymentId);
        continue;
      }
      await refundAll(order, paid, keyFor);
      if (outcome.kind === 'over-cap') return refuse(order);
      if (outcome.kind === 'requires_action') {
        // A bank asking to confirm one part of several: the shopper would face N challenges.
        return finish(order, 402, { status: 'failed', message: 'Your bank asked to confirm this payment, which we cannot do for an order this large. Your card was not charged. Please use another card or contact us.' });
      }
      return answerFor(order, outcome);
    }
    order.paymentIds = paid;
    return finish(order, 200, {
      status: 'split',
      paymentId: paid[0],
      paymentIds: paid,
      message: `Thank you! Your payment of ${formatAmount(input.amount, input.currency)} succeeded, charged in ${paid.length} parts because it is above the limit of a single card payment.`,
    });
  }

  /**
   * @param {Order} order
   * @param {string[]} paymentIds
   * @param {(suffix: string) => string | undefined} keyFor
   */
  async function refundAll(order, paymentIds, keyFor) {
    for (const [index, paymentId] of paymentIds.entries()) {
      let outcome = await provider.refund(paymentId, keyFor(`-refund${index + 1}`));
      for (let attempt = 1; outcome.kind === 'retryable' && attempt < MAX_ATTEMPTS; attempt++) {
        await sleep(BACKOFF_MS * 2 ** (attempt - 1));
        outcome = await provider.refund(paymentId, keyFor(`-refund${index + 1}`));
      }
      if (outcome.kind === 'succeeded') log.info('refunded part of a failed split payment', { order: order.orderId, payment: paymentId });
      else log.error('REFUND FAILED: refund this payment by hand', { order: order.orderId, payment: paymentId, outcome: outcome.kind });
    }
  }

  /** @param {Order} order */
  function refuse(order) {
    return finish(order, 422, {
      status: 'refused',
      message: 'This order is above the largest amount we can charge to a card, so your card was not charged. Please split it into smaller orders or contact us.',
    });
  }

  /**
   * The answer for a payment that did not succeed in one go.
   * @param {Order} order
   * @param {Exclude<Outcome, { kind: 'succeeded' | 'over-cap' | 'retryable' }>} outcome
   * @returns {CheckoutResult}
   */
  function answerFor(order, outcome) {
    switch (outcome.kind) {
      case 'requires_action':
        if (breaks.has('skip-3ds')) {
          // The defect: 3-D Secure read as a failure; the shopper never sees the bank's check.
          return finish(order, 402, { status: 'failed', paymentId: outcome.paymentId, message: 'Your payment could not be completed. Please try another card.' });
        }
        return finish(order, 200, {
          status: 'requires_action',
          paymentId: outcome.paymentId,
          redirectUrl: outcome.redirectUrl,
          message: 'Your bank needs to confirm this payment. Please complete the check on the next page.',
        });
      case 'declined':
        if (breaks.has('500-on-decline')) throw new Error(`card declined: ${outcome.code}`);
        return finish(order, 402, {
          status: 'declined',
          ...(outcome.paymentId ? { paymentId: outcome.paymentId } : {}),
          // BREAK=bare-decline-message: the provider's code, which means nothing to a shopper.
          message: breaks.has('bare-decline-message') ? (outcome.declineCode ?? outcome.code) : declineMessage(outcome.code, outcome.declineCode),
        });
      case 'failed':
        return finish(order, 402, {
          status: 'failed',
          message:
            outcome.reason === 'tls'
              ? 'We could not reach our payment provider securely, so your card was not charged. Please try again later.'
              : outcome.reason === 'unavailable'
                ? 'Our payment provider is not answering right now. Please try again in a few minutes; you will not be charged twice.'
                : 'We could not process your payment. Please try again later or contact us.',
        });
    }
  }

  /**
   * Records the answer on the order and returns it.
   * @param {Order} order
   * @param {number} httpStatus
   * @param {Omit<CheckoutAnswer, 'orderId'>} answer
   * @returns {CheckoutResult}
   */
  function finish(order, httpStatus, answer) {
    // A webhook may have settled the order while the call was still out; paid stays paid.
    if (!(order.status === 'paid' && (answer.status === 'failed' || answer.status === 'declined'))) {
      order.status = answer.status;
      order.paymentId = answer.paymentId ?? order.paymentId;
    }
    return { httpStatus, body: { orderId: order.orderId, ...answer } };
  }

  return async function checkout(input) {
    const existing = orders.get(input.orderId);
    if (existing?.busy) return { httpStatus: 409, body: { orderId: input.orderId, error: 'checkout_in_progress', message: 'This order is already being paid. Please wait a moment.' } };
    if (existing && (existing.amount !== input.amount || existing.currency !== input.currency)) {
      return { httpStatus: 409, body: { orderId: input.orderId, error: 'order_changed', message: 'This order was started with another amount. Please reload the page.' } };
    }
    if (existing && (existing.status === 'paid' || existing.status === 'split')) {
      return { httpStatus: 200, body: { orderId: existing.orderId, status: existing.status, ...(existing.paymentId ? { paymentId: existing.paymentId } : {}), message: 'This order is already paid. Thank you!' } };
    }
    const order = orders.startCheckout(input);
    // One key per call the shop makes: the order, which checkout of it (a shopper may try another
    // card after a decline), and which part. Every retry of that call reuses it.
    /** @param {string} suffix */
    const keyFor = (suffix) => (breaks.has('no-idempotency-key') ? undefined : `order-${input.orderId}-checkout${order.checkouts}${suffix}`);
    try {
      const outcome = await charge({ ...input, idempotencyKey: keyFor(''), metadata: { order_id: input.orderId } }, '1/1');
      if (outcome.kind === 'succeeded') {
        return finish(order, 200, { status: 'paid', paymentId: outcome.paymentId, message: `Thank you! Your payment of ${formatAmount(input.amount, input.currency)} succeeded.` });
      }
      if (outcome.kind === 'over-cap') {
        // BREAK=no-cap-fallback: the provider's refusal escapes as an exception (a 500).
        if (breaks.has('no-cap-fallback')) throw new Error(`amount refused by the provider: ${outcome.providerMessage}`);
        log.info('amount over the provider cap, splitting', { order: input.orderId, amount: input.amount, splitMax });
        return await payInParts(order, input, keyFor);
      }
      return answerFor(order, outcome);
    } finally {
      order.busy = false;
    }
  };
}

/**
 * `amount` in near-equal parts of at most `max` (in steps of 10 for three-decimal currencies,
 * whose amounts must end in 0), or undefined when splitting cannot help or needs too many parts.
 * @param {number} amount
 * @param {number} max
 * @param {string} currency
 * @returns {number[] | undefined}
 */
export function splitAmount(amount, max, currency) {
  const step = decimalsOf(currency) === 3 ? 10 : 1;
  const maxUnits = Math.floor(max / step);
  if (maxUnits < 1 || amount % step !== 0) return undefined;
  const units = amount / step;
  const count = Math.ceil(units / maxUnits);
  if (count < 2 || count > MAX_PARTS) return undefined;
  const base = Math.floor(units / count);
  const rest = units % count;
  return Array.from({ length: count }, (_, i) => (base + (i < rest ? 1 : 0)) * step);
}
