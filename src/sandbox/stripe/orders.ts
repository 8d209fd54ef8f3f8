import type { IncomingMessage } from 'node:http';
import { replyObject, type Admission, type Operation, type Outcome, type RequestRecord } from '../control/orders.js';
import type { Reply } from '../respond.js';
import { StripeApiError } from './errors.js';
import type { FormMap } from './form.js';
import type { Decline } from './methods.js';
import type { StripeState } from './state.js';

/**
 * The Stripe dialect's side of the control API (src/sandbox/control/): which order a request
 * belongs to (`metadata[order_id]` on PaymentIntent create; later requests on that `pi_...`
 * inherit it), what its record says, and the answers the per-order behaviours give.
 */

/** What a request is about, known before it is handled. */
export interface StripeTag {
  operation: Operation;
  orderRef?: string;
  paymentId?: string;
  amount?: number;
  currency?: string;
}

function field(form: FormMap, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const INTENT_ACTIONS: Readonly<Record<string, Operation>> = { confirm: 'confirm', capture: 'capture', cancel: 'cancel' };

/** The operation, payment and order of a Stripe API request. */
export function tagOf(method: string, pathname: string, params: Record<string, string>, form: FormMap, state: StripeState): StripeTag {
  const orders = state.ctx.orders;
  const segments = pathname.split('/').filter(Boolean);
  const read = method === 'GET' || method === 'HEAD';
  const amountText = field(form, 'amount');
  const amount = amountText !== undefined && /^\d{1,15}$/.test(amountText) ? { amount: Number(amountText) } : {};
  if (segments[1] === 'payment_intents') {
    const id = params['id'];
    if (id === undefined) {
      if (read) return { operation: 'read' };
      const metadata = form['metadata'];
      const orderRef = typeof metadata === 'object' && !Array.isArray(metadata) ? field(metadata, 'order_id') : undefined;
      const currency = field(form, 'currency')?.toLowerCase();
      return { operation: 'create', ...(orderRef === undefined ? {} : { orderRef }), ...amount, ...(currency === undefined ? {} : { currency }) };
    }
    const orderRef = orders.orderOfPayment(id);
    const operation: Operation = read ? 'read' : (INTENT_ACTIONS[segments[3] ?? ''] ?? 'other');
    const intent = state.intents.get(id);
    return { operation, paymentId: id, ...(orderRef === undefined ? {} : { orderRef }), ...(intent ? { amount: intent.amount, currency: intent.currency } : {}) };
  }
  if (segments[1] === 'refunds' && !read) {
    const charge = field(form, 'charge');
    const paymentId = field(form, 'payment_intent') ?? (charge === undefined ? undefined : state.charges.get(charge)?.payment_intent);
    const orderRef = orders.orderOfPayment(paymentId);
    return { operation: 'refund', ...(paymentId === undefined ? {} : { paymentId }), ...(orderRef === undefined ? {} : { orderRef }), ...amount };
  }
  if (read && (segments[1] === 'refunds' || segments[1] === 'charges') && params['id'] !== undefined) {
    const object = segments[1] === 'refunds' ? state.refunds.get(params['id']) : state.charges.get(params['id']);
    const orderRef = orders.orderOfPayment(object?.payment_intent);
    return { operation: 'read', ...(object ? { paymentId: object.payment_intent } : {}), ...(orderRef === undefined ? {} : { orderRef }) };
  }
  return { operation: read ? 'read' : 'other' };
}

const RATE_LIMITED = 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.';
const UNKNOWN = 'An unknown error occurred. Please try again later.';

/** The `error` behaviour's refusal in Stripe's shape: nothing was processed. */
export function refusalError(admission: Extract<Admission, { kind: 'refuse' }>): StripeApiError {
  const headers: Record<string, string> = { 'stripe-should-retry': 'true' };
  if (admission.retryAfter !== undefined) headers['retry-after'] = String(admission.retryAfter);
  return admission.status === 429
    ? new StripeApiError(429, { type: 'rate_limit_error', code: 'rate_limit', message: RATE_LIMITED }, headers)
    : new StripeApiError(admission.status, { type: 'api_error', message: UNKNOWN }, headers);
}

const DECLINE_MESSAGES: Readonly<Record<string, string>> = {
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
};

/** The `decline` behaviour's decline, as the decline test cards give theirs (methods.ts). */
export function plannedDecline(code: string): Decline {
  return { code: 'card_declined', declineCode: code, message: DECLINE_MESSAGES[code] ?? 'Your card was declined.', outcome: code === 'fraudulent' ? 'blocked' : 'issuer_declined' };
}

/**
 * Stripe's answer to raw card numbers from an account without raw card data access, in test mode
 * (the message as Stripe's API sends it, quoted in stripe-node and flutter_stripe issues; the 402
 * is the "Request Failed" status those reports show with it).
 */
export function rawCardRefusal(): StripeApiError {
  return new StripeApiError(402, {
    type: 'invalid_request_error',
    message:
      'Sending credit card numbers directly to the Stripe API is generally unsafe. We suggest you use test tokens that map to the test card you are using, see https://stripe.com/docs/testing. To enable raw card data APIs in test mode, see https://support.stripe.com/questions/enabling-access-to-raw-card-data-apis.',
  });
}

function outcomeOfIntent(status: unknown): Outcome | undefined {
  if (status === 'succeeded' || status === 'requires_capture' || status === 'requires_action') return status;
  return undefined;
}

/** What the answer says about the payment, for the request's record (and the order of a new intent). */
export function noteReply(req: IncomingMessage, reply: Reply, tag: StripeTag, state: StripeState): void {
  const object = replyObject(reply);
  const fields: Partial<RequestRecord> = {};
  const error = object['error'];
  if (typeof error === 'object' && error !== null) {
    const e = error as Record<string, unknown>;
    const intent = e['payment_intent'] as Record<string, unknown> | undefined;
    if (typeof intent?.['id'] === 'string') fields.paymentId = intent['id'];
    if (e['type'] === 'card_error') {
      fields.outcome = 'declined';
      const code = e['decline_code'] ?? e['code'];
      if (typeof code === 'string') fields.declineCode = code;
    } else if (tag.operation !== 'read') {
      fields.outcome = reply.status >= 500 || reply.status === 429 ? 'error' : 'refused';
    }
  } else if (object['object'] === 'payment_intent') {
    if (typeof object['id'] === 'string') fields.paymentId = object['id'];
    if (typeof object['amount'] === 'number') fields.amount = object['amount'];
    if (typeof object['currency'] === 'string') fields.currency = object['currency'];
    if (tag.operation !== 'read') {
      const outcome = outcomeOfIntent(object['status']);
      if (outcome) fields.outcome = outcome;
    }
  } else if (object['object'] === 'refund') {
    if (typeof object['payment_intent'] === 'string') fields.paymentId = object['payment_intent'];
    if (typeof object['amount'] === 'number') fields.amount = object['amount'];
    if (typeof object['currency'] === 'string') fields.currency = object['currency'];
    fields.outcome = 'succeeded';
  }
  // A create declined at once still made its intent: requests on it later belong to the order too.
  if (tag.operation === 'create' && tag.orderRef !== undefined && fields.paymentId !== undefined) state.ctx.orders.link(fields.paymentId, tag.orderRef);
  state.ctx.orders.note(req, fields);
}
