import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { mediaType, readBody } from './body.js';
import type { DemoClient, SandboxContext } from './context.js';
import { json, type Reply } from './respond.js';
import type { Router } from './router.js';

/** Scopes of the payments API. */
export const PAYMENT_SCOPES = ['payments:read', 'payments:write'] as const;

/** Path of the token endpoint (RFC 6749 §3.2). */
export const TOKEN_PATH = '/oauth/token';
/** Path of the JWK Set. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Path of the authorization server metadata (RFC 8414). */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

const REALM = 'payready-sandbox';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const SUPPORTED_GRANTS = ['client_credentials'];
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

// RFC 6749 §5.1: token responses (and their errors) must not be cached.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** An RFC 6749 §5.2 error response. */
function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Reply {
  return json(status, { error, error_description: description }, { ...NO_STORE, ...headers });
}

function invalidClient(description: string): Reply {
  return oauthError(401, 'invalid_client', description, { 'www-authenticate': `Basic realm="${REALM}"` });
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Undoes the form-encoding RFC 6749 §2.3.1 applies to Basic credentials; undefined if malformed. */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

interface ClientCredentials {
  id: string;
  secret: string;
}

type CredentialsResult = { kind: 'none' } | { kind: 'found'; credentials: ClientCredentials } | { kind: 'error'; reply: Reply };

function basicCredentials(req: IncomingMessage): CredentialsResult {
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { kind: 'none' };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon >= 0 ? formDecode(decoded.slice(0, colon)) : undefined;
  const secret = colon >= 0 ? formDecode(decoded.slice(colon + 1)) : undefined;
  if (id === undefined || secret === undefined) {
    return { kind: 'error', reply: invalidClient('The Basic credentials are not "client_id:client_secret" in base64.') };
  }
  return { kind: 'found', credentials: { id, secret } };
}

function clientCredentials(req: IncomingMessage, form: URLSearchParams): CredentialsResult {
  const basic = basicCredentials(req);
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (basic.kind !== 'none' && (id !== null || secret !== null)) {
    if (basic.kind === 'error') return basic;
    // RFC 6749 §2.3: a client must use only one authentication method per request.
    return {
      kind: 'error',
      reply: oauthError(400, 'invalid_request', 'Authenticate with either HTTP Basic or client_id/client_secret in the body, not both.'),
    };
  }
  if (basic.kind !== 'none') return basic;
  if (id === null && secret === null) return { kind: 'none' };
  return { kind: 'found', credentials: { id: id ?? '', secret: secret ?? '' } };
}

function authenticate(client: DemoClient, credentials: ClientCredentials): boolean {
  // Evaluate both comparisons so timing does not reveal which one failed.
  const idMatches = sameSecret(credentials.id, client.id);
  const secretMatches = sameSecret(credentials.secret, client.secret);
  return idMatches && secretMatches;
}

async function token(req: IncomingMessage, ctx: SandboxContext): Promise<Reply> {
  if (mediaType(req) !== FORM_TYPE) {
    return oauthError(400, 'invalid_request', `Send the token request as "${FORM_TYPE}".`);
  }
  const form = new URLSearchParams((await readBody(req)).toString('utf8'));
  const repeated = [...new Set(form.keys())].filter((name) => form.getAll(name).length > 1);
  if (repeated.length > 0) {
    return oauthError(400, 'invalid_request', `Parameter "${repeated[0]}" is repeated; send each parameter once.`);
  }
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError(400, 'invalid_request', 'The "grant_type" parameter is missing.');

  const found = clientCredentials(req, form);
  if (found.kind === 'error') return found.reply;
  if (found.kind === 'none') {
    return invalidClient('Client authentication is required: use HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post).');
  }
  if (!authenticate(ctx.client, found.credentials)) {
    return invalidClient('Unknown client or wrong client secret.');
  }

  if (!SUPPORTED_GRANTS.includes(grantType)) {
    return oauthError(400, 'unsupported_grant_type', `Grant type "${grantType}" is not supported; use one of: ${SUPPORTED_GRANTS.join(', ')}.`);
  }

  const requested = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const denied = requested.filter((scope) => !ctx.client.scopes.includes(scope));
  if (denied.length > 0) {
    return oauthError(400, 'invalid_scope', `Scope "${denied.join(' ')}" is not allowed for this client; allowed: ${ctx.client.scopes.join(' ')}.`);
  }
  const scopes = requested.length > 0 ? [...new Set(requested)] : ctx.client.scopes;

  const issued = await ctx.tokens.issue(ctx.client.id, scopes);
  return json(
    200,
    { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scopes.join(' ') },
    NO_STORE,
  );
}

/** RFC 8414 metadata; grows as grants and endpoints are added. */
function metadata(ctx: SandboxContext): Record<string, unknown> {
  return {
    issuer: ctx.baseUrl,
    token_endpoint: ctx.baseUrl + TOKEN_PATH,
    jwks_uri: ctx.baseUrl + JWKS_PATH,
    grant_types_supported: SUPPORTED_GRANTS,
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    scopes_supported: ctx.client.scopes,
    // RFC 8414 requires the member; no authorization endpoint exists yet, so no response types.
    response_types_supported: [],
  };
}

/** Token endpoint, JWK Set and authorization server metadata. */
export function registerOAuthRoutes(router: Router, ctx: SandboxContext): void {
  router.post(TOKEN_PATH, ({ req }) => token(req, ctx));
  router.get(JWKS_PATH, () => json(200, ctx.tokens.jwks()));
  router.get(METADATA_PATH, () => json(200, metadata(ctx)));
}
