import { assertion } from './assert.js';
import type { Assertion } from './types.js';
import { netMessage, type OAuthExchange, type OAuthResponse } from './oauth-exchange.js';
import { urlPath } from '../net/transcript.js';

/**
 * The probes of the `oauth` check that must be refused, and the effects that must follow: each
 * returns assertions (never throws for a network problem: it becomes a failed assertion naming it).
 */

/** How a response compares with an RFC 6749 §5.2 error: status in `statuses` and `error` equal to `code`. */
export function oauthErrorAssertions(name: string, what: string, response: OAuthResponse, statuses: number[], code: string): Assertion[] {
  const error = response.json?.error;
  const got = response.status < 300 ? `${response.status}${response.json?.access_token ? ' and a token' : ''}` : `${response.status}${typeof error === 'string' ? ` ${error}` : ' without an RFC 6749 error code'}`;
  return [
    assertion(`${name}: status`, 'in', statuses, response.status, `${what} got ${got}: it must be refused with ${statuses.join(' or ')} ${code}`),
    assertion(`${name}: error`, 'eq', code, error, `${what} got ${got}: the body must carry "error": "${code}" (RFC 6749 §5.2)`),
  ];
}

/** Runs one probe request; a network failure becomes a failed assertion. */
export async function probe(name: string, what: string, send: () => Promise<OAuthResponse>, judge: (response: OAuthResponse) => Assertion[]): Promise<Assertion[]> {
  try {
    return judge(await send());
  } catch (error) {
    const message = netMessage(error);
    return [assertion(`${name}: reachable`, 'eq', 'answered', message, `${what}: ${message}`)];
  }
}

/** A copy of `token` with one character changed in the middle of its last segment (the signature of a JWT). */
export function tampered(token: string): string {
  const start = token.lastIndexOf('.') + 1;
  const at = start + Math.floor((token.length - start) / 2);
  const swap = token[at] === 'A' ? 'B' : 'A';
  return `${token.slice(0, at)}${swap}${token.slice(at + 1)}`;
}

const BEARER = '^Bearer\\b';
const INVALID_TOKEN = 'error="invalid_token"';

/**
 * What the resource probes provoke on purpose: 401 refusals, and 404 when the probed URL names a
 * resource that does not exist (the go-live suite's does), logged as expected so KPIs skip them.
 */
const PROBE_STATUSES: readonly number[] = [401, 404];

/** What the resource API must do with a good token, no token, a tampered one and an expired one (RFC 6750 §3). */
export async function resourceAssertions(ex: OAuthExchange, url: string, token: string, expiredToken: string | undefined): Promise<Assertion[]> {
  const out: Assertion[] = [];
  const at = `GET ${urlPath(url)}`;
  out.push(
    ...(await probe('resource: valid token', `${at} with a valid token`, () => ex.get(url, { authorization: `Bearer ${token}` }, PROBE_STATUSES), (r) => [
      assertion('resource: valid token', 'notIn', [401, 403], r.status, `a valid access token was refused by ${at} (${r.status}): the token must open the API it was issued for`),
    ])),
  );
  out.push(
    ...(await probe('resource: no token', `${at} without a token`, () => ex.get(url, {}, PROBE_STATUSES), (r) => [
      assertion('resource: no token: status', 'eq', 401, r.status, `${at} answered ${r.status} to a request without a token: it must be 401`),
      assertion('resource: no token: www-authenticate', 'matches', BEARER, r.header('www-authenticate'), `${at} refused a request without a token but sent no "WWW-Authenticate: Bearer" challenge (RFC 6750 §3)`),
    ])),
  );
  const bad = tampered(token);
  ex.secret(bad);
  const refused = (label: string) => (r: OAuthResponse): Assertion[] => [
    assertion(`resource: ${label}: status`, 'eq', 401, r.status, `${at} answered ${r.status} to ${label === 'tampered token' ? 'a token with a forged signature' : `an ${label}`}: it must be 401`),
    assertion(`resource: ${label}: www-authenticate`, 'contains', INVALID_TOKEN, r.header('www-authenticate'), `${at} refused the ${label} without "WWW-Authenticate: Bearer error=\\"invalid_token\\"" (RFC 6750 §3.1)`),
  ];
  out.push(...(await probe('resource: tampered token', `${at} with a tampered token`, () => ex.get(url, { authorization: `Bearer ${bad}` }, PROBE_STATUSES), refused('tampered token'))));
  if (expiredToken) {
    out.push(...(await probe('resource: expired token', `${at} with an expired token`, () => ex.get(url, { authorization: `Bearer ${expiredToken}` }, PROBE_STATUSES), refused('expired token'))));
  }
  return out;
}

/** RFC 7662: the fresh token is active; a made-up one is not. */
export async function introspectionAssertions(ex: OAuthExchange, url: string, token: string): Promise<Assertion[]> {
  const active = await probe('introspection', `introspecting a fresh token at ${url}`, () => ex.post(url, { token, token_type_hint: 'access_token' }), (r) => [
    assertion('introspection: status', 'eq', 200, r.status, `introspection of a fresh token answered ${r.status}: it must be 200 (RFC 7662 §2.2)`),
    assertion('introspection: active', 'eq', true, r.json?.active, `introspection says a fresh token is not active (${JSON.stringify(r.json?.active)})`),
  ]);
  const unknown = await probe('introspection', `introspecting a made-up token at ${url}`, () => ex.post(url, { token: 'payready-not-a-token' }), (r) => [
    assertion('introspection: unknown token inactive', 'eq', false, r.json?.active, `introspection of a made-up token answered ${r.status} ${JSON.stringify(r.json ?? {})}: it must be { "active": false }`),
  ]);
  return [...active, ...unknown];
}

/** What can show a revocation took effect. */
export interface RevocationWitnesses {
  /** Introspection endpoint: the token must be inactive afterwards. */
  introspection?: string;
  /** Resource API: the token must be refused afterwards. */
  resourceUrl?: string;
}

/** RFC 7009: revoke a token (not the captured one) and show it stopped working. */
export async function revocationAssertions(ex: OAuthExchange, url: string, token: string, witnesses: RevocationWitnesses): Promise<Assertion[]> {
  const out = await probe('revocation', `revoking a token at ${url}`, () => ex.post(url, { token, token_type_hint: 'access_token' }), (r) => [
    assertion('revocation: status', 'eq', 200, r.status, `the revocation endpoint answered ${r.status}: it must be 200 (RFC 7009 §2.2)`),
  ]);
  if (witnesses.introspection) {
    const at = witnesses.introspection;
    out.push(
      ...(await probe('revocation', `introspecting the revoked token at ${at}`, () => ex.post(at, { token }), (r) => [
        assertion('revocation: introspection inactive', 'eq', false, r.json?.active, `a revoked token is still active according to introspection (${JSON.stringify(r.json?.active)}): revocation must take effect at once (RFC 7009 §2)`),
      ])),
    );
  }
  if (witnesses.resourceUrl) {
    const at = witnesses.resourceUrl;
    out.push(
      ...(await probe('revocation', `the API with the revoked token`, () => ex.get(at, { authorization: `Bearer ${token}` }, PROBE_STATUSES), (r) => [
        assertion('revocation: resource refuses', 'eq', 401, r.status, `GET ${urlPath(at)} still accepts a revoked token (${r.status}): it must answer 401 invalid_token`),
        assertion('revocation: resource www-authenticate', 'contains', INVALID_TOKEN, r.header('www-authenticate'), `GET ${urlPath(at)} refused the revoked token without "WWW-Authenticate: Bearer error=\\"invalid_token\\"" (RFC 6750 §3.1)`),
      ])),
    );
  }
  if (!witnesses.introspection && !witnesses.resourceUrl) {
    out.push(assertion('revocation: effect observable', 'eq', true, false, 'revocation answered, but nothing can show it took effect: give resourceUrl or an introspection endpoint'));
  }
  return out;
}

/** Refresh rotation (OAuth 2.0 Security BCP §4.14): a new refresh token each time, the old one refused. */
export async function refreshAssertions(ex: OAuthExchange, tokenUrl: string, refreshToken: string): Promise<{ assertions: Assertion[]; response?: OAuthResponse }> {
  let response: OAuthResponse;
  try {
    response = await ex.post(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken });
  } catch (error) {
    const message = netMessage(error);
    return { assertions: [assertion('refresh: reachable', 'eq', 'answered', message, `refreshing: ${message}`)] };
  }
  const next = response.json?.refresh_token;
  const assertions = [
    assertion('refresh: status', 'eq', 200, response.status, `refreshing with a fresh refresh token answered ${response.status}${typeof response.json?.error === 'string' ? ` ${response.json.error}` : ''}: it must issue new tokens`),
    assertion('refresh: access_token', 'type', 'string', response.json?.access_token, 'the refresh response has no access_token'),
    assertion('refresh: rotated', 'ne', refreshToken, next ?? refreshToken, typeof next === 'string' ? 'the refresh response returned the same refresh token: rotate it on every use' : 'the refresh response has no new refresh_token: rotate refresh tokens on every use (OAuth 2.0 Security BCP §4.14.2)'),
  ];
  if (response.status === 200) {
    assertions.push(
      ...(await probe('refresh: reuse', 'reusing the rotated-out refresh token', () => ex.post(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken }, { provokes: [400, 401] }), (r) =>
        oauthErrorAssertions('refresh: reuse', 'reusing a rotated-out refresh token', r, [400], 'invalid_grant'),
      )),
    );
  }
  return { assertions, response };
}
