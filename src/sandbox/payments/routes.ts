import { randomBytes } from 'node:crypto';
import { formatMoney } from '../../money.js';
import { readJson } from '../body.js';
import type { SandboxContext } from '../context.js';
import { json, problem, validationProblem, type Reply } from '../respond.js';
import type { Router, RouteRequest } from '../router.js';
import { PAYMENTS_PATH, access, paymentNotFound } from './access.js';
import { registerPaymentActions } from './actions.js';
import { DECLINE_MESSAGES, cardBrand, declineCodeFor } from './cards.js';
import { TRANSACTION_CAPS, capInMinorUnits } from './limits.js';
import { admitOrder, noteReply, referenceOf } from './orders.js';
import type { Payment, PaymentView } from './store.js';
import { validatePaymentRequest, type PaymentRequest } from './validation.js';

export { PAYMENTS_PATH } from './access.js';

/** Most payments one list request returns. */
const MAX_LIST = 100;

function newPayment(request: PaymentRequest): Payment {
  const { amount, method } = request;
  const zero = { value: 0, currency: amount.currency };
  const base = { id: `pay_${randomBytes(12).toString('hex')}`, amount, capturedAmount: zero, refundedAmount: { ...zero }, reference: request.reference, createdAt: new Date().toISOString(), refunds: [] };
  if (method.type === 'bank_transfer') {
    const { iban } = method.bankTransfer;
    return { ...base, status: 'authorised', method: 'bank_transfer', bankAccount: { last4: iban.slice(-4), country: iban.slice(0, 2) } };
  }
  const { number } = method.card;
  const declineCode = declineCodeFor(number);
  return {
    ...base,
    status: declineCode ? 'declined' : 'authorised',
    method: 'card',
    card: { last4: number.slice(-4), brand: cardBrand(number) },
    ...(declineCode ? { declineCode } : {}),
  };
}

/**
 * The per-transaction and daily caps (limits.ts), as the active faults allow (`no-cap`, `cap-500`);
 * an order the control API gave its own cap (`cap` behaviour) is refused above that one.
 */
function capProblem(request: PaymentRequest, ctx: SandboxContext, orderCap: number | undefined): Reply | undefined {
  const { value, currency } = request.amount;
  const method = request.method.type;
  const caps = TRANSACTION_CAPS[method];
  const perTransaction = orderCap ?? capInMinorUnits(caps.perTransaction, currency);
  if (value > perTransaction && (orderCap !== undefined || !ctx.faults.on('capOff'))) {
    const refusal = problem({
      status: 422,
      code: 'transaction_cap_exceeded',
      title: 'Amount over the per-transaction cap',
      detail: `${formatMoney(value, currency)} is above the ${formatMoney(perTransaction, currency)} cap for one ${method === 'card' ? 'card payment' : 'bank transfer'}; split the order into smaller payments or use another payment method.`,
      extra: { cap: { value: perTransaction, currency } },
    });
    return ctx.faults.apply('overCapRefusal', refusal);
  }
  const daily = capInMinorUnits(caps.daily, currency);
  const used = ctx.payments.usedToday(method, currency);
  if (used + value > daily) {
    const remaining = Math.max(0, daily - used);
    return problem({
      status: 422,
      code: 'daily_cap_exceeded',
      title: 'Daily cap reached',
      detail: `This payment would take today's ${method === 'card' ? 'card' : 'bank transfer'} volume above the ${formatMoney(daily, currency)} daily cap (${formatMoney(remaining, currency)} left); use another payment method or try again tomorrow (UTC).`,
      extra: { cap: { value: daily, currency }, remaining: { value: remaining, currency } },
    });
  }
  return undefined;
}

/** A payment as the API shows it (a fault may change its shape: `schema-drift`). */
function present(payment: Payment, ctx: SandboxContext): PaymentView {
  return ctx.faults.apply('paymentView', { ...payment });
}

/**
 * Charges a validated request: caps, then 201 with the payment or 402 with the decline. Also the
 * hosted checkout's way to pay.
 */
export function chargeReply(req: RouteRequest['req'], request: PaymentRequest, ctx: SandboxContext): Reply {
  const orderRef = ctx.orders.orderOf(req);
  const refused = capProblem(request, ctx, ctx.orders.capFor(orderRef));
  if (refused) return refused;
  if (request.method.type === 'card') {
    ctx.requestLog.noteCard(req, request.method.card.number);
    ctx.orders.note(req, { rawCard: true });
  }
  const planned = ctx.orders.declineFor(orderRef);
  const fresh = newPayment(request);
  // The control API's `decline` behaviour: the order's payment is declined with its code.
  const payment = ctx.payments.add(planned === undefined ? fresh : { ...fresh, status: 'declined', ...(isDeclineCode(planned) ? { declineCode: planned } : {}) });
  const declineCode = planned ?? payment.declineCode;
  const location = { location: `${ctx.baseUrl}${PAYMENTS_PATH}/${payment.id}` };
  ctx.webhooks.emit(declineCode ? 'payment.declined' : 'payment.authorised', payment);
  if (declineCode) {
    return problem({
      status: 402,
      code: 'card_declined',
      title: 'Payment declined',
      detail: isDeclineCode(declineCode) ? DECLINE_MESSAGES[declineCode] : DECLINE_MESSAGES.do_not_honor,
      extra: { declineCode, paymentId: payment.id },
      headers: location,
    });
  }
  return json(201, present(payment, ctx), location);
}

function isDeclineCode(code: string): code is keyof typeof DECLINE_MESSAGES {
  return Object.hasOwn(DECLINE_MESSAGES, code);
}

function amountFields(body: unknown): { amount?: number; currency?: string } {
  const amount = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['amount'] : undefined;
  if (typeof amount !== 'object' || amount === null) return {};
  const { value, currency } = amount as Record<string, unknown>;
  return { ...(typeof value === 'number' ? { amount: value } : {}), ...(typeof currency === 'string' ? { currency } : {}) };
}

async function createPayment({ req }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  const clientId = await access(req, ctx, 'payments:write');
  const body = await readJson(req);
  const refusal = await admitOrder(req, ctx, 'create', referenceOf(body), amountFields(body));
  if (refusal) return refusal;
  const reply = await ctx.idempotency.run(req, clientId, body, () => {
    const validation = validatePaymentRequest(body);
    return validation.ok ? chargeReply(req, validation.request, ctx) : validationProblem(validation.errors);
  });
  noteReply(req, reply, ctx, 'create');
  return reply;
}

async function getPayment({ req, params }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  await access(req, ctx, 'payments:read');
  const id = params['id'] ?? '';
  const refusal = await admitOrder(req, ctx, 'read', ctx.orders.orderOfPayment(id), { paymentId: id });
  if (refusal) return refusal;
  const payment = ctx.payments.get(id);
  if (!payment) throw paymentNotFound();
  return json(200, present(payment, ctx));
}

async function listPayments({ req, url }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  await access(req, ctx, 'payments:read');
  const reference = url.searchParams.get('reference');
  if (reference === null || reference === '') {
    return problem({
      status: 400,
      code: 'reference_required',
      title: 'Reference required',
      detail: 'List payments by merchant reference: GET /v1/payments?reference=<your order reference>.',
    });
  }
  return json(200, { data: ctx.payments.findByReference(reference, MAX_LIST) });
}

/** Create, list, read, capture, refund and cancel payments. */
export function registerPaymentRoutes(router: Router, ctx: SandboxContext): void {
  router.post(PAYMENTS_PATH, (request) => createPayment(request, ctx));
  router.get(PAYMENTS_PATH, (request) => listPayments(request, ctx));
  router.get(`${PAYMENTS_PATH}/:id`, (request) => getPayment(request, ctx));
  registerPaymentActions(router, ctx);
}
