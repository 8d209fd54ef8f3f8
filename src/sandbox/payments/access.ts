import type { IncomingMessage } from 'node:http';
import type { SandboxContext } from '../context.js';
import { requireScope } from '../oauth/bearer.js';
import { ProblemError } from '../respond.js';

/** Where payments live. */
export const PAYMENTS_PATH = '/v1/payments';

/**
 * Authenticates a payments API request (bearer token with `scope`), then lets the `flaky` fault
 * refuse it; returns the client id the idempotency store scopes keys to.
 */
export async function access(req: IncomingMessage, ctx: SandboxContext, scope: string): Promise<string> {
  const token = await requireScope(req, ctx, scope);
  ctx.pacing.admit();
  return token?.clientId ?? ctx.client.id;
}

/** A 404 problem for an unknown payment id. */
export function paymentNotFound(): ProblemError {
  return new ProblemError({
    status: 404,
    code: 'payment_not_found',
    title: 'Payment not found',
    detail: 'No payment has this id; use the id returned when the payment was created.',
  });
}
