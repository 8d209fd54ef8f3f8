import { assertion } from './assert.js';
import type { Authorizer } from './oauth-authorize.js';
import { netMessage, type OAuthExchange, type OAuthResponse } from './oauth-exchange.js';
import { oauthErrorAssertions, probe, refreshAssertions } from './oauth-probes.js';
import type { OAuthParams } from './oauth.js';
import type { Assertion } from './types.js';

/**
 * The grants of the `oauth` check: obtaining the token its flow issues, and the probes that must
 * be refused at the token endpoint (an unknown grant, a scope the client lacks, a wrong or missing
 * PKCE verifier).
 */

/** The token response of a flow, or why there is none (skip: a person must sign in). */
export type Obtained = { kind: 'token'; response: OAuthResponse; assertions: Assertion[] } | { kind: 'skip' | 'error' | 'fail'; message: string };

/** Runs the flow's grant and returns the token response (or why there is none). */
export async function obtain(flow: OAuthParams['flow'], params: OAuthParams, ex: OAuthExchange, tokenUrl: string, authorizer: Authorizer | undefined, extra: Record<string, string>): Promise<Obtained> {
  try {
    if (flow === 'client_credentials') {
      return { kind: 'token', response: await ex.post(tokenUrl, { grant_type: 'client_credentials', ...(params.scope ? { scope: params.scope } : {}), ...extra }), assertions: [] };
    }
    if (flow === 'refresh_token' && params.refreshToken) {
      const refreshed = await refreshAssertions(ex, tokenUrl, params.refreshToken);
      return refreshed.response ? { kind: 'token', response: refreshed.response, assertions: refreshed.assertions } : { kind: 'error', message: refreshed.assertions[0]?.message ?? 'refresh failed' };
    }
    if (!authorizer) return { kind: 'error', message: 'no authorization endpoint: give authorizationUrl, or an issuer whose metadata names one' };
    const auth = await authorizer.authorize(params.scope);
    if (auth.kind === 'needs-person') {
      return { kind: 'skip', message: `authorization_code needs a person to sign in (${auth.reason}) and no terminal is attached (CI): run it from a terminal, or test refresh with flow: refresh_token and a refreshToken` };
    }
    if (auth.kind === 'failed') return { kind: 'error', message: auth.message };
    if (auth.kind === 'error') return { kind: 'fail', message: `the authorization endpoint refused the request: ${auth.error}${auth.description ? ` (${auth.description})` : ''}` };
    const checks = [assertion('authorization: state', 'eq', true, auth.stateMatches, 'the authorization response did not return the state sent: CSRF protection is broken')];
    if (auth.iss !== undefined && params.issuer) checks.push(assertion('authorization: iss', 'eq', params.issuer, auth.iss, `the authorization response names issuer ${auth.iss}, not ${params.issuer} (RFC 9207)`));
    const response = await ex.post(tokenUrl, { grant_type: 'authorization_code', code: auth.code, redirect_uri: auth.redirectUri, code_verifier: auth.verifier });
    if (flow === 'refresh_token') {
      const refresh = response.json?.refresh_token;
      if (typeof refresh !== 'string') return { kind: 'token', response, assertions: [...checks, assertion('refresh: refresh_token', 'exists', true, undefined, 'the authorization_code grant issued no refresh token to refresh with')] };
      const refreshed = await refreshAssertions(ex, tokenUrl, refresh);
      return refreshed.response ? { kind: 'token', response: refreshed.response, assertions: [...checks, ...refreshed.assertions] } : { kind: 'error', message: refreshed.assertions[0]?.message ?? 'refresh failed' };
    }
    return { kind: 'token', response, assertions: checks };
  } catch (error) {
    return { kind: 'error', message: `could not reach the authorization server: ${netMessage(error)}` };
  }
}

/** RFC 6749 §5.2 for an unknown grant type and a scope the client lacks. */
export async function grantErrorAssertions(ex: OAuthExchange, tokenUrl: string, flow: OAuthParams['flow'], params: OAuthParams, metadata: Record<string, unknown> | undefined, granted: Record<string, unknown>, authorizer: Authorizer | undefined, extra: Record<string, string>): Promise<Assertion[]> {
  const out = await probe('grant-errors', 'an unknown grant type', () => ex.post(tokenUrl, { grant_type: 'urn:payready:unsupported-grant' }, { provokes: [400] }), (r) => oauthErrorAssertions('grant-errors: unknown grant', 'an unknown grant type', r, [400], 'unsupported_grant_type'));
  const grantedScopes = new Set(String(granted.scope ?? params.scope ?? '').split(' '));
  const advertised = Array.isArray(metadata?.scopes_supported) ? (metadata.scopes_supported as unknown[]).map(String) : [];
  const denied = params.deniedScope ?? advertised.find((scope) => !grantedScopes.has(scope)) ?? 'payready:not-granted';
  // RFC 6749 §3.3 lets a server narrow the scope instead of refusing: that is fine if the scope is not granted.
  const judge = (status: number, error: unknown, grantedScope: unknown): Assertion => {
    const refused = status === 400 && error === 'invalid_scope';
    const narrowed = status === 200 && typeof grantedScope === 'string' && !grantedScope.split(' ').includes(denied);
    return assertion('grant-errors: denied scope', 'eq', 'refused', refused || narrowed ? 'refused' : `${status} ${typeof error === 'string' ? error : 'granted'}`, `a scope the client lacks ("${denied}") got ${status}${typeof error === 'string' ? ` ${error}` : ' and a token'}: it must be refused with 400 invalid_scope`);
  };
  if (flow === 'client_credentials') {
    out.push(...(await probe('grant-errors', 'a scope the client lacks', () => ex.post(tokenUrl, { grant_type: 'client_credentials', scope: denied, ...extra }, { provokes: [400] }), (r) => [judge(r.status, r.json?.error, r.json?.scope)])));
  } else if (authorizer) {
    const auth = await authorizer.authorize(denied);
    if (auth.kind === 'error') out.push(judge(400, auth.error, undefined));
    else if (auth.kind === 'code') {
      out.push(...(await probe('grant-errors', 'a scope the client lacks', () => ex.post(tokenUrl, { grant_type: 'authorization_code', code: auth.code, redirect_uri: auth.redirectUri, code_verifier: auth.verifier }, { provokes: [400] }), (r) => [judge(r.status, r.json?.error, r.json?.scope ?? denied)])));
    } else out.push(assertion('grant-errors: denied scope', 'eq', 'refused', auth.kind, auth.kind === 'failed' ? auth.message : 'the scope probe needs a person to sign in'));
  }
  return out;
}

/** RFC 7636: S256 advertised; a wrong verifier and a missing verifier both get invalid_grant. */
export async function pkceAssertions(ex: OAuthExchange, tokenUrl: string, authorizer: Authorizer, scope: string | undefined, metadata: Record<string, unknown> | undefined): Promise<Assertion[]> {
  const out: Assertion[] = [];
  if (metadata) out.push(assertion('pkce: S256 advertised', 'contains', 'S256', metadata.code_challenge_methods_supported, 'the metadata does not list S256 in code_challenge_methods_supported'));
  for (const [label, verifier] of [['wrong verifier', 'payready-wrong-verifier-0123456789-abcdefghijklmnop'], ['no verifier', undefined]] as const) {
    const auth = await authorizer.authorize(scope);
    if (auth.kind !== 'code') {
      out.push(assertion(`pkce: ${label}`, 'eq', 'code', auth.kind, `could not get an authorization code for the PKCE probe: ${auth.kind === 'failed' ? auth.message : auth.kind === 'error' ? auth.error : auth.reason}`));
      continue;
    }
    const form = { grant_type: 'authorization_code', code: auth.code, redirect_uri: auth.redirectUri, ...(verifier ? { code_verifier: verifier } : {}) };
    out.push(...(await probe(`pkce: ${label}`, `a code redeemed with ${label === 'wrong verifier' ? 'a wrong' : 'no'} PKCE verifier`, () => ex.post(tokenUrl, form, { provokes: [400] }), (r) => oauthErrorAssertions(`pkce: ${label}`, `redeeming a code with ${label === 'wrong verifier' ? 'a wrong' : 'no'} code_verifier`, r, [400], 'invalid_grant'))));
  }
  return out;
}

/** Why a token response carries no token, in words: the error the server gave, a redirect, or a body that is not a token response. */
export function grantFailure(response: OAuthResponse): string {
  const { status, json } = response;
  if (typeof json?.error === 'string') return `${status} ${json.error}${typeof json.error_description === 'string' ? ` (${json.error_description})` : ''}`;
  if (status >= 300 && status < 400) return `answered ${status}, a redirect${response.header('location') ? ` to ${response.header('location')}` : ''}: the token endpoint must answer the grant itself`;
  const type = response.header('content-type') ?? 'no Content-Type';
  if (json === undefined) return `answered ${status} with a body that is not a JSON object (${type}): a token response is JSON (RFC 6749 §5.1)`;
  return `answered ${status} without an access_token`;
}
