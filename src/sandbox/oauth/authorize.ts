import type { SandboxContext } from '../context.js';
import type { Reply } from '../respond.js';
import type { RouteRequest } from '../router.js';
import { oauthError } from './client-auth.js';

// RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~]; S256 challenges are 43.
const CHALLENGE_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * RFC 8252 §7.3: a native app's loopback redirect URI may use any port, because the app picks a
 * free one at run time. The sandbox registers loopback URIs only (http, any port, any path).
 */
export function isRegisteredRedirect(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.hash === '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function redirectTo(uri: string, params: Record<string, string>): Reply {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
}

/**
 * GET /oauth/authorize (RFC 6749 §4.1.1 with PKCE S256 required). There is no login page: the
 * test user approves every valid request at once and the browser is sent straight back to the
 * redirect URI with a code, so a check can run the flow headless.
 */
export function authorize({ url }: RouteRequest, ctx: SandboxContext): Reply {
  const query = url.searchParams;
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri') ?? '';
  const client = ctx.clients.find((c) => c.id === clientId);
  // §4.1.2.1: with an unknown client or redirect URI, never redirect (it could be anyone's).
  if (!client) return oauthError(400, 'invalid_request', 'Unknown client_id: no redirect is made to an unverified client.');
  if (!isRegisteredRedirect(redirectUri)) {
    return oauthError(400, 'invalid_request', 'redirect_uri is missing or not registered; this sandbox accepts http://127.0.0.1:<any port>/<path> loopback URIs (RFC 8252).');
  }
  const state = query.get('state');
  const back = (params: Record<string, string>): Reply => redirectTo(redirectUri, { ...params, ...(state !== null ? { state } : {}), iss: ctx.baseUrl });
  const fail = (error: string, description: string): Reply => back({ error, error_description: description });

  if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  const challenge = query.get('code_challenge');
  if (challenge === null) return fail('invalid_request', 'PKCE is required: send code_challenge and code_challenge_method=S256 (RFC 7636).');
  if (query.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256; plain is not accepted.');
  if (!CHALLENGE_PATTERN.test(challenge)) return fail('invalid_request', 'code_challenge must be 43 to 128 characters of base64url.');

  const requested = (query.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const denied = requested.filter((scope) => !client.scopes.includes(scope));
  if (denied.length > 0) return fail('invalid_scope', `Scope "${denied.join(' ')}" is not allowed for this client.`);
  const scopes = requested.length > 0 ? [...new Set(requested)] : client.scopes;

  const code = ctx.grants.issueCode({ clientId: client.id, redirectUri, codeChallenge: challenge, scopes, userId: ctx.user.id });
  return back({ code });
}
