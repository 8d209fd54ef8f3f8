import { CHECKOUT_SCRIPT, PAGE_HEADERS, checkoutPage, errorPage, returnPage } from './pages.js';

/** @typedef {import('node:http').IncomingMessage} IncomingMessage */
/** @typedef {import('node:http').ServerResponse} ServerResponse */
/** @typedef {import('./provider.js').Provider} Provider */
/** @typedef {import('./orders.js').Orders} Orders */
/** @typedef {import('./log.js').Logger} Logger */
/** @typedef {import('./checkout.js').CheckoutInput} CheckoutInput */
/** @typedef {import('./checkout.js').CheckoutResult} CheckoutResult */

/** Largest request body read (a checkout or a webhook event is a few kB). */
const MAX_BODY = 1024 * 1024;

/**
 * The shop's HTTP request handler.
 * @param {{
 *   checkout: (input: CheckoutInput) => Promise<CheckoutResult>,
 *   stripeWebhook: ((rawBody: Buffer, signature: string | undefined) => { httpStatus: number, body: object }) | undefined,
 *   provider: Provider,
 *   orders: Orders,
 *   log: Logger,
 * }} deps
 * @returns {(req: IncomingMessage, res: ServerResponse) => void}
 */
export function createApp({ checkout, stripeWebhook, provider, orders, log }) {
  /**
   * @param {IncomingMessage} req
   * @param {ServerResponse} res
   */
  async function route(req, res) {
    const url = new URL(req.url ?? '/', 'http://shop.invalid');
    const { pathname } = url;
    const method = req.method ?? 'GET';

    if (pathname === '/api/checkout' && method === 'POST') {
      const input = parseCheckout(await readJson(req), originOf(req));
      if (typeof input === 'string') return json(res, 400, { error: 'invalid_request', message: input });
      const result = await checkout(input);
      return json(res, result.httpStatus, result.body);
    }
    const orderMatch = /^\/api\/orders\/([^/]+)$/.exec(pathname);
    if (orderMatch && method === 'GET') {
      const order = orders.get(decodeURIComponent(orderMatch[1] ?? ''));
      if (!order) return json(res, 404, { error: 'not_found', message: 'There is no order with this id.' });
      return json(res, 200, {
        orderId: order.orderId,
        status: order.status,
        ...(order.paymentId ? { paymentId: order.paymentId } : {}),
        ...(order.paymentIds.length > 0 ? { paymentIds: order.paymentIds } : {}),
        amount: order.amount,
        currency: order.currency,
        appliedEvents: order.appliedEvents,
      });
    }
    if (pathname === '/webhooks/stripe' && method === 'POST') {
      if (!stripeWebhook) return json(res, 404, { error: 'not_found' });
      const rawBody = await readBody(req);
      const signature = req.headers['stripe-signature'];
      const result = stripeWebhook(rawBody, Array.isArray(signature) ? signature[0] : signature);
      return json(res, result.httpStatus, result.body);
    }
    if (pathname === '/checkout' && method === 'GET') {
      const orderId = url.searchParams.get('orderId') ?? '';
      const amount = Number(url.searchParams.get('amount'));
      const currency = (url.searchParams.get('currency') ?? '').toLowerCase();
      if (!validOrderId(orderId) || !Number.isSafeInteger(amount) || amount < 1 || !/^[a-z]{3}$/.test(currency)) {
        return html(res, 400, errorPage('This checkout link is incomplete: it needs an order id, an amount in minor units and a currency.'));
      }
      return html(res, 200, checkoutPage({ orderId, amount, currency, paymentMethod: url.searchParams.get('paymentMethod') ?? undefined }));
    }
    if (pathname === '/checkout.js' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(CHECKOUT_SCRIPT);
      return;
    }
    if (pathname === '/checkout/return' && method === 'GET') return html(res, 200, returnPage(await returnOutcome(url)));
    if (pathname === '/health' && method === 'GET') return json(res, 200, { ok: true });
    return json(res, 404, { error: 'not_found' });
  }

  /**
   * After 3-D Secure: the payment as the provider has it (never the redirect's own
   * `redirect_status`, which the shopper's browser could change), applied to the order.
   * @param {URL} url
   * @returns {Promise<{ orderId: string, succeeded: boolean, message: string }>}
   */
  async function returnOutcome(url) {
    const orderId = url.searchParams.get('orderId') ?? '';
    const paymentId = url.searchParams.get('payment_intent') ?? url.searchParams.get('paymentId') ?? '';
    const order = orders.get(orderId);
    if (!order || !paymentId) return { orderId, succeeded: false, message: 'We could not find this payment. Please go back to the shop and try again.' };
    try {
      const payment = await provider.retrieve(paymentId);
      if (payment.orderId !== orderId) return { orderId, succeeded: false, message: 'This payment does not belong to this order. Please go back to the shop and try again.' };
      log.info('returned from authentication', { order: orderId, payment: paymentId, status: payment.status });
      if (payment.status === 'succeeded') {
        if (order.status !== 'split') order.status = 'paid';
        order.paymentId = paymentId;
        return { orderId, succeeded: true, message: 'Your payment succeeded. Thank you for your order!' };
      }
      if (payment.status === 'failed' || payment.status === 'canceled') {
        if (order.status !== 'paid' && order.status !== 'split') order.status = 'failed';
        return { orderId, succeeded: false, message: 'Your payment failed because your bank could not confirm it. Your card was not charged. Please try again or use another card.' };
      }
      return { orderId, succeeded: false, message: 'Your payment is still waiting for your bank. Please complete the check, or reload this page in a moment.' };
    } catch (error) {
      log.error('could not read a payment after authentication', { order: orderId, payment: paymentId, error: error instanceof Error ? error.message : String(error) });
      return { orderId, succeeded: false, message: 'We could not confirm your payment right now. Please reload this page in a moment; you will not be charged twice.' };
    }
  }

  return (req, res) => {
    route(req, res).catch((error) => {
      // The stack goes to the log, never to the shopper.
      log.error('request failed', { method: req.method, path: req.url?.split('?')[0], error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      if (error instanceof BodyError) return json(res, error.status, { error: 'invalid_request', message: error.message });
      if (!res.headersSent) json(res, 500, { error: 'Internal Server Error' });
      else res.destroy();
    });
  };
}

/** A request body the shop will not read. */
class BodyError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param {IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
async function readBody(req) {
  /** @type {Buffer[]} */
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new BodyError(413, 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** @param {IncomingMessage} req */
async function readJson(req) {
  const text = (await readBody(req)).toString('utf8');
  try {
    return /** @type {unknown} */ (JSON.parse(text));
  } catch {
    throw new BodyError(400, 'The request body is not JSON.');
  }
}

/** @param {string} id */
function validOrderId(id) {
  // Printable ASCII without spaces: it goes into idempotency keys and metadata as is.
  return /^[\x21-\x7e]{1,100}$/.test(id);
}

/**
 * A checkout request, or the sentence saying what is wrong with it.
 * @param {unknown} body
 * @param {string} origin  this shop's own origin, for the default return URL
 * @returns {CheckoutInput | string}
 */
function parseCheckout(body, origin) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The request body must be a JSON object.';
  const { orderId, amount, currency, paymentMethod, returnUrl } = /** @type {Record<string, unknown>} */ (body);
  if (typeof orderId !== 'string' || !validOrderId(orderId)) return 'orderId must be 1 to 100 printable characters without spaces.';
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1) return 'amount must be a whole number of minor units (cents) above 0.';
  if (typeof currency !== 'string' || !/^[a-zA-Z]{3}$/.test(currency)) return 'currency must be a three-letter ISO code, such as eur.';
  if (typeof paymentMethod !== 'string' || paymentMethod.length < 1 || paymentMethod.length > 255) return 'paymentMethod must be the payment method id the card form gave, such as pm_card_visa.';
  if (returnUrl !== undefined && (typeof returnUrl !== 'string' || !/^https?:\/\//.test(returnUrl))) return 'returnUrl must be an http(s) URL.';
  return {
    orderId,
    amount,
    currency: currency.toLowerCase(),
    paymentMethod,
    returnUrl: returnUrl ?? `${origin}/checkout/return?orderId=${encodeURIComponent(orderId)}`,
  };
}

/**
 * This shop's origin as the client reached it.
 * @param {IncomingMessage} req
 */
function originOf(req) {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * @param {ServerResponse} res
 * @param {number} status
 * @param {string} body
 */
function html(res, status, body) {
  res.writeHead(status, PAGE_HEADERS).end(body);
}
