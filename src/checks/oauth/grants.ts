import type { MessageData } from '../../model/messages.js';
import { assertion, show } from '../../model/operators.js';
import type { Assertion } from '../../model/outcome.js';
import { messenger } from '../shared/messages.js';
import type { Authorizer } from './authorize.js';
import { answered, netMessage, type OAuthExchange } from './exchange.js';
import { decodeJwtToken } from './jwt.js';
import { messages } from './messages.js';
import { oauthErrorAssertions, probe, refreshAssertions, unreachable, type Refreshed } from './probes.js';
import type { Flow, MessageId, OAuthResponse, Params, Said } from './types.js';

const say = messenger(messages);

/**
 * The grants of the `oauth` check: obtaining the token its flow issues, and the probes that must
 * be refused at the token endpoint (an unknown grant, a scope the client lacks, a wrong or missing
 * PKCE verifier).
 */

/** Why a flow gave no token: a summary of the check (`said`) with the status it causes (skip: a person must sign in). */
export type NoToken = { kind: 'skip' | 'error' | 'fail'; said: Said; message: string };

/** The token response of a flow, or why there is none. */
export type Obtained = { kind: 'token'; response: OAuthResponse; assertions: Assertion[] } | NoToken;

/** No token, in the words of message `id`. */
function noToken(kind: NoToken['kind'], id: MessageId, data: MessageData = {}): NoToken {
  return { kind, said: { id, data }, message: say.text(id, data) };
}

/** What a refresh gave: its token response, or the error that kept the refresh from being answered. */
function refreshed(result: Refreshed, before: Assertion[] = []): Obtained {
  if ('cause' in result) return noToken('error', 'refreshUnreachable', { cause: result.cause });
  return { kind: 'token', response: result.response, assertions: [...before, ...result.assertions] };
}

/** The parameters a grant reads. */
type GrantParams = Pick<Params, 'scope' | 'issuer' | 'refreshToken'>;

/** Runs the flow's grant and returns the token response (or why there is none). */
export async function obtain(flow: Flow, params: GrantParams, ex: OAuthExchange, tokenUrl: string, authorizer: Authorizer | undefined, extra: Record<string, string>): Promise<Obtained> {
  try {
    if (flow === 'client_credentials') {
      return { kind: 'token', response: await ex.post(tokenUrl, { grant_type: 'client_credentials', ...(params.scope ? { scope: params.scope } : {}), ...extra }), assertions: [] };
    }
    if (flow === 'refresh_token' && params.refreshToken) return refreshed(await refreshAssertions(ex, tokenUrl, params.refreshToken));
    if (!authorizer) return noToken('error', 'noAuthorizationEndpoint');
    const auth = await authorizer.authorize(params.scope);
    if (auth.kind === 'needs-person') return noToken('skip', 'needsPerson', { reason: auth.reason });
    if (auth.kind === 'failed') return { kind: 'error', said: auth.said, message: auth.message };
    if (auth.kind === 'error') return noToken('fail', 'authorizationRefused', { error: auth.error, description: auth.description ? ` (${auth.description})` : '' });
    const checks = [assertion('authorization: state', 'eq', true, auth.stateMatches, say.text('stateMismatch'))];
    if (auth.iss !== undefined && params.issuer) checks.push(assertion('authorization: iss', 'eq', params.issuer, auth.iss, say.text('authorizationIssuer', { iss: auth.iss, issuer: params.issuer })));
    const response = await ex.post(tokenUrl, { grant_type: 'authorization_code', code: auth.code, redirect_uri: auth.redirectUri, code_verifier: auth.verifier });
    if (flow === 'refresh_token') {
      const refresh = response.json?.refresh_token;
      if (typeof refresh !== 'string') return { kind: 'token', response, assertions: [...checks, assertion('refresh: refresh_token', 'exists', true, undefined, say.text('noRefreshToRefresh'))] };
      return refreshed(await refreshAssertions(ex, tokenUrl, refresh), checks);
    }
    return { kind: 'token', response, assertions: checks };
  } catch (error) {
    return noToken('error', 'authorizationServerUnreachable', { cause: netMessage(error) });
  }
}

/** Scope name the default probe asks for: made up, so the client cannot own it (suffixed if a server happens to advertise it). */
export const PROBE_SCOPE = 'payready:unadvertised-scope-probe';

/** Scopes a space-separated scope string names. */
function scopesOf(value: unknown): string[] | undefined {
  return typeof value === 'string' ? value.split(' ').filter((scope) => scope !== '') : undefined;
}

/**
 * Which scope the grant-errors probe asks for, or why there is none. Never one the client was
 * merely not granted in this request: a client may own scopes it did not ask for. `deniedScope`
 * names a scope the team knows the client lacks; without it, a name the server does not advertise
 * (scopes_supported) — which needs the metadata to list its scopes.
 */
export function scopeProbe(deniedScope: string | undefined, metadata: Record<string, unknown> | undefined): { scope: string; what: string; name: string } | { needs: string } {
  if (deniedScope) return { scope: deniedScope, what: say.text('scopeDenied', { scope: deniedScope }), name: 'grant-errors: denied scope' };
  const advertised = Array.isArray(metadata?.scopes_supported) ? (metadata.scopes_supported as unknown[]).map(String) : undefined;
  if (!advertised) {
    return { needs: say.text('scopeNeedsDeniedScope', { why: metadata ? 'the metadata lists no scopes_supported' : 'there is no discovery metadata' }) };
  }
  let scope = PROBE_SCOPE;
  for (let n = 2; advertised.includes(scope); n++) scope = `${PROBE_SCOPE}-${n}`;
  return { scope, what: say.text('scopeUnadvertised', { scope }), name: 'grant-errors: unadvertised scope' };
}

/** What the grant-errors sub-proof found. */
export interface GrantErrors {
  /** Comparisons made. */
  assertions: Assertion[];
  /** What could not be decided, quoting the server (a `warn`). */
  warnings: string[];
  /** Why the scope probe did not run (a note: the sub-proof needs `deniedScope`). */
  needs?: string;
}

/**
 * Whether the probe's scope ended up in a token the server issued anyway. RFC 6749 §3.3: "The
 * authorization server MAY fully or partially ignore the scope requested by the client" — and
 * oidc-provider does ignore scopes it does not know. The granted scope is read from the response's
 * `scope` (§5.1), else from the token: a JWT's `scope` claim (RFC 9068 §2.2.3) or introspection.
 */
async function grantedScopes(ex: OAuthExchange, response: OAuthResponse, introspection: string | undefined): Promise<{ scopes: string[]; from: string } | undefined> {
  const fromResponse = scopesOf(response.json?.scope);
  if (fromResponse) return { scopes: fromResponse, from: 'the token response' };
  const token = response.json?.access_token;
  if (typeof token !== 'string') return undefined;
  const decoded = decodeJwtToken(token);
  if (decoded) return { scopes: scopesOf(decoded.claims.scope) ?? [], from: 'the JWT access token' };
  if (!introspection || ex.refusal(introspection)) return undefined;
  try {
    const r = await ex.post(introspection, { token, token_type_hint: 'access_token' });
    if (r.status === 200 && r.json?.active === true) return { scopes: scopesOf(r.json.scope) ?? [], from: 'introspection' };
  } catch (error) {
    netMessage(error); // a network failure leaves the scope unknown (a warning); anything else is a bug
  }
  return undefined;
}

/** RFC 6749 §5.2 for an unknown grant type and a scope the client cannot have. */
export async function grantErrorAssertions(ex: OAuthExchange, tokenUrl: string, flow: Flow, params: Pick<Params, 'deniedScope'>, metadata: Record<string, unknown> | undefined, introspection: string | undefined, authorizer: Authorizer | undefined, extra: Record<string, string>): Promise<GrantErrors> {
  const assertions = await probe('grant-errors', 'an unknown grant type', () => ex.post(tokenUrl, { grant_type: 'urn:payready:unsupported-grant' }, { provokes: [400] }), (r) => oauthErrorAssertions('grant-errors: unknown grant', 'an unknown grant type', r, [400], 'unsupported_grant_type'));
  const warnings: string[] = [];
  const chosen = scopeProbe(params.deniedScope, metadata);
  if ('needs' in chosen) return { assertions, warnings, needs: chosen.needs };
  const { scope, what, name } = chosen;
  const judge = async (r: OAuthResponse): Promise<Assertion[]> => {
    if (r.status === 400 && r.json?.error === 'invalid_scope') return [assertion(name, 'eq', 'refused', 'refused')];
    if (r.status !== 200 || typeof r.json?.access_token !== 'string') return [assertion(name, 'eq', 'refused', answered(r), say.text('scopeNotRefused', { what, answered: answered(r) }))];
    const granted = await grantedScopes(ex, r, introspection);
    if (!granted) {
      // §5.1: "scope: OPTIONAL, if identical to the scope requested by the client; otherwise, REQUIRED."
      warnings.push(say.text('scopeUnknown', { what }));
      return [];
    }
    const carries = granted.scopes.includes(scope);
    return [assertion(name, 'eq', 'refused', carries ? 'granted' : 'refused', say.text('scopeGranted', { what, from: granted.from }))];
  };
  if (flow === 'client_credentials') {
    assertions.push(...(await probeAsync('grant-errors', what, () => ex.post(tokenUrl, { grant_type: 'client_credentials', scope, ...extra }, { provokes: [400] }), judge)));
  } else if (authorizer) {
    const auth = await authorizer.authorize(scope);
    if (auth.kind === 'error') assertions.push(assertion(name, 'eq', 'refused', auth.error === 'invalid_scope' ? 'refused' : auth.error, say.text('scopeAuthorizationError', { what, error: auth.error, description: auth.description ? ` (${show(auth.description)})` : '' })));
    else if (auth.kind === 'code') {
      assertions.push(...(await probeAsync('grant-errors', what, () => ex.post(tokenUrl, { grant_type: 'authorization_code', code: auth.code, redirect_uri: auth.redirectUri, code_verifier: auth.verifier }, { provokes: [400] }), judge)));
    } else assertions.push(assertion(name, 'eq', 'refused', auth.kind, auth.kind === 'failed' ? auth.message : say.text('scopeNeedsPerson')));
  }
  return { assertions, warnings };
}

/** `probe` with a judge that may ask the server more (the granted scope of a probe token). */
async function probeAsync(name: string, what: string, send: () => Promise<OAuthResponse>, judge: (response: OAuthResponse) => Promise<Assertion[]>): Promise<Assertion[]> {
  let response: OAuthResponse;
  try {
    response = await send();
  } catch (error) {
    return [unreachable(name, what, netMessage(error))];
  }
  return judge(response);
}

/** RFC 7636: S256 advertised; a wrong verifier and a missing verifier both get invalid_grant. */
export async function pkceAssertions(ex: OAuthExchange, tokenUrl: string, authorizer: Authorizer, scope: string | undefined, metadata: Record<string, unknown> | undefined): Promise<Assertion[]> {
  const out: Assertion[] = [];
  if (metadata) out.push(assertion('pkce: S256 advertised', 'contains', 'S256', metadata.code_challenge_methods_supported, say.text('pkceNotAdvertised')));
  for (const [label, verifier] of [['wrong verifier', 'payready-wrong-verifier-0123456789-abcdefghijklmnop'], ['no verifier', undefined]] as const) {
    const auth = await authorizer.authorize(scope);
    if (auth.kind !== 'code') {
      out.push(assertion(`pkce: ${label}`, 'eq', 'code', auth.kind, say.text('pkceNoCode', { why: auth.kind === 'failed' ? auth.message : auth.kind === 'error' ? auth.error : auth.reason })));
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
  if (typeof json?.error === 'string') return say.text('grantError', { status, error: json.error, description: typeof json.error_description === 'string' ? ` (${json.error_description})` : '' });
  const location = response.header('location');
  if (status >= 300 && status < 400) return say.text('grantRedirect', { status, to: location ? ` to ${location}` : '' });
  if (json === undefined) return say.text('grantNotJson', { status, type: response.header('content-type') ?? 'no Content-Type' });
  return say.text('grantNoToken', { status });
}
