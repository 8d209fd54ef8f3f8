import { assertion } from '../../model/operators.js';
import type { Assertion } from '../../model/outcome.js';
import { urlPath } from '../../net/transcript.js';
import { messenger } from '../shared/messages.js';
import { answered, netMessage, type OAuthExchange } from './exchange.js';
import { messages } from './messages.js';
import type { OAuthResponse, Probed, TokenFacts } from './types.js';

const say = messenger(messages);

/**
 * The probes of the `oauth` check that must be refused, and the effects that must follow: each
 * returns assertions (never throws for a network problem: it becomes a failed assertion naming it).
 */

/** How a response compares with an RFC 6749 §5.2 error: status in `statuses` and `error` equal to `code`. */
export function oauthErrorAssertions(name: string, what: string, response: OAuthResponse, statuses: number[], code: string): Assertion[] {
  const error = response.json?.error;
  const got = response.status < 300 ? `${response.status}${response.json?.access_token ? ' and a token' : ''}` : `${response.status}${typeof error === 'string' ? ` ${error}` : ' without an RFC 6749 error code'}`;
  return [
    assertion(`${name}: status`, 'in', statuses, response.status, say.text('refusalStatus', { what, got, statuses: statuses.join(' or '), code })),
    assertion(`${name}: error`, 'eq', code, error, say.text('refusalCode', { what, got, code })),
  ];
}

/** Runs one probe request; a network failure becomes a failed assertion. */
export async function probe(name: string, what: string, send: () => Promise<OAuthResponse>, judge: (response: OAuthResponse) => Assertion[]): Promise<Assertion[]> {
  try {
    return judge(await send());
  } catch (error) {
    return [unreachable(name, what, netMessage(error))];
  }
}

/** The failed assertion of a probe that got no answer (`cause`: the network error). */
export function unreachable(name: string, what: string, cause: string): Assertion {
  return assertion(`${name}: reachable`, 'eq', 'answered', cause, say.text('probeUnreachable', { what, cause }));
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
      assertion('resource: valid token', 'notIn', [401, 403], r.status, say.text('resourceRefusesValid', { at, status: r.status })),
    ])),
  );
  out.push(
    ...(await probe('resource: no token', `${at} without a token`, () => ex.get(url, {}, PROBE_STATUSES), (r) => [
      assertion('resource: no token: status', 'eq', 401, r.status, say.text('resourceNoTokenStatus', { at, status: r.status })),
      assertion('resource: no token: www-authenticate', 'matches', BEARER, r.header('www-authenticate'), say.text('resourceNoChallenge', { at })),
    ])),
  );
  const bad = tampered(token);
  ex.secret(bad);
  const refused = (label: string) => (r: OAuthResponse): Assertion[] => [
    assertion(`resource: ${label}: status`, 'eq', 401, r.status, say.text('resourceAcceptsBad', { at, status: r.status, which: label === 'tampered token' ? 'a token with a forged signature' : `an ${label}` })),
    assertion(`resource: ${label}: www-authenticate`, 'contains', INVALID_TOKEN, r.header('www-authenticate'), say.text('resourceNoInvalidToken', { at, label })),
  ];
  out.push(...(await probe('resource: tampered token', `${at} with a tampered token`, () => ex.get(url, { authorization: `Bearer ${bad}` }, PROBE_STATUSES), refused('tampered token'))));
  if (expiredToken) {
    out.push(...(await probe('resource: expired token', `${at} with an expired token`, () => ex.get(url, { authorization: `Bearer ${expiredToken}` }, PROBE_STATUSES), refused('expired token'))));
  }
  return out;
}

/** "JWT access tokens" / "these access tokens". */
function tokenKind(facts: TokenFacts): string {
  return facts.jwt ? 'JWT access tokens' : 'these access tokens';
}

/** What a team relies on when a token cannot be introspected or revoked: its lifetime. */
function shortLifetimes(facts: TokenFacts): string {
  return say.text('shortLifetimes', { lifetime: typeof facts.expiresIn === 'number' ? ` (expires_in ${facts.expiresIn} s)` : '' });
}

/**
 * RFC 7009 §2.2.1 defines `unsupported_token_type`: "The authorization server does not support the
 * revocation of the presented token type." oidc-provider (9.x) answers it at both endpoints for
 * structured JWT access tokens, which it does not store. A documented refusal is a limitation of
 * the server for this token type, not a broken endpoint.
 */
function unsupportedTokenType(r: OAuthResponse): boolean {
  return r.status === 400 && r.json?.error === 'unsupported_token_type';
}

/** RFC 7662: the fresh token is active; a made-up one is not. A documented refusal of this token type is a warning. */
export async function introspectionAssertions(ex: OAuthExchange, url: string, token: string, facts: TokenFacts): Promise<Probed> {
  const warnings: string[] = [];
  const kind = tokenKind(facts);
  const active = await probe('introspection', `introspecting a fresh token at ${url}`, () => ex.post(url, { token, token_type_hint: 'access_token' }), (r) => {
    if (unsupportedTokenType(r)) {
      warnings.push(say.text('introspectionUnsupported', { kind, answered: answered(r), instead: shortLifetimes(facts) }));
      return [assertion('introspection: refusal documented', 'eq', 'unsupported_token_type', r.json?.error)];
    }
    if (facts.jwt && r.status === 200 && r.json?.active === false) {
      // A server that keeps no record of self-contained tokens cannot tell whether one is active.
      warnings.push(say.text('introspectionUnknowing', { kind, answered: answered(r), instead: shortLifetimes(facts) }));
      return [assertion('introspection: status', 'eq', 200, r.status)];
    }
    return [
      assertion('introspection: status', 'eq', 200, r.status, say.text('introspectionStatus', { answered: answered(r) })),
      assertion('introspection: active', 'eq', true, r.json?.active, say.text('introspectionInactive', { answered: answered(r) })),
    ];
  });
  const unknown = await probe('introspection', `introspecting a made-up token at ${url}`, () => ex.post(url, { token: 'payready-not-a-token' }), (r) => [
    assertion('introspection: unknown token inactive', 'eq', false, r.json?.active, say.text('introspectionUnknownActive', { answered: answered(r) })),
  ]);
  return { assertions: [...active, ...unknown], warnings };
}

/** What can show a revocation took effect. */
export interface RevocationWitnesses {
  /** Introspection endpoint: the token must be inactive afterwards. */
  introspection?: string;
  /** Resource API: the token must be refused afterwards. */
  resourceUrl?: string;
}

/**
 * RFC 7009: revoke a token (not the captured one) and show it stopped working. Introspection is a
 * witness only if it reported the token active before the revocation: a server that keeps no
 * record of JWT access tokens says `"active": false` to every one of them, revoked or not.
 */
export async function revocationAssertions(ex: OAuthExchange, url: string, token: string, witnesses: RevocationWitnesses, facts: TokenFacts): Promise<Probed> {
  const warnings: string[] = [];
  const kind = tokenKind(facts);
  let introspection = witnesses.introspection;
  let unseen: string | undefined;
  if (introspection) {
    const at = introspection;
    try {
      const before = await ex.post(at, { token, token_type_hint: 'access_token' });
      if (!(before.status === 200 && before.json?.active === true)) {
        unseen = say.text('unseenInactive', { answered: answered(before) });
        introspection = undefined;
      }
    } catch (error) {
      unseen = say.text('unseenUnreachable', { cause: netMessage(error) });
      introspection = undefined;
    }
  }
  let revoked = false;
  const out = await probe('revocation', `revoking a token at ${url}`, () => ex.post(url, { token, token_type_hint: 'access_token' }), (r) => {
    if (unsupportedTokenType(r)) {
      warnings.push(say.text('revocationUnsupported', { kind, answered: answered(r), instead: shortLifetimes(facts) }));
      return [assertion('revocation: refusal documented', 'eq', 'unsupported_token_type', r.json?.error)];
    }
    revoked = r.status === 200;
    return [assertion('revocation: status', 'eq', 200, r.status, say.text('revocationStatus', { answered: answered(r) }))];
  });
  if (!revoked) return { assertions: out, warnings };
  if (introspection) {
    const at = introspection;
    out.push(
      ...(await probe('revocation', `introspecting the revoked token at ${at}`, () => ex.post(at, { token }), (r) => [
        assertion(
          'revocation: introspection inactive',
          'eq',
          false,
          r.status === 200 ? r.json?.active : answered(r),
          r.status === 200 && r.json?.active === true ? say.text('revokedStillActive') : say.text('revokedIntrospection', { answered: answered(r) }),
        ),
      ])),
    );
  }
  if (witnesses.resourceUrl) {
    const at = witnesses.resourceUrl;
    out.push(
      ...(await probe('revocation', `the API with the revoked token`, () => ex.get(at, { authorization: `Bearer ${token}` }, PROBE_STATUSES), (r) => [
        assertion('revocation: resource refuses', 'eq', 401, r.status, say.text('revokedAccepted', { path: urlPath(at), status: r.status })),
        assertion('revocation: resource www-authenticate', 'contains', INVALID_TOKEN, r.header('www-authenticate'), say.text('revokedNoInvalidToken', { path: urlPath(at) })),
      ])),
    );
  } else if (!introspection) {
    if (unseen) warnings.push(say.text('revocationUnseen', { unseen, instead: shortLifetimes(facts) }));
    else out.push(assertion('revocation: effect observable', 'eq', true, false, say.text('revocationUnobservable')));
  }
  return { assertions: out, warnings };
}

/** What a refresh came back with: the response and its assertions, or the network error (`cause`) that kept it from answering. */
export type Refreshed = { assertions: Assertion[]; response: OAuthResponse } | { assertions: Assertion[]; cause: string };

/** Refresh rotation (OAuth 2.0 Security BCP §4.14): a new refresh token each time, the old one refused. */
export async function refreshAssertions(ex: OAuthExchange, tokenUrl: string, refreshToken: string): Promise<Refreshed> {
  let response: OAuthResponse;
  try {
    response = await ex.post(tokenUrl, { grant_type: 'refresh_token', refresh_token: refreshToken });
  } catch (error) {
    const cause = netMessage(error);
    return { assertions: [assertion('refresh: reachable', 'eq', 'answered', cause, say.text('refreshUnreachable', { cause }))], cause };
  }
  const next = response.json?.refresh_token;
  const assertions = [
    assertion('refresh: status', 'eq', 200, response.status, say.text('refreshStatus', { status: response.status, error: typeof response.json?.error === 'string' ? ` ${response.json.error}` : '' })),
    assertion('refresh: access_token', 'type', 'string', response.json?.access_token, say.text('refreshNoAccessToken')),
    assertion('refresh: rotated', 'ne', refreshToken, next ?? refreshToken, typeof next === 'string' ? say.text('refreshSame') : say.text('refreshNotRotated')),
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
