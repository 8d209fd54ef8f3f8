import type { IncomingMessage } from 'node:http';
import type { SandboxContext } from '../context.js';
import { ProblemError } from '../respond.js';
import { InvalidTokenError, type VerifiedToken } from './tokens.js';

const REALM = 'payready-sandbox';

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Checks the request's bearer token (RFC 6750) and that it carries `scope`; throws a 401 or 403
 * `ProblemError`. Returns undefined when the `no-auth` fault lets every request through.
 */
export async function requireScope(req: IncomingMessage, ctx: SandboxContext, scope: string): Promise<VerifiedToken | undefined> {
  if (ctx.faults.on('bearerAuthOff')) return undefined;
  const token = bearerToken(req);
  if (token === undefined) {
    // RFC 6750 §3.1: a request without credentials gets the challenge but no error code.
    throw new ProblemError({
      status: 401,
      code: 'unauthorized',
      title: 'Authentication required',
      detail: 'Send an OAuth 2.0 access token in "Authorization: Bearer <token>"; get one from /oauth/token.',
      headers: { 'www-authenticate': `Bearer realm="${REALM}", scope="${scope}"` },
    });
  }
  let verified: VerifiedToken;
  try {
    verified = await ctx.tokens.verify(token);
  } catch (error) {
    throw invalidToken(error instanceof InvalidTokenError ? error.message : 'The access token could not be verified.');
  }
  if (!verified.scopes.includes(scope)) {
    throw new ProblemError({
      status: 403,
      code: 'insufficient_scope',
      title: 'Insufficient scope',
      detail: `This operation needs the "${scope}" scope; request it from the token endpoint.`,
      headers: { 'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"` },
    });
  }
  return verified;
}

/** RFC 6750 §3.1 `invalid_token`: a 401 whose WWW-Authenticate says so, with `detail` as its description. */
export function invalidToken(detail: string): ProblemError {
  return new ProblemError({
    status: 401,
    code: 'invalid_token',
    title: 'Invalid access token',
    detail,
    headers: { 'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${detail}"` },
  });
}
