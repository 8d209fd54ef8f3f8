import type { Fault } from '../fault.js';
import type { AdyenPaymentResponse } from '../adyen/payments.js';
import type { Reply } from '../respond.js';

// What an unhandled exception looks like when a framework's default error page leaks it.
const STACK_TRACE = [
  'Error: request failed',
  '    at PaymentController.handle (/srv/payments/src/controllers/payment.js:88:13)',
  '    at Layer.handle [as handle_request] (/srv/payments/node_modules/express/lib/router/layer.js:95:5)',
  '    at next (/srv/payments/node_modules/express/lib/router/route.js:149:13)',
  '',
].join('\n');

function contentType(reply: Reply): string {
  return (reply.headers?.['content-type'] ?? '').toLowerCase();
}

/** `opaque-errors`: a problem+json error becomes a plain-text stack trace (status and other headers kept). */
function opaqueErrors(reply: Reply): Reply {
  if (!contentType(reply).startsWith('application/problem+json')) return reply;
  return { ...reply, headers: { ...reply.headers, 'content-type': 'text/plain; charset=utf-8' }, body: STACK_TRACE };
}

/** `opaque-errors` in the Adyen dialect: a ServiceError (JSON) becomes the same plain-text stack trace. */
function opaqueServiceError(reply: Reply): Reply {
  return { ...reply, headers: { ...reply.headers, 'content-type': 'text/plain; charset=utf-8' }, body: STACK_TRACE };
}

/** `schema-drift` in the Adyen dialect: amount.value a string and pspReference dropped from a PaymentResponse. */
function driftPaymentResponse({ pspReference: _dropped, ...rest }: AdyenPaymentResponse): AdyenPaymentResponse {
  const amount = rest['amount'];
  if (amount === null || typeof amount !== 'object') return rest;
  const { value } = amount as { value?: unknown };
  return { ...rest, amount: { ...amount, value: String(value) } };
}

/** `opaque-errors` in the Stripe dialect: its `{ error: {...} }` JSON becomes the same stack trace. */
function opaqueStripeErrors(reply: Reply): Reply {
  return { ...reply, headers: { ...reply.headers, 'content-type': 'text/plain; charset=utf-8' }, body: STACK_TRACE };
}

/** `latin1`: JSON text re-encoded as ISO-8859-1; characters it cannot hold become "?". */
function latin1(reply: Reply): Reply {
  const type = contentType(reply);
  if (!/^application\/(?:[\w.+-]+\+)?json/.test(type) || reply.body === undefined) return reply;
  const text = typeof reply.body === 'string' ? reply.body : reply.body.toString('utf8');
  const body = Buffer.from(text.replace(/[^\u0000-\u00ff]/gu, '?'), 'latin1');
  return { ...reply, headers: { ...reply.headers, 'content-type': `${type.split(';')[0] ?? type}; charset=iso-8859-1` }, body };
}

/** Faults of the payments API: caps, idempotency, the shape, encoding and errors of its responses, card numbers in its log. */
export const PAYMENT_FAULTS: readonly Fault[] = [
  {
    name: 'cap-500',
    description: 'A card payment above the per-transaction cap crashes the API: 500 instead of the documented 422 transaction_cap_exceeded.',
    section: '3.1',
    caughtBy: 'transaction-over-limit',
    // The cap is enforced by crashing, which a client cannot tell from an outage.
    hooks: {
      overCapRefusal: () => {
        throw new Error('cap check failed');
      },
    },
  },
  {
    name: 'latin1',
    description: 'JSON responses are encoded in ISO-8859-1 and labelled charset=iso-8859-1: non-ASCII text comes back mangled.',
    section: '1.3',
    caughtBy: 'json-utf8',
    hooks: { reply: latin1 },
  },
  {
    name: 'no-cap',
    description: 'The per-transaction cap is not enforced: a card payment above it is authorised.',
    section: '3.1',
    caughtBy: 'transaction-over-limit',
    hooks: { capOff: true },
  },
  {
    name: 'no-idempotency',
    description: 'The Idempotency-Key header is ignored: a retried payment request charges the card again.',
    section: '5.1',
    caughtBy: 'transaction-idempotency',
    alsoFails: ['transaction-timeout-retry'],
    hooks: { idempotencyOff: true },
  },
  {
    name: 'opaque-errors',
    description: "API errors are sent as a plain-text stack trace instead of problem+json (or the provider's JSON error object) with a message and a code.",
    section: '6.2',
    caughtBy: 'error-messages',
    alsoFails: ['transaction-over-limit', 'transaction-daily-cap', 'transaction-declines', 'transaction-refund-over', 'transaction-amount-bounds'],
    hooks: { reply: opaqueErrors, adyenErrorReply: opaqueServiceError, stripeErrorReply: opaqueStripeErrors },
  },
  {
    name: 'pan-in-logs',
    description: 'The request log records full card numbers instead of first six/last four.',
    section: '2.2',
    caughtBy: 'no-pan-in-logs',
    hooks: { fullPanInLog: true },
  },
  {
    name: 'schema-drift',
    description: 'Payment responses drift from the documented schema: the amount is a string and the creation time is missing (amount.value and createdAt; a Stripe PaymentIntent\'s amount and created).',
    section: '1.3',
    caughtBy: 'payment-schema',
    alsoFails: ['payment-approve', 'transaction-currency-exponent'],
    // What a careless release does: the amount as a string, a required field dropped.
    hooks: {
      paymentView: ({ createdAt: _dropped, ...rest }) => ({ ...rest, amount: { ...rest.amount, value: String(rest.amount.value) } }),
      adyenPaymentResponse: driftPaymentResponse,
      stripeIntentView: ({ created: _dropped, ...rest }) => ({ ...rest, amount: String(rest['amount']) }),
    },
  },
];
