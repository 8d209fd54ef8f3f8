import { applyMetadata, page, text, type StripeRequest } from './api.js';
import { formatAmount, parsePartialAmount } from './amounts.js';
import { docUrl, invalidRequest, noSuch, StripeApiError } from './errors.js';
import { newRefund, type Charge } from './objects.js';
import type { StripeState } from './state.js';

/**
 * Refunds (https://docs.stripe.com/api/refunds/create) and charges (read only). "You can
 * optionally refund only part of a charge. You can do so multiple times, until the entire charge
 * has been refunded. Once entirely refunded, a charge can't be refunded again. This method will
 * raise an error when called on an already-refunded charge, or when trying to refund more money
 * than is left on a charge." The errors are the API's: `charge_already_refunded` ("Charge ch_...
 * has already been refunded.") and, for too large an amount, an invalid_request_error on `amount`
 * worded "Refund amount ($20.00) is greater than unrefunded amount on charge ($10.00)".
 */

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

/** The captured charge a refund request is about (by `payment_intent` or `charge`). */
function refundableCharge(request: StripeRequest, state: StripeState): Charge {
  const intentId = text(request.form, 'payment_intent');
  const chargeId = text(request.form, 'charge');
  if (intentId !== undefined && chargeId !== undefined) throw invalidRequest('You can only pass one of charge or payment_intent.', { code: 'parameters_exclusive', param: 'payment_intent' });
  if (chargeId !== undefined) return state.charge(chargeId, 'charge');
  if (intentId === undefined) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing', param: 'payment_intent' });
  const intent = state.intent(intentId, 'payment_intent');
  const charge = intent.latest_charge ? state.charges.get(intent.latest_charge) : undefined;
  if (!charge || !charge.captured) {
    throw invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
  }
  return charge;
}

function create(request: StripeRequest, state: StripeState): unknown {
  const charge = refundableCharge(request, state);
  if (!charge.captured) throw invalidRequest(`Charge ${charge.id} has not been captured; cancel its PaymentIntent instead.`, { code: 'charge_not_refundable', param: 'charge' });
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining <= 0) {
    throw new StripeApiError(400, { type: 'invalid_request_error', code: 'charge_already_refunded', doc_url: docUrl('charge_already_refunded'), message: `Charge ${charge.id} has already been refunded.` });
  }
  const amount = parsePartialAmount(text(request.form, 'amount'), 'amount') ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(`Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`, { param: 'amount' });
  }
  const reason = text(request.form, 'reason');
  if (reason !== undefined && !REASONS.includes(reason)) throw invalidRequest(`Invalid reason: must be one of ${REASONS.join(', ')}`, { param: 'reason' });
  const refund = newRefund(charge, amount, reason ?? null, applyMetadata({}, request.form));
  state.add(refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  charge.refunds.data.unshift(refund);
  state.emit('refund.created', refund, request);
  state.emit('charge.refunded', charge, request);
  return state.view(refund);
}

function retrieve(request: StripeRequest, state: StripeState): unknown {
  const id = request.params['id'] ?? '';
  const refund = state.refunds.get(id);
  if (!refund) throw noSuch('refund', id);
  return state.view(refund);
}

function listRefunds(request: StripeRequest, state: StripeState): unknown {
  const intent = text(request.form, 'payment_intent');
  const charge = text(request.form, 'charge');
  const all = [...state.refunds.values()].reverse().filter((r) => (intent === undefined || r.payment_intent === intent) && (charge === undefined || r.charge === charge));
  return page(all, request.form, '/v1/refunds', (r) => state.view(r));
}

function retrieveCharge(request: StripeRequest, state: StripeState): unknown {
  return state.view(state.charge(request.params['id'] ?? '', 'id'));
}

function listCharges(request: StripeRequest, state: StripeState): unknown {
  const intent = text(request.form, 'payment_intent');
  const all = [...state.charges.values()].reverse().filter((c) => intent === undefined || c.payment_intent === intent);
  return page(all, request.form, '/v1/charges', (c) => state.view(c));
}

/** The handlers of /v1/refunds and /v1/charges. */
export const REFUND_HANDLERS = { create, retrieve, list: listRefunds, retrieveCharge, listCharges } as const;
