import type { IncomingMessage } from 'node:http';
import type { DemoClient, SandboxContext } from '../context.js';
import { json, type Reply } from '../respond.js';
import type { Router } from '../router.js';
import { authorize } from './authorize.js';
import { CLIENT_AUTH_METHODS, NO_STORE, authenticatedForm, oauthError } from './client-auth.js';
import { pkceMatches } from './grants.js';
import { InvalidTokenError, type VerifiedToken } from './tokens.js';

/** Scopes of the payments API. */
export const PAYMENT_SCOPES = ['payments:read', 'payments:write'] as const;

/** Path of the token endpoint (RFC 6749 §3.2). */
export const TOKEN_PATH = '/oauth/token';
/** Path of the authorization endpoint (RFC 6749 §3.1). */
export const AUTHORIZE_PATH = '/oauth/authorize';
/** Path of the token introspection endpoint (RFC 7662). */
export const INTROSPECT_PATH = '/oauth/introspect';
/** Path of the token revocation endpoint (RFC 7009). */
export const REVOKE_PATH = '/oauth/revoke';
/** Path of the JWK Set. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Path of the authorization server metadata (RFC 8414). */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

const SUPPORTED_GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'];

function requestedScopes(form: URLSearchParams, allowed: readonly string[]): { ok: true; scopes: readonly string[] } | { ok: false; reply: Reply } {
  const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const denied = requested.filter((scope) => !allowed.includes(scope));
  if (denied.length > 0) {
    return { ok: false, reply: oauthError(400, 'invalid_scope', `Scope "${denied.join(' ')}" is not allowed for this client; allowed: ${allowed.join(' ')}.`) };
  }
  return { ok: true, scopes: requested.length > 0 ? [...new Set(requested)] : allowed };
}

async function tokenResponse(ctx: SandboxContext, client: DemoClient, scopes: readonly string[], user?: { id: string; family: string }): Promise<Reply> {
  const issued = await ctx.tokens.issue(client.id, scopes, user ? { subject: user.id } : {});
  const refreshToken = user ? ctx.grants.issueRefresh({ clientId: client.id, scopes, userId: user.id, family: user.family }) : undefined;
  return json(
    200,
    {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      ...(issued.expiresIn !== undefined ? { expires_in: issued.expiresIn } : {}),
      scope: issued.scopes.join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    },
    NO_STORE,
  );
}

async function authorizationCodeGrant(ctx: SandboxContext, client: DemoClient, form: URLSearchParams): Promise<Reply> {
  const code = form.get('code');
  if (!code) return oauthError(400, 'invalid_request', 'The "code" parameter is missing.');
  const grant = ctx.grants.redeemCode(code);
  if (grant === 'replayed') return oauthError(400, 'invalid_grant', 'The authorization code was already used; the tokens issued from it are revoked.');
  if (grant === 'unknown' || grant === 'expired') return oauthError(400, 'invalid_grant', `The authorization code is ${grant === 'expired' ? 'expired' : 'unknown'}; start the authorization again.`);
  if (grant.clientId !== client.id) return oauthError(400, 'invalid_grant', 'The authorization code was issued to another client.');
  if (form.get('redirect_uri') !== grant.redirectUri) return oauthError(400, 'invalid_grant', 'redirect_uri must be the one sent in the authorization request.');
  // Unless a fault switches it off (`no-pkce`): then a stolen code works for anyone.
  if (!ctx.faults.on('pkceOff')) {
    const verifier = form.get('code_verifier');
    if (!verifier) return oauthError(400, 'invalid_grant', 'code_verifier is missing: the authorization request carried a PKCE challenge (RFC 7636 §4.5).');
    if (!pkceMatches(verifier, grant.codeChallenge)) return oauthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge of the authorization request.');
  }
  return tokenResponse(ctx, client, grant.scopes, { id: grant.userId, family: grant.family ?? '' });
}

async function refreshTokenGrant(ctx: SandboxContext, client: DemoClient, form: URLSearchParams): Promise<Reply> {
  const token = form.get('refresh_token');
  if (!token) return oauthError(400, 'invalid_request', 'The "refresh_token" parameter is missing.');
  const grant = ctx.grants.useRefresh(token, client.id);
  if (typeof grant === 'string') {
    const why: Record<typeof grant, string> = {
      unknown: 'The refresh token is unknown.',
      expired: 'The refresh token has expired; start the authorization again.',
      reused: 'The refresh token was already used and has been rotated; every token of this grant is now revoked.',
      revoked: 'The refresh token has been revoked.',
      'wrong-client': 'The refresh token was issued to another client.',
    };
    return oauthError(400, 'invalid_grant', why[grant]);
  }
  const scopes = requestedScopes(form, grant.scopes);
  if (!scopes.ok) return scopes.reply;
  return tokenResponse(ctx, client, scopes.scopes, { id: grant.userId, family: grant.family });
}

async function token(req: IncomingMessage, ctx: SandboxContext): Promise<Reply> {
  const request = await authenticatedForm(req, ctx);
  if (!request.ok) return request.reply;
  const { client, form } = request;
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'The "grant_type" parameter is missing.');
  switch (grantType) {
    case 'client_credentials': {
      const scopes = requestedScopes(form, client.scopes);
      if (!scopes.ok) return scopes.reply;
      const reply = await tokenResponse(ctx, client, scopes.scopes);
      // The control API's GET /tokens: how many tokens merchants fetched (one per payment is a smell).
      ctx.orders.tokensIssued += 1;
      return reply;
    }
    case 'authorization_code':
      return authorizationCodeGrant(ctx, client, form);
    case 'refresh_token':
      return refreshTokenGrant(ctx, client, form);
    default:
      return oauthError(400, 'unsupported_grant_type', `Grant type "${grantType}" is not supported; use one of: ${SUPPORTED_GRANTS.join(', ')}.`);
  }
}

async function verifiedOrUndefined(ctx: SandboxContext, token: string): Promise<VerifiedToken | undefined> {
  try {
    return await ctx.tokens.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) return undefined;
    throw error;
  }
}

/** POST /oauth/introspect (RFC 7662): `active` and the token's claims, for an authenticated client. */
async function introspect(req: IncomingMessage, ctx: SandboxContext): Promise<Reply> {
  const request = await authenticatedForm(req, ctx);
  if (!request.ok) return request.reply;
  const token = request.form.get('token');
  if (!token) return oauthError(400, 'invalid_request', 'The "token" parameter is missing.');
  const refresh = ctx.grants.peekRefresh(token);
  if (refresh) {
    return json(200, { active: true, token_type: 'refresh_token', client_id: refresh.clientId, sub: refresh.userId, scope: refresh.scopes.join(' '), exp: refresh.expiresAt, iss: ctx.baseUrl }, NO_STORE);
  }
  const verified = await verifiedOrUndefined(ctx, token);
  // §2.2: an invalid, expired or revoked token is only ever `{ "active": false }`.
  if (!verified) return json(200, { active: false }, NO_STORE);
  const { claims } = verified;
  return json(
    200,
    {
      active: true,
      token_type: 'Bearer',
      client_id: verified.clientId,
      scope: verified.scopes.join(' '),
      sub: claims.sub,
      iss: claims.iss,
      aud: claims.aud,
      iat: claims.iat,
      ...(claims.exp !== undefined ? { exp: claims.exp } : {}),
      jti: claims.jti,
    },
    NO_STORE,
  );
}

/** POST /oauth/revoke (RFC 7009): 200 whether or not the token was valid, as §2.2 requires. */
async function revoke(req: IncomingMessage, ctx: SandboxContext): Promise<Reply> {
  const request = await authenticatedForm(req, ctx);
  if (!request.ok) return request.reply;
  const token = request.form.get('token');
  if (!token) return oauthError(400, 'invalid_request', 'The "token" parameter is missing.');
  // Under `revocation-ignored` the endpoint says yes and does nothing.
  if (ctx.faults.on('revocationOff')) return { status: 200, headers: NO_STORE };
  if (!ctx.grants.revokeRefresh(token, request.client.id)) {
    const verified = await verifiedOrUndefined(ctx, token);
    // A client may only revoke its own tokens (§2.1); anything else is silently ignored.
    if (verified && verified.clientId === request.client.id) ctx.tokens.revoke(verified);
  }
  return { status: 200, headers: NO_STORE };
}

/** RFC 8414 metadata. */
function metadata(ctx: SandboxContext): Record<string, unknown> {
  return {
    issuer: ctx.baseUrl,
    authorization_endpoint: ctx.baseUrl + AUTHORIZE_PATH,
    token_endpoint: ctx.baseUrl + TOKEN_PATH,
    jwks_uri: ctx.baseUrl + JWKS_PATH,
    introspection_endpoint: ctx.baseUrl + INTROSPECT_PATH,
    revocation_endpoint: ctx.baseUrl + REVOKE_PATH,
    grant_types_supported: SUPPORTED_GRANTS,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    scopes_supported: [...new Set(ctx.clients.flatMap((client) => client.scopes))],
    authorization_response_iss_parameter_supported: true,
  };
}

/** Authorization, token, introspection and revocation endpoints, JWK Set and metadata. */
export function registerOAuthRoutes(router: Router, ctx: SandboxContext): void {
  router.get(AUTHORIZE_PATH, (request) => authorize(request, ctx));
  router.post(TOKEN_PATH, ({ req }) => token(req, ctx));
  router.post(INTROSPECT_PATH, ({ req }) => introspect(req, ctx));
  router.post(REVOKE_PATH, ({ req }) => revoke(req, ctx));
  router.get(JWKS_PATH, () => json(200, ctx.tokens.jwks()));
  router.get(METADATA_PATH, () => json(200, metadata(ctx)));
}
