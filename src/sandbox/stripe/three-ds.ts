import type { IncomingMessage } from 'node:http';
import { readBody } from '../body.js';
import type { Reply } from '../respond.js';
import type { Router } from '../router.js';
import type { StripeRequest } from './api.js';
import { formatAmount } from './amounts.js';
import { StripeApiError, docUrl, requestId } from './errors.js';
import { THREE_DS_PATH, confirm } from './intents.js';
import type { PaymentIntent } from './objects.js';
import type { StripeState } from './state.js';

/**
 * The emulated 3-D Secure challenge (the control API's `3ds` behaviour): an intent waiting in
 * requires_action sends the shopper to `/3ds/challenge/{pi_id}` on the HTTPS API; the page's two
 * buttons complete or fail the authentication, then the shopper is redirected to the confirm
 * request's `return_url` with Stripe's query parameters (`payment_intent`,
 * `payment_intent_client_secret`, `redirect_status`), as https://docs.stripe.com/payments/3d-secure
 * describes the redirect back.
 */

/** The page allows a form post and nothing else (no scripts, no styles from anywhere). */
const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, status = 200): Reply {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.6rem 1rem;margin:.25rem .5rem .25rem 0}</style></head>
<body>
${body}
</body>
</html>
`;
  return { status, headers: PAGE_HEADERS, body: html };
}

/** The intent waiting for this challenge, or undefined when there is none to answer. */
function pending(state: StripeState, id: string): PaymentIntent | undefined {
  const intent = state.intents.get(id);
  return intent?.status === 'requires_action' && intent.next_action?.type === 'redirect_to_url' ? intent : undefined;
}

function challengePage(intent: PaymentIntent): Reply {
  const amount = formatAmount(intent.amount, intent.currency);
  return page(
    'Authenticate your payment',
    `<main>
<h1>Authenticate your payment</h1>
<p>Your bank asks you to confirm a payment of ${escape(amount)} (payready sandbox: a test 3-D Secure challenge).</p>
<form method="post">
<button type="submit" name="result" value="complete">Complete authentication</button>
<button type="submit" name="result" value="fail">Fail authentication</button>
</form>
</main>`,
  );
}

/** Where the shopper goes back to, with Stripe's query parameters; a page when there is no return_url. */
function back(intent: PaymentIntent, returnUrl: string | null, status: 'succeeded' | 'failed'): Reply {
  if (returnUrl === null) return page('Authentication finished', `<main><h1>Authentication ${status === 'succeeded' ? 'completed' : 'failed'}</h1><p role="status">You can close this window.</p></main>`);
  let target: URL;
  try {
    target = new URL(returnUrl);
  } catch {
    return page('Authentication finished', '<main><p role="status">The return address of this payment is not a valid URL.</p></main>', 400);
  }
  target.searchParams.set('payment_intent', intent.id);
  target.searchParams.set('payment_intent_client_secret', intent.client_secret);
  target.searchParams.set('redirect_status', status);
  return { status: 302, headers: { location: target.toString(), 'content-type': 'text/plain; charset=utf-8' }, body: `Redirecting to ${target.toString()}\n` };
}

/** The request events of the challenge name (no API request caused them: no idempotency key). */
function cause(req: IncomingMessage, id: string): StripeRequest {
  return { req, params: { id }, form: {}, requestId: requestId(), idempotencyKey: null, apiVersion: null };
}

function fail(intent: PaymentIntent, state: StripeState, request: StripeRequest): void {
  const known = intent.payment_method ? state.methods.get(intent.payment_method) : undefined;
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.payment_method = null;
  if (known) {
    intent.last_payment_error = {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      doc_url: docUrl('payment_intent_authentication_failure'),
      message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
      payment_method: known.method,
    };
  }
  state.emit('payment_intent.payment_failed', intent, request);
}

async function answer(req: IncomingMessage, id: string, state: StripeState): Promise<Reply> {
  const intent = pending(state, id);
  if (!intent) return page('No authentication pending', '<main><h1>No authentication pending</h1><p role="status">This payment does not wait for authentication (it was completed, failed or never asked for it).</p></main>', 409);
  const result = new URLSearchParams((await readBody(req, 4096)).toString('utf8')).get('result');
  if (result !== 'complete' && result !== 'fail') return page('Choose an answer', '<main><p role="status">Answer with one of the two buttons.</p></main>', 400);
  const returnUrl = intent.next_action?.redirect_to_url.return_url ?? null;
  const request = cause(req, id);
  if (result === 'fail') {
    fail(intent, state, request);
    state.ctx.orders.note(req, { outcome: 'declined', declineCode: 'payment_intent_authentication_failure' });
    return back(intent, returnUrl, 'failed');
  }
  const known = intent.payment_method ? state.methods.get(intent.payment_method) : undefined;
  if (!known) {
    fail(intent, state, request);
    return back(intent, returnUrl, 'failed');
  }
  try {
    confirm(intent, known, request, state, true);
  } catch (error) {
    // The card itself declined after authenticating: the intent already says so.
    if (error instanceof StripeApiError) {
      state.ctx.orders.note(req, { outcome: 'declined', ...(typeof error.body.decline_code === 'string' ? { declineCode: error.body.decline_code } : {}) });
      return back(intent, returnUrl, 'failed');
    }
    throw error;
  }
  state.ctx.orders.note(req, { outcome: intent.status === 'requires_capture' ? 'requires_capture' : 'succeeded', amount: intent.amount, currency: intent.currency });
  return back(intent, returnUrl, 'succeeded');
}

/** The shopper's visits belong to the intent's order too (recorded as `other`, the plan untouched). */
function attach(req: IncomingMessage, id: string, state: StripeState): void {
  const orderRef = state.ctx.orders.orderOfPayment(id);
  state.ctx.orders.note(req, { paymentId: id });
  if (orderRef !== undefined) state.ctx.orders.attach(req, orderRef);
}

/** Registers the challenge page (GET) and its answer (POST). */
export function registerThreeDsRoutes(router: Router, state: StripeState): void {
  router.get(`${THREE_DS_PATH}/:id`, ({ req, params }) => {
    attach(req, params['id'] ?? '', state);
    const intent = pending(state, params['id'] ?? '');
    return intent ? challengePage(intent) : page('No authentication pending', '<main><h1>No authentication pending</h1><p role="status">This payment does not wait for authentication.</p></main>', 404);
  });
  router.post(`${THREE_DS_PATH}/:id`, ({ req, params }) => {
    attach(req, params['id'] ?? '', state);
    return answer(req, params['id'] ?? '', state);
  });
}
