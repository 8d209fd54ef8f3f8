import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { rootCertificates } from 'node:tls';
import Stripe from 'stripe';
import { cardNumberOf } from './cards.js';
import { isTlsError, retryAfterMs } from './provider.js';

/** @typedef {import('./provider.js').Provider} Provider */
/** @typedef {import('./provider.js').Outcome} Outcome */
/** @typedef {import('./provider.js').PaymentRequest} PaymentRequest */
/** @typedef {import('./config.js').StripeSettings} StripeSettings */

/**
 * The official stripe-node SDK pointed at `settings.apiBase` (Stripe itself, or payready's
 * sandbox), trusting `settings.caFile` in addition to the system CAs.
 * @param {StripeSettings} settings
 * @param {ReadonlySet<string>} breaks
 */
export function createStripeClient(settings, breaks) {
  const base = settings.apiBase;
  const https = base.protocol === 'https:';
  const agent = https
    ? new HttpsAgent({
        keepAlive: true,
        // Node's CAs plus the sandbox's: `ca` alone would replace the defaults.
        ...(settings.caFile ? { ca: [...rootCertificates, readFileSync(settings.caFile, 'utf8')] } : {}),
        // BREAK=tls-off: the classic "make the certificate error go away", which also lets any
        // man in the middle read card tokens and API keys.
        ...(breaks.has('tls-off') ? { rejectUnauthorized: false } : {}),
      })
    : // Plain HTTP only for a local stand-in; Stripe itself is HTTPS only.
      new HttpAgent({ keepAlive: true });
  const client = Stripe.createNodeHttpClient(agent);
  return new Stripe(settings.secretKey, {
    host: base.hostname,
    port: base.port || (https ? 443 : 80),
    protocol: https ? 'https' : 'http',
    httpClient: breaks.has('no-idempotency-key') ? withoutIdempotencyKeys(client) : client,
    timeout: settings.timeoutMs,
    // The checkout retries itself (checkout.js): with the same key, honouring Retry-After, which
    // the SDK's own retries do not (and it never retries a 429).
    maxNetworkRetries: 0,
    appInfo: { name: 'payready-reference-merchant', version: '0.1.0' },
  });
}

/**
 * BREAK=no-idempotency-key: stripe-node adds a random `Idempotency-Key` to every POST on its own,
 * so a shop that "forgot" the key still sends one. This HTTP client drops it on the way out, which
 * is what the header looks like from a hand-rolled client or an SDK without the habit.
 * @param {import('stripe').Stripe.HttpClient} inner
 * @returns {import('stripe').Stripe.HttpClient}
 */
function withoutIdempotencyKeys(inner) {
  const client = Object.create(inner);
  /** @type {import('stripe').Stripe.HttpClient['makeRequest']} */
  client.makeRequest = (host, port, path, method, headers, body, protocol, timeout) => {
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'idempotency-key'));
    return inner.makeRequest(host, port, path, method, kept, body, protocol, timeout);
  };
  return client;
}

/**
 * The Stripe provider: one PaymentIntent per payment, created and confirmed in one call
 * (server-side confirmation, https://docs.stripe.com/payments/accept-a-payment-synchronously).
 * @param {Stripe} stripe
 * @param {ReadonlySet<string>} breaks
 * @returns {Provider}
 */
export function stripeProvider(stripe, breaks) {
  return {
    name: 'stripe',
    async pay(request) {
      /** @type {Stripe.PaymentIntentCreateParams & Record<string, unknown>} */
      const params = {
        amount: request.amount,
        currency: request.currency,
        confirm: true,
        payment_method_types: ['card'],
        return_url: request.returnUrl,
        metadata: request.metadata,
        description: `Order ${request.orderId}`,
      };
      const number = breaks.has('raw-card') ? cardNumberOf(request.paymentMethod) : undefined;
      if (number) {
        // BREAK=raw-card: the card number itself goes to the API (the shop's own form posted it
        // here), which puts the whole backend in PCI DSS scope. stripe-node sends what it is given.
        const expires = new Date().getUTCFullYear() + 3;
        params.payment_method_data = /** @type {Stripe.PaymentIntentCreateParams.PaymentMethodData} */ (
          /** @type {unknown} */ ({ type: 'card', card: { number, exp_month: 12, exp_year: expires, cvc: '123' } })
        );
      } else {
        params.payment_method = request.paymentMethod;
      }
      try {
        const intent = await stripe.paymentIntents.create(params, request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {});
        return intentOutcome(intent);
      } catch (error) {
        return errorOutcome(error);
      }
    },
    async refund(paymentId, idempotencyKey) {
      try {
        await stripe.refunds.create({ payment_intent: paymentId }, idempotencyKey ? { idempotencyKey } : {});
        return { kind: 'succeeded', paymentId };
      } catch (error) {
        return errorOutcome(error);
      }
    },
    async retrieve(paymentId) {
      const intent = await stripe.paymentIntents.retrieve(paymentId);
      return {
        paymentId: intent.id,
        orderId: intent.metadata?.order_id,
        status:
          intent.status === 'succeeded' || intent.status === 'requires_capture'
            ? 'succeeded'
            : intent.status === 'requires_action'
              ? 'requires_action'
              : intent.status === 'canceled'
                ? 'canceled'
                : intent.status === 'requires_payment_method' && intent.last_payment_error
                  ? 'failed'
                  : 'processing',
        failureCode: intent.last_payment_error?.code ?? undefined,
      };
    },
  };
}

/**
 * @param {Stripe.PaymentIntent} intent
 * @returns {Outcome}
 */
function intentOutcome(intent) {
  switch (intent.status) {
    case 'succeeded':
    case 'requires_capture':
      return { kind: 'succeeded', paymentId: intent.id };
    case 'requires_action': {
      const url = intent.next_action?.redirect_to_url?.url;
      if (url) return { kind: 'requires_action', paymentId: intent.id, redirectUrl: url };
      return { kind: 'failed', reason: 'rejected', detail: `PaymentIntent ${intent.id} needs an action this shop cannot take (${intent.next_action?.type ?? 'none'})` };
    }
    default: {
      // A confirmation that ends anywhere else failed; Stripe says why in last_payment_error.
      const error = intent.last_payment_error;
      if (error) return { kind: 'declined', paymentId: intent.id, code: error.code ?? 'card_declined', declineCode: error.decline_code ?? undefined, providerMessage: error.message ?? '' };
      return { kind: 'failed', reason: 'rejected', detail: `PaymentIntent ${intent.id} ended ${intent.status}` };
    }
  }
}

/**
 * Sorts an error stripe-node threw into an outcome.
 * @param {unknown} error
 * @returns {Outcome}
 */
function errorOutcome(error) {
  if (!(error instanceof Stripe.errors.StripeError)) throw error;
  const status = error.statusCode;
  if (error instanceof Stripe.errors.StripeCardError) {
    const intent = /** @type {{ id?: string } | undefined} */ (error.payment_intent);
    return { kind: 'declined', paymentId: intent?.id, code: error.code ?? 'card_declined', declineCode: error.decline_code, providerMessage: apiMessage(error) };
  }
  if (error.code === 'amount_too_large' && status === 400) return { kind: 'over-cap', providerMessage: apiMessage(error) };
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const cause = /** @type {{ detail?: unknown }} */ (error).detail;
    if (isTlsError(cause)) return { kind: 'failed', reason: 'tls', detail: describe(cause) };
    return { kind: 'retryable', reason: describe(cause ?? error), retryAfterMs: undefined };
  }
  // 429 rate limited, 5xx, and 409 "idempotency_key_in_use" (the first try is still running):
  // the request may be repeated with the same key.
  if (status === 429 || status === 409 || (status !== undefined && status >= 500)) {
    return { kind: 'retryable', reason: `HTTP ${status} ${error.type}`, retryAfterMs: retryAfterMs(error.headers?.['retry-after']) };
  }
  return { kind: 'failed', reason: 'rejected', detail: `HTTP ${status ?? '?'} ${error.type}${error.code ? ` ${error.code}` : ''}: ${apiMessage(error)}` };
}

/**
 * The message as the API sent it (stripe-node's own `message` may carry more).
 * @param {Stripe.errors.StripeError} error
 */
function apiMessage(error) {
  const raw = /** @type {{ message?: unknown } | undefined} */ (error.raw);
  return typeof raw?.message === 'string' ? raw.message : error.message;
}

/** @param {unknown} error */
function describe(error) {
  if (error && typeof error === 'object') {
    const { code, message } = /** @type {{ code?: unknown, message?: unknown }} */ (error);
    return [code, message].filter((part) => typeof part === 'string').join(': ') || String(error);
  }
  return String(error);
}

/**
 * Verifies a webhook delivery's `Stripe-Signature` (HMAC over the raw body; 300 s tolerance) and
 * returns its event. Throws Stripe.errors.StripeSignatureVerificationError when it does not hold.
 * @param {Stripe} stripe
 * @param {Buffer} rawBody
 * @param {string | undefined} signature
 * @param {string} secret
 */
export function verifiedEvent(stripe, rawBody, signature, secret) {
  return stripe.webhooks.constructEvent(rawBody, signature ?? '', secret);
}
