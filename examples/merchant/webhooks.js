/** @typedef {import('./orders.js').Orders} Orders */
/** @typedef {import('./log.js').Logger} Logger */

/**
 * The part of a Stripe event this shop reads.
 * @typedef {{ id: string, type: string, data: { object: { id?: string, metadata?: Record<string, string> | null } } }} StripeEvent
 */

/**
 * The `POST /webhooks/stripe` handler: verifies the signature, applies each event once.
 * @param {{ verify: (rawBody: Buffer, signature: string | undefined) => unknown, orders: Orders, log: Logger, breaks: ReadonlySet<string> }} deps
 * @returns {(rawBody: Buffer, signature: string | undefined) => { httpStatus: number, body: object }}
 */
export function createStripeWebhookHandler({ verify, orders, log, breaks }) {
  /** Ids of the events already applied; Stripe delivers at least once and retries. */
  const processed = new Set();

  return (rawBody, signature) => {
    /** @type {unknown} */
    let parsed;
    try {
      // BREAK=unsigned-webhooks: anyone who can reach this URL can mark orders paid.
      parsed = breaks.has('unsigned-webhooks') ? JSON.parse(rawBody.toString('utf8')) : verify(rawBody, signature);
    } catch (error) {
      log.warn('webhook refused', { reason: error instanceof Error ? error.message : String(error) });
      return { httpStatus: 400, body: { error: 'invalid signature' } };
    }
    if (!isEvent(parsed)) return { httpStatus: 400, body: { error: 'not an event' } };
    const event = parsed;
    // BREAK=apply-duplicates: a redelivered event is applied again.
    if (processed.has(event.id) && !breaks.has('apply-duplicates')) {
      log.info('webhook already processed', { event: event.id, type: event.type });
      return { httpStatus: 200, body: { received: true } };
    }
    apply(event);
    processed.add(event.id);
    return { httpStatus: 200, body: { received: true } };
  };

  /** @param {StripeEvent} event */
  function apply(event) {
    if (event.type !== 'payment_intent.succeeded' && event.type !== 'payment_intent.payment_failed') return;
    const intent = event.data.object;
    const orderId = intent.metadata?.order_id;
    const order = orderId ? orders.get(orderId) : undefined;
    if (!order) {
      log.info('webhook for no order of this shop', { event: event.id, type: event.type, payment: intent.id });
      return;
    }
    if (event.type === 'payment_intent.succeeded') {
      // A split order is paid too; it keeps saying how.
      if (order.status !== 'split') order.status = 'paid';
      order.paymentId ??= intent.id;
    } else if (order.status !== 'paid' && order.status !== 'split' && order.status !== 'declined') {
      // A failure never undoes a payment that succeeded (an earlier card, another part), and a
      // decline the shopper was already told about stays one.
      order.status = 'failed';
    }
    order.appliedEvents += 1;
    log.info('webhook applied', { event: event.id, type: event.type, order: order.orderId, payment: intent.id, status: order.status });
  }
}

/**
 * @param {unknown} value
 * @returns {value is StripeEvent}
 */
function isEvent(value) {
  if (!value || typeof value !== 'object') return false;
  const { id, type, data } = /** @type {Record<string, unknown>} */ (value);
  return typeof id === 'string' && typeof type === 'string' && !!data && typeof data === 'object' && !!(/** @type {{ object?: unknown }} */ (data).object);
}
