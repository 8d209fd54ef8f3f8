import { invalidToken } from '../oauth/bearer.js';
import type { IncomingMessage } from 'node:http';
import { replyObject, type Operation, type RequestRecord } from '../control/orders.js';
import type { SandboxContext } from '../context.js';
import { problem, type Reply } from '../respond.js';

/**
 * The payready dialect's side of the control API (src/sandbox/control/): a payment belongs to the
 * order its `reference` names; requests on its `pay_...` id inherit the order. Here are the
 * answers of the behaviours that do not touch the charge itself (error, invalid-token) and what a
 * reply tells the request's record.
 */

const ERROR_TITLES: Readonly<Record<number, { code: string; title: string }>> = {
  500: { code: 'internal_error', title: 'Internal error' },
  502: { code: 'bad_gateway', title: 'Bad gateway' },
  503: { code: 'service_unavailable', title: 'Service unavailable' },
  429: { code: 'rate_limited', title: 'Too many requests' },
};

/** The `reference` of a payment request body, if it is one. */
export function referenceOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const reference = (body as Record<string, unknown>)['reference'];
  return typeof reference === 'string' && reference !== '' ? reference : undefined;
}

function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

/**
 * Notes what the request is, tags it with its order and applies the order's plan: a refusal
 * (`error`) is returned as the reply to send; `invalid-token` revokes the request's token and
 * throws the 401 a revoked token gets.
 */
export async function admitOrder(req: IncomingMessage, ctx: SandboxContext, operation: Operation, orderRef: string | undefined, fields: Partial<RequestRecord> = {}): Promise<Reply | undefined> {
  const key = req.headers['idempotency-key'];
  ctx.orders.note(req, { operation, ...fields, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) });
  if (orderRef === undefined) return undefined;
  const admission = ctx.orders.tag(req, orderRef, req.method === 'POST');
  if (admission.kind === 'refuse') {
    ctx.orders.note(req, { outcome: 'error' });
    const { code, title } = ERROR_TITLES[admission.status] ?? { code: 'internal_error', title: 'Internal error' };
    return problem({
      status: admission.status,
      code,
      title,
      detail: 'The payments API could not handle this request; nothing was processed. Retry later with the same Idempotency-Key.',
      ...(admission.retryAfter === undefined ? {} : { headers: { 'retry-after': String(admission.retryAfter) } }),
    });
  }
  const bearer = bearerOf(req);
  if (ctx.orders.invalidateToken(orderRef) && bearer !== undefined) {
    try {
      ctx.tokens.revoke(await ctx.tokens.verify(bearer));
    } catch {
      // Not a token the sandbox issued (the `no-auth` fault lets anything through): nothing to revoke.
    }
    throw invalidToken('The access token has been revoked; request a new one from the token endpoint.');
  }
  return undefined;
}

/** What a reply says about the payment, for the request's record; links a new payment to its order. */
export function noteReply(req: IncomingMessage, reply: Reply, ctx: SandboxContext, operation: Operation): void {
  const body = replyObject(reply);
  const fields: Partial<RequestRecord> = {};
  const payment = (operation === 'refund' ? body['payment'] : body) as Record<string, unknown> | undefined;
  const paymentId = typeof payment?.['id'] === 'string' ? payment['id'] : typeof body['paymentId'] === 'string' ? body['paymentId'] : undefined;
  if (paymentId !== undefined) fields.paymentId = paymentId;
  if (reply.status === 402) {
    fields.outcome = 'declined';
    if (typeof body['declineCode'] === 'string') fields.declineCode = body['declineCode'];
  } else if (reply.status >= 500 || reply.status === 429) {
    fields.outcome = 'error';
  } else if (reply.status >= 400) {
    if (operation !== 'read') fields.outcome = 'refused';
  } else if (operation !== 'read') {
    const status = payment?.['status'];
    if (status === 'authorised') fields.outcome = 'requires_capture';
    else if (status === 'captured' || status === 'partially_refunded' || status === 'refunded' || status === 'cancelled' || operation === 'refund') fields.outcome = 'succeeded';
  }
  const orderRef = ctx.orders.orderOf(req);
  if (operation === 'create' && orderRef !== undefined && paymentId !== undefined) ctx.orders.link(paymentId, orderRef);
  ctx.orders.note(req, fields);
}
