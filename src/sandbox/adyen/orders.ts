import type { IncomingMessage } from 'node:http';
import { replyObject, type Operation, type RequestRecord } from '../control/orders.js';
import type { SandboxContext } from '../context.js';
import type { Reply } from '../respond.js';
import { AdyenError } from './errors.js';
import { OVER_DAILY_CAP, OVER_TRANSACTION_CAP } from './limits.js';

/**
 * The Adyen dialect's side of the control API (src/sandbox/control/): a payment belongs to the
 * order its `reference` names; modifications of its pspReference inherit the order.
 */

const CAP_REASONS: readonly (string | undefined)[] = [OVER_TRANSACTION_CAP.refusalReason, OVER_DAILY_CAP.refusalReason];

/** The `reference` of a request body, if any. */
export function referenceOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const reference = (body as Record<string, unknown>)['reference'];
  return typeof reference === 'string' && reference !== '' ? reference : undefined;
}

function amountOf(body: unknown): Partial<RequestRecord> {
  const amount = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['amount'] : undefined;
  if (typeof amount !== 'object' || amount === null) return {};
  const { value, currency } = amount as Record<string, unknown>;
  return { ...(typeof value === 'number' ? { amount: value } : {}), ...(typeof currency === 'string' ? { currency } : {}) };
}

/**
 * Notes the request, tags it with its order and applies the plan: the `error` behaviour throws a
 * ServiceError with that status (nothing processed); `timeout` holds a write's answer.
 */
export function admitOrder(req: IncomingMessage, ctx: SandboxContext, operation: Operation, orderRef: string | undefined, body: unknown, paymentId?: string): void {
  const key = req.headers['idempotency-key'];
  ctx.orders.note(req, { operation, ...amountOf(body), ...(paymentId === undefined ? {} : { paymentId }), ...(typeof key === 'string' ? { idempotencyKey: key } : {}) });
  if (orderRef === undefined) return;
  const admission = ctx.orders.tag(req, orderRef, req.method === 'POST');
  if (admission.kind === 'refuse') {
    ctx.orders.note(req, { outcome: 'error' });
    const headers: Record<string, string> = { 'transient-error': 'true', ...(admission.retryAfter === undefined ? {} : { 'retry-after': String(admission.retryAfter) }) };
    throw new AdyenError({ status: admission.status, errorCode: '000', message: admission.status === 429 ? 'Too many requests' : 'An internal error occurred', errorType: 'internal' }, headers);
  }
}

/** What a reply says about the payment, for the request's record; links a new payment to its order. */
export function noteReply(req: IncomingMessage, reply: Reply, ctx: SandboxContext, operation: Operation): void {
  const body = replyObject(reply);
  const fields: Partial<RequestRecord> = {};
  const paymentId = operation === 'create' ? body['pspReference'] : body['paymentPspReference'];
  if (typeof paymentId === 'string') fields.paymentId = paymentId;
  if (reply.status >= 500 || reply.status === 429) fields.outcome = 'error';
  else if (reply.status >= 400) fields.outcome = 'refused';
  else if (operation === 'create') {
    const reason = typeof body['refusalReason'] === 'string' ? body['refusalReason'] : undefined;
    if (body['resultCode'] === 'Authorised') fields.outcome = 'requires_capture';
    else if (body['resultCode'] === 'Refused') {
      fields.outcome = CAP_REASONS.includes(reason) ? 'refused' : 'declined';
      if (reason !== undefined && fields.outcome === 'declined') fields.declineCode = reason;
    } else if (body['resultCode'] === 'Error') fields.outcome = 'error';
  }
  const orderRef = ctx.orders.orderOf(req);
  if (operation === 'create' && orderRef !== undefined && fields.paymentId !== undefined) ctx.orders.link(fields.paymentId, orderRef);
  ctx.orders.note(req, fields);
}
