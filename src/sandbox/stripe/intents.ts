import { luhnValid } from '../../scan/cards.js';
import { ReplyThrow, applyMetadata, list, map, page, text, type StripeRequest } from './api.js';
import { amountTooLarge, parseChargeAmount, parseCurrency, parsePartialAmount } from './amounts.js';
import { StripeApiError, docUrl, errorReply, invalidRequest } from './errors.js';
import { cardForMethod, cardForNumber, type TestCard } from './methods.js';
import { plannedDecline, rawCardRefusal } from './orders.js';
import { newCharge, newPaymentIntent, newPaymentMethod, now, type IntentStatus, type PaymentIntent, type PaymentMethod } from './objects.js';
import { matches, parseSearchQuery } from './search.js';
import type { StripeState } from './state.js';

/**
 * PaymentIntents (https://docs.stripe.com/api/payment_intents) and their lifecycle
 * (https://docs.stripe.com/payments/paymentintents/lifecycle): created in
 * `requires_payment_method` (or `requires_confirmation` with a payment method); confirming
 * charges the card: `succeeded` (automatic capture), `requires_capture` (`capture_method: manual`),
 * or back to `requires_payment_method` with `last_payment_error` when the card is declined;
 * capture (all or `amount_to_capture`) ends `succeeded`; cancel ends `canceled`.
 */

const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'] as const;
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];
const CONFIRMABLE: readonly IntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];
const CANCELABLE: readonly IntentStatus[] = ['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action', 'processing'];
const UPDATABLE: readonly IntentStatus[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

function unexpectedState(message: string, intent: PaymentIntent): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', doc_url: docUrl('payment_intent_unexpected_state'), message, payment_intent: intent as unknown as Record<string, unknown> });
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], param: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw invalidRequest(`Invalid ${param}: must be one of ${allowed.join(', ')}`, { param });
  return value as T;
}

function optionalText(request: StripeRequest, name: string): string | null | undefined {
  const value = text(request.form, name);
  return value === undefined ? undefined : value === '' ? null : value;
}

/**
 * The amount check, with the per-transaction cap (99999999 minor units) as the faults allow:
 * `no-cap` lets it through, `cap-500` makes the refusal a crash.
 */
function amountOf(request: StripeRequest, state: StripeState, currency: string): number {
  const amount = parseChargeAmount(text(request.form, 'amount'), currency, 'amount', (refusal) => {
    if (state.ctx.faults.on('capOff')) return;
    throw new ReplyThrow(state.ctx.faults.apply('overCapRefusal', state.ctx.faults.apply('stripeErrorReply', errorReply(refusal, request.requestId))));
  });
  // The control API's `cap` behaviour: this order's own cap, refused as the real one is.
  const cap = state.ctx.orders.capFor(state.ctx.orders.orderOf(request.req));
  if (cap !== undefined && amount > cap) throw amountTooLarge(cap, currency, 'amount');
  return amount;
}

/**
 * The card to charge: a test PaymentMethod id (`pm_card_visa`), a payment method this sandbox
 * created, or raw card details in `payment_method_data[card]` (noted in the request log as
 * first six/last four, whole under `pan-in-logs`). Undefined when the request names none.
 */
function paymentMethodOf(request: StripeRequest, state: StripeState): { method: PaymentMethod; card: TestCard } | undefined {
  const id = text(request.form, 'payment_method');
  if (id !== undefined && id !== '') {
    const card = cardForMethod(id);
    if (card) {
      const method = newPaymentMethod(card);
      state.addMethod(method, card);
      return { method, card };
    }
    const known = state.methods.get(id);
    if (!known) throw new StripeApiError(400, { type: 'invalid_request_error', code: 'resource_missing', doc_url: docUrl('resource_missing'), param: 'payment_method', message: `No such PaymentMethod: '${id}'` });
    return known;
  }
  const data = map(request.form, 'payment_method_data');
  if (!data) return undefined;
  if (data['type'] !== 'card') throw invalidRequest('Invalid payment_method_data[type]: the sandbox takes card', { param: 'payment_method_data[type]' });
  const raw = data['card'];
  const card = typeof raw === 'object' && !Array.isArray(raw) ? raw : {};
  const number = typeof card['number'] === 'string' ? card['number'].replace(/\s/g, '') : '';
  if (number !== '') state.ctx.orders.note(request.req, { rawCard: true });
  // A request of an order the control API tracks is answered as Stripe answers an account without
  // raw card data access; the number is still logged, masked, so the log shows what was sent.
  if (state.ctx.orders.orderOf(request.req) !== undefined) {
    if (/^\d{12,19}$/.test(number)) state.ctx.requestLog.noteCard(request.req, number);
    throw rawCardRefusal();
  }
  // Never quote the number back: not even an error may echo it.
  if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) {
    throw new StripeApiError(402, { type: 'card_error', code: 'incorrect_number', doc_url: docUrl('incorrect_number'), param: 'payment_method_data[card][number]', message: 'Your card number is incorrect.' });
  }
  const month = Number(card['exp_month']);
  const year = Number(card['exp_year']);
  if (!Number.isInteger(month) || month < 1 || month > 12) throw new StripeApiError(402, { type: 'card_error', code: 'invalid_expiry_month', doc_url: docUrl('invalid_expiry_month'), param: 'payment_method_data[card][exp_month]', message: "Your card's expiration month is invalid." });
  const fullYear = year < 100 ? 2000 + year : year;
  const today = new Date();
  if (!Number.isInteger(year) || fullYear < today.getUTCFullYear() || (fullYear === today.getUTCFullYear() && month < today.getUTCMonth() + 1)) {
    throw new StripeApiError(402, { type: 'card_error', code: 'invalid_expiry_year', doc_url: docUrl('invalid_expiry_year'), param: 'payment_method_data[card][exp_year]', message: "Your card's expiration year is invalid." });
  }
  state.ctx.requestLog.noteCard(request.req, number);
  const testCard = cardForNumber(number);
  const method = newPaymentMethod(testCard, { exp_month: month, exp_year: fullYear });
  state.addMethod(method, testCard);
  return { method, card: testCard };
}

/**
 * Charges the card: the intent ends succeeded, requires_capture, or declined (a 402 card_error).
 * An order the control API plans to decline is declined with its code; one planned for 3-D Secure
 * first waits in requires_action (`authenticated` once the challenge page was completed).
 */
export function confirm(intent: PaymentIntent, payment: { method: PaymentMethod; card: TestCard }, request: StripeRequest, state: StripeState, authenticated = false): void {
  const orderRef = state.ctx.orders.orderOfPayment(intent.id);
  if (!authenticated && state.ctx.orders.threeDsFor(orderRef)) {
    requireAction(intent, payment.method, request, state);
    return;
  }
  const planned = state.ctx.orders.declineFor(orderRef);
  const card = planned === undefined ? payment.card : { ...payment.card, decline: plannedDecline(planned) };
  const capture = intent.capture_method !== 'manual';
  const charge = newCharge(intent, payment.method, card, capture, state.ctx.baseUrl);
  state.add(charge);
  intent.latest_charge = charge.id;
  intent.next_action = null;
  const decline = card.decline;
  if (decline) {
    // "If the payment attempt fails ... the PaymentIntent's status returns to requires_payment_method."
    intent.status = 'requires_payment_method';
    intent.payment_method = null;
    // The same error object twice: on the intent, and (with the intent) in the 402's body.
    const error = {
      type: 'card_error' as const,
      code: decline.code,
      ...(decline.declineCode ? { decline_code: decline.declineCode } : {}),
      doc_url: docUrl(decline.code),
      message: decline.message,
      charge: charge.id,
    };
    intent.last_payment_error = { ...error, payment_method: payment.method };
    state.emit('charge.failed', charge, request);
    state.emit('payment_intent.payment_failed', intent, request);
    throw new StripeApiError(
      402,
      {
        ...error,
        payment_intent: state.view(intent) as Record<string, unknown>,
        payment_method: payment.method as unknown as Record<string, unknown>,
        request_log_url: `https://dashboard.stripe.com/test/logs/${request.requestId}`,
      },
      {},
      // The endpoint did its work: a declined confirmation is a final answer the key replays.
      true,
    );
  }
  intent.payment_method = payment.method.id;
  intent.last_payment_error = null;
  state.emit('charge.succeeded', charge, request);
  if (capture) {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    state.emit('payment_intent.succeeded', intent, request);
  } else {
    intent.status = 'requires_capture';
    intent.amount_capturable = intent.amount;
    state.emit('payment_intent.amount_capturable_updated', intent, request);
  }
}

/**
 * "Authentication required": the intent waits in requires_action with a redirect to the sandbox's
 * challenge page (three-ds.ts), and comes back to the confirm request's `return_url`.
 */
function requireAction(intent: PaymentIntent, method: PaymentMethod, request: StripeRequest, state: StripeState): void {
  const returnUrl = text(request.form, 'return_url');
  intent.payment_method = method.id;
  intent.status = 'requires_action';
  intent.last_payment_error = null;
  intent.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `${state.ctx.baseUrl}${THREE_DS_PATH}/${intent.id}`, return_url: returnUrl === undefined || returnUrl === '' ? null : returnUrl } };
  state.emit('payment_intent.requires_action', intent, request);
}

/** Where the emulated 3-D Secure challenge page of an intent lives (`/3ds/challenge/{pi_id}`). */
export const THREE_DS_PATH = '/3ds/challenge';

function create(request: StripeRequest, state: StripeState): unknown {
  const { form } = request;
  // Stripe checks `amount` before `currency` ("Missing required param: amount.").
  if (text(form, 'amount') === undefined) throw invalidRequest('Missing required param: amount.', { code: 'parameter_missing', param: 'amount' });
  const currency = parseCurrency(text(form, 'currency'));
  const amount = amountOf(request, state, currency);
  const captureMethod = oneOf(text(form, 'capture_method'), CAPTURE_METHODS, 'capture_method') ?? 'automatic_async';
  const confirmationMethod = oneOf(text(form, 'confirmation_method'), ['automatic', 'manual'] as const, 'confirmation_method') ?? 'automatic';
  const types = list(form, 'payment_method_types');
  if (types && types.some((type) => type !== 'card')) throw invalidRequest(`The payment method type "${types.find((t) => t !== 'card') ?? ''}" is invalid. The sandbox supports card.`, { param: 'payment_method_types' });
  const shouldConfirm = oneOf(text(form, 'confirm'), ['true', 'false'] as const, 'confirm') === 'true';
  const intent = newPaymentIntent({
    amount,
    currency,
    captureMethod,
    confirmationMethod,
    paymentMethodTypes: types,
    metadata: applyMetadata({}, form),
    description: optionalText(request, 'description') ?? null,
    receiptEmail: optionalText(request, 'receipt_email') ?? null,
    statementDescriptor: optionalText(request, 'statement_descriptor') ?? null,
    statementDescriptorSuffix: optionalText(request, 'statement_descriptor_suffix') ?? null,
  });
  const payment = paymentMethodOf(request, state);
  state.add(intent);
  // Later requests on this intent inherit the order the create was tagged with (control API).
  const orderRef = state.ctx.orders.orderOf(request.req);
  if (orderRef !== undefined) state.ctx.orders.link(intent.id, orderRef);
  state.emit('payment_intent.created', intent, request);
  if (payment) {
    intent.payment_method = payment.method.id;
    intent.status = 'requires_confirmation';
  }
  if (shouldConfirm) {
    if (!payment) throw confirmWithoutMethod(intent);
    confirm(intent, payment, request, state);
  }
  return state.view(intent);
}

function confirmWithoutMethod(intent: PaymentIntent): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    doc_url: docUrl('payment_intent_unexpected_state'),
    message: "You cannot confirm this PaymentIntent because it's missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.",
    payment_intent: intent as unknown as Record<string, unknown>,
  });
}

function confirmRoute(request: StripeRequest, state: StripeState): unknown {
  const intent = state.intent(request.params['id'] ?? '');
  if (!CONFIRMABLE.includes(intent.status)) {
    throw unexpectedState(`You cannot confirm this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be confirmed: ${CONFIRMABLE.join(', ')}.`, intent);
  }
  const payment = paymentMethodOf(request, state) ?? reuse(intent, state);
  if (!payment) throw confirmWithoutMethod(intent);
  const captureMethod = oneOf(text(request.form, 'capture_method'), CAPTURE_METHODS, 'capture_method');
  if (captureMethod) intent.capture_method = captureMethod;
  confirm(intent, payment, request, state);
  return state.view(intent);
}

/** The payment method already on the intent (set at creation or by an update). */
function reuse(intent: PaymentIntent, state: StripeState): { method: PaymentMethod; card: TestCard } | undefined {
  return intent.payment_method ? state.methods.get(intent.payment_method) : undefined;
}

function capture(request: StripeRequest, state: StripeState): unknown {
  const intent = state.intent(request.params['id'] ?? '');
  if (intent.status !== 'requires_capture') {
    throw unexpectedState(`This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, intent);
  }
  const amount = parsePartialAmount(text(request.form, 'amount_to_capture'), 'amount_to_capture') ?? intent.amount_capturable;
  if (amount > intent.amount_capturable) {
    throw invalidRequest(`The amount_to_capture (${amount}) must be less than or equal to the PaymentIntent's amount_capturable (${intent.amount_capturable}).`, { code: 'amount_too_large', param: 'amount_to_capture' });
  }
  const charge = state.charge(intent.latest_charge ?? '', 'latest_charge');
  charge.captured = true;
  charge.amount_captured = amount;
  charge.balance_transaction = `txn_${charge.id.slice(3)}`;
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  intent.status = 'succeeded';
  intent.metadata = applyMetadata(intent.metadata, request.form);
  state.emit('charge.captured', charge, request);
  state.emit('payment_intent.succeeded', intent, request);
  return state.view(intent);
}

function cancel(request: StripeRequest, state: StripeState): unknown {
  const intent = state.intent(request.params['id'] ?? '');
  if (!CANCELABLE.includes(intent.status)) {
    throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`, intent);
  }
  const reason = oneOf(text(request.form, 'cancellation_reason'), CANCELLATION_REASONS, 'cancellation_reason') ?? null;
  // Canceling an uncaptured payment releases the authorisation: its charge shows as refunded.
  if (intent.status === 'requires_capture' && intent.latest_charge) {
    const charge = state.charges.get(intent.latest_charge);
    if (charge) {
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
    }
  }
  intent.status = 'canceled';
  intent.canceled_at = now();
  intent.cancellation_reason = reason;
  intent.amount_capturable = 0;
  state.emit('payment_intent.canceled', intent, request);
  return state.view(intent);
}

function update(request: StripeRequest, state: StripeState): unknown {
  const intent = state.intent(request.params['id'] ?? '');
  const { form } = request;
  const changesPayment = ['amount', 'currency', 'payment_method', 'payment_method_data', 'capture_method'].some((name) => form[name] !== undefined);
  if (changesPayment && !UPDATABLE.includes(intent.status)) {
    throw unexpectedState(`This PaymentIntent's amount, currency or payment method could not be updated because it has a status of ${intent.status}. You may only update them on a PaymentIntent with one of the following statuses: ${UPDATABLE.join(', ')}.`, intent);
  }
  if (form['currency'] !== undefined) intent.currency = parseCurrency(text(form, 'currency'));
  if (form['amount'] !== undefined) intent.amount = amountOf(request, state, intent.currency);
  const captureMethod = oneOf(text(form, 'capture_method'), CAPTURE_METHODS, 'capture_method');
  if (captureMethod) intent.capture_method = captureMethod;
  const payment = paymentMethodOf(request, state);
  if (payment) {
    intent.payment_method = payment.method.id;
    intent.status = 'requires_confirmation';
  }
  intent.metadata = applyMetadata(intent.metadata, form);
  const description = optionalText(request, 'description');
  if (description !== undefined) intent.description = description;
  const receiptEmail = optionalText(request, 'receipt_email');
  if (receiptEmail !== undefined) intent.receipt_email = receiptEmail;
  return state.view(intent);
}

function retrieve(request: StripeRequest, state: StripeState): unknown {
  const intent = state.intent(request.params['id'] ?? '');
  const view = state.view(intent);
  // "Expanding responses ... expand[]=latest_charge": the Charge object in place of its id
  // (docs.stripe.com/expand); the one expansion clients of a PaymentIntent need to see refunds.
  const charge = intent.latest_charge ? state.charges.get(intent.latest_charge) : undefined;
  if (charge && (list(request.form, 'expand') ?? []).includes('latest_charge') && view !== null && typeof view === 'object') {
    return { ...(view as Record<string, unknown>), latest_charge: state.view(charge) };
  }
  return view;
}

function listIntents(request: StripeRequest, state: StripeState): unknown {
  return page([...state.intents.values()].reverse(), request.form, '/v1/payment_intents', (intent) => state.view(intent));
}

/** https://docs.stripe.com/api/payment_intents/search: `query`, `limit`, `page` (the previous result's `next_page`). */
function search(request: StripeRequest, state: StripeState): unknown {
  const raw = text(request.form, 'query');
  if (raw === undefined || raw === '') throw invalidRequest('Missing required param: query.', { code: 'parameter_missing', param: 'query' });
  const query = parseSearchQuery(raw);
  const rawLimit = text(request.form, 'limit');
  const limit = rawLimit === undefined ? 10 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest('Invalid limit: must be an integer from 1 to 100.', { param: 'limit' });
  const cursor = text(request.form, 'page');
  const start = cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw invalidRequest('Invalid page: use the next_page of a previous search result.', { param: 'page' });
  const found = [...state.intents.values()].reverse().filter((intent) => matches(intent, query));
  const data = found.slice(start, start + limit);
  const more = start + limit < found.length;
  return { object: 'search_result', data: data.map((intent) => state.view(intent)), has_more: more, next_page: more ? Buffer.from(String(start + limit)).toString('base64url') : null, url: '/v1/payment_intents/search' };
}

/** The handlers of /v1/payment_intents, by route. */
export const INTENT_HANDLERS = { create, retrieve, update, confirm: confirmRoute, capture, cancel, list: listIntents, search } as const;
