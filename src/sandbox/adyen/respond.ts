import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SandboxContext } from '../context.js';
import { ProblemError, type Reply } from '../respond.js';
import type { Handler, RouteRequest } from '../router.js';
import type { AdyenContext } from './context.js';
import { ADYEN_ERRORS, AdyenError, serviceErrorReply, type ServiceError } from './errors.js';

/** An Adyen endpoint's handler: it throws `AdyenError` for any error answer. */
export type AdyenHandler = (request: RouteRequest, adyen: AdyenContext) => Promise<Reply> | Reply;

/** A ProblemError raised by the shared plumbing (body parsing, the `flaky` fault) in Adyen's words. */
function fromProblem(error: ProblemError): { body: ServiceError; headers: Record<string, string> } {
  const p = error.problem;
  const headers = { ...p.headers, ...(error.closeConnection ? { connection: 'close' } : {}) };
  if (p.code === 'malformed_json') return { body: ADYEN_ERRORS.unparsable, headers };
  return { body: { status: p.status, errorCode: '000', message: p.title, errorType: p.status >= 500 ? 'internal' : 'validation' }, headers };
}

/** The ServiceError reply for anything a handler threw; an unexpected error is Adyen's 500. */
export function adyenErrorReply(ctx: SandboxContext, error: unknown): Reply {
  let reply: Reply;
  if (error instanceof AdyenError) reply = serviceErrorReply(error.body, error.headers);
  else if (error instanceof ProblemError) {
    const { body, headers } = fromProblem(error);
    reply = serviceErrorReply(body, headers);
  } else reply = serviceErrorReply(ADYEN_ERRORS.internal);
  // `opaque-errors`: the ServiceError becomes a plain-text stack trace.
  return ctx.faults.apply('adyenErrorReply', reply);
}

/** Wraps an Adyen handler: every error it throws is answered as a ServiceError. */
export function adyenEndpoint(ctx: SandboxContext, handle: AdyenHandler): Handler {
  return async (request) => {
    const adyen = ctx.adyen;
    if (!adyen) throw new Error('the Adyen dialect is not set up in this sandbox');
    try {
      return await handle(request, adyen);
    } catch (error) {
      return adyenErrorReply(ctx, error);
    }
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Adyen authenticates API requests with the `X-API-Key` header ("API credentials ... send the API
 * key in the X-API-Key header"); a missing or wrong key is 401 errorCode 000. The `no-auth` fault
 * lets every request in, as in the payready dialect. Then the `flaky` fault may refuse it (503).
 */
export function authenticate(req: IncomingMessage, ctx: SandboxContext): void {
  if (!ctx.faults.on('bearerAuthOff')) {
    const raw = req.headers['x-api-key'];
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (key === undefined || ctx.apiKey === undefined || !sameSecret(key, ctx.apiKey)) throw new AdyenError(ADYEN_ERRORS.unauthorized);
  }
  ctx.pacing.admit();
}
