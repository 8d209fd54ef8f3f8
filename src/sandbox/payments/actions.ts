import { randomBytes } from 'node:crypto';
import { formatMoney } from '../../money.js';
import { readOptionalJson } from '../body.js';
import type { SandboxContext } from '../context.js';
import { json, problem, validationProblem, type Reply } from '../respond.js';
import type { Router, RouteRequest } from '../router.js';
import { PAYMENTS_PATH, access, paymentNotFound } from './access.js';
import { admitOrder, noteReply } from './orders.js';
import type { Amount, Payment, PaymentStatus, Refund } from './store.js';
import { validateAmountRequest } from './validation.js';

type Action = (payment: Payment, amount: Amount | undefined, ctx: SandboxContext) => Reply;

/** A 409: the payment is not in a state that allows the action. */
function wrongState(action: string, payment: Payment, allowed: readonly PaymentStatus[]): Reply {
  return problem({
    status: 409,
    code: `payment_not_${action === 'capture' ? 'capturable' : action === 'refund' ? 'refundable' : 'cancellable'}`,
    title: `Payment cannot be ${action === 'capture' ? 'captured' : action === 'refund' ? 'refunded' : 'cancelled'}`,
    detail: `Only a payment that is ${allowed.join(' or ')} can be ${action === 'capture' ? 'captured' : action === 'refund' ? 'refunded' : 'cancelled'}; this one is ${payment.status}.`,
    extra: { paymentId: payment.id, paymentStatus: payment.status },
  });
}

function currencyMismatch(payment: Payment): Reply {
  return validationProblem([{ pointer: '/amount/currency', detail: `must be ${payment.amount.currency}, the currency of the payment` }]);
}

/** Capture all of an authorisation, or less (the rest is released). */
const capture: Action = (payment, amount, ctx) => {
  if (payment.status !== 'authorised') return wrongState('capture', payment, ['authorised']);
  if (amount && amount.currency !== payment.amount.currency) return currencyMismatch(payment);
  if (amount && amount.value > payment.amount.value) {
    return problem({
      status: 422,
      code: 'capture_exceeds_authorised',
      title: 'Capture above the authorised amount',
      detail: `At most the authorised ${formatMoney(payment.amount.value, payment.amount.currency)} can be captured.`,
      extra: { authorised: payment.amount },
    });
  }
  const value = amount?.value ?? payment.amount.value;
  const updated = ctx.payments.update(payment.id, (p) => {
    p.status = 'captured';
    // Capturing less releases the rest of the authorisation (see capUse in store.ts).
    p.capturedAmount = { value, currency: p.amount.currency };
  });
  if (!updated) throw paymentNotFound();
  ctx.webhooks.emit('payment.captured', updated);
  return json(200, updated);
};

/** Refund all that is left of a capture, or part of it; never more than was captured. */
const refund: Action = (payment, amount, ctx) => {
  if (payment.status !== 'captured' && payment.status !== 'partially_refunded') return wrongState('refund', payment, ['captured', 'partially_refunded']);
  if (amount && amount.currency !== payment.amount.currency) return currencyMismatch(payment);
  const refundable = payment.capturedAmount.value - payment.refundedAmount.value;
  const value = amount?.value ?? refundable;
  if (value > refundable) {
    return problem({
      status: 422,
      code: 'refund_exceeds_captured',
      title: 'Refund above the refundable amount',
      detail: `${formatMoney(value, payment.amount.currency)} is more than the ${formatMoney(refundable, payment.amount.currency)} still refundable on this payment (captured less already refunded).`,
      extra: { refundable: { value: refundable, currency: payment.amount.currency } },
    });
  }
  const created: Refund = { id: `re_${randomBytes(12).toString('hex')}`, paymentId: payment.id, amount: { value, currency: payment.amount.currency }, status: 'succeeded', createdAt: new Date().toISOString() };
  const updated = ctx.payments.update(payment.id, (p) => {
    p.refundedAmount = { value: p.refundedAmount.value + value, currency: p.amount.currency };
    p.status = p.refundedAmount.value >= p.capturedAmount.value ? 'refunded' : 'partially_refunded';
    p.refunds.push(created);
  });
  if (!updated) throw paymentNotFound();
  ctx.webhooks.emit('payment.refunded', updated, created);
  return json(201, { ...created, payment: updated });
};

/** Release an authorisation that will not be captured. */
const cancel: Action = (payment, _amount, ctx) => {
  if (payment.status !== 'authorised') return wrongState('cancel', payment, ['authorised']);
  const updated = ctx.payments.update(payment.id, (p) => {
    p.status = 'cancelled';
  });
  if (!updated) throw paymentNotFound();
  ctx.webhooks.emit('payment.cancelled', updated);
  return json(200, updated);
};

function actionRoute(action: Action, operation: 'capture' | 'refund' | 'cancel', ctx: SandboxContext) {
  return async ({ req, params }: RouteRequest): Promise<Reply> => {
    const clientId = await access(req, ctx, 'payments:write');
    const body = await readOptionalJson(req);
    const id = params['id'] ?? '';
    const refusal = await admitOrder(req, ctx, operation, ctx.orders.orderOfPayment(id), { paymentId: id });
    if (refusal) return refusal;
    const reply = await ctx.idempotency.run(req, clientId, body, () => {
      const parsed = validateAmountRequest(body);
      if (!parsed.ok) return validationProblem(parsed.errors);
      const payment = ctx.payments.get(id);
      if (!payment) throw paymentNotFound();
      return action(payment, parsed.amount, ctx);
    });
    noteReply(req, reply, ctx, operation);
    return reply;
  };
}

/** `POST /v1/payments/{id}/capture`, `/refunds` and `/cancel`, each with an optional `{ amount }`. */
export function registerPaymentActions(router: Router, ctx: SandboxContext): void {
  router.post(`${PAYMENTS_PATH}/:id/capture`, actionRoute(capture, 'capture', ctx));
  router.post(`${PAYMENTS_PATH}/:id/refunds`, actionRoute(refund, 'refund', ctx));
  router.post(`${PAYMENTS_PATH}/:id/cancel`, actionRoute(cancel, 'cancel', ctx));
}
