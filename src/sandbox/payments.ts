import { randomBytes } from 'node:crypto';
import { readJson } from './body.js';
import { requireScope } from './bearer.js';
import { DECLINE_MESSAGES, cardBrand, declineCodeFor } from './cards.js';
import type { SandboxContext } from './context.js';
import type { Payment } from './payment-store.js';
import { validatePaymentRequest, type PaymentRequest } from './payment-validation.js';
import { json, problem, validationProblem, type Reply } from './respond.js';
import type { Router, RouteRequest } from './router.js';

/** Where payments live. */
export const PAYMENTS_PATH = '/v1/payments';

function newPaymentId(): string {
  return `pay_${randomBytes(12).toString('hex')}`;
}

/** Decides a payment for a valid request: declined for the decline test cards, authorised otherwise. */
function authorisePayment(request: PaymentRequest): Payment {
  const declineCode = declineCodeFor(request.card.number);
  return {
    id: newPaymentId(),
    status: declineCode ? 'declined' : 'authorised',
    amount: request.amount,
    reference: request.reference,
    createdAt: new Date().toISOString(),
    card: { last4: request.card.number.slice(-4), brand: cardBrand(request.card.number) },
    ...(declineCode ? { declineCode } : {}),
  };
}

/**
 * A payment as the API shows it. Fault `schema-drift` makes it disagree with the OpenAPI
 * document the way a careless release does: the amount as a string, a required field dropped.
 */
function present(payment: Payment, ctx: SandboxContext): Record<string, unknown> {
  if (!ctx.faults.has('schema-drift')) return { ...payment };
  const { createdAt: _dropped, ...rest } = payment;
  return { ...rest, amount: { ...payment.amount, value: String(payment.amount.value) } };
}

async function createPayment({ req }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  await requireScope(req, ctx, 'payments:write');
  const validation = validatePaymentRequest(await readJson(req));
  if (!validation.ok) return validationProblem(validation.errors);
  return chargeReply(req, validation.request, ctx);
}

/** Charges a validated request and answers 201 with the payment or 402 with the decline (also used by the hosted checkout). */
export function chargeReply(req: RouteRequest['req'], request: PaymentRequest, ctx: SandboxContext): Reply {
  ctx.requestLog.noteCard(req, request.card.number);
  const payment = ctx.payments.add(authorisePayment(request));
  const location = { location: `${ctx.baseUrl}${PAYMENTS_PATH}/${payment.id}` };
  if (payment.declineCode) {
    return problem({
      status: 402,
      code: 'card_declined',
      title: 'Payment declined',
      detail: DECLINE_MESSAGES[payment.declineCode],
      extra: { declineCode: payment.declineCode, paymentId: payment.id },
      headers: location,
    });
  }
  return json(201, present(payment, ctx), location);
}

async function getPayment({ req, params }: RouteRequest, ctx: SandboxContext): Promise<Reply> {
  await requireScope(req, ctx, 'payments:read');
  const id = params['id'] ?? '';
  const payment = ctx.payments.get(id);
  if (payment) return json(200, present(payment, ctx));
  return problem({
    status: 404,
    code: 'payment_not_found',
    title: 'Payment not found',
    detail: 'No payment has this id; use the id returned when the payment was created.',
  });
}

/** Create and read payments. */
export function registerPaymentRoutes(router: Router, ctx: SandboxContext): void {
  router.post(PAYMENTS_PATH, (request) => createPayment(request, ctx));
  router.get(`${PAYMENTS_PATH}/:id`, (request) => getPayment(request, ctx));
}
