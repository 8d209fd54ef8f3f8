import type { JSONWebKeySet } from 'jose';
import { assertion, describeFailure, show } from '../../model/operators.js';
import type { Assertion, Finding, Outcome } from '../../model/outcome.js';
import { messenger, type OutcomeRest } from '../shared/messages.js';
import type { CheckContext } from '../types.js';
import { Authorizer } from './authorize.js';
import { discover, discoveryAssertions, endpointsFrom, issuerMatch } from './discovery.js';
import { answered, OAuthExchange } from './exchange.js';
import { grantErrorAssertions, grantFailure, obtain, pkceAssertions } from './grants.js';
import { decodeJwtToken, jwtAssertions, jwtExpiryAssertions } from './jwt.js';
import { messages } from './messages.js';
import { PROOFS } from './meta.js';
import { introspectionAssertions, oauthErrorAssertions, probe, refreshAssertions, resourceAssertions, revocationAssertions } from './probes.js';
import type { Endpoints, MessageId, Params, Proof, Said } from './types.js';

const say = messenger(messages);

/** Rule of the note saying the scope probe needs `deniedScope` (the pass summary mentions it). */
const NEEDS_DENIED_SCOPE = 'oauth/grant-errors-needs-denied-scope';

/** Runs the sub-proofs that apply (or the ones `prove` lists) against the authorization server. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const ex = new OAuthExchange(ctx, { id: params.clientId, secret: params.clientSecret, auth: params.clientAuth });
  const flow = params.flow;
  const explicit = new Set<Proof>(params.prove ?? []);
  const wanted = (proof: Proof): boolean => explicit.size === 0 || explicit.has(proof);
  const assertions: Assertion[] = [];
  const findings: Finding[] = [];
  const warnings: string[] = [];
  /** A sub-proof that cannot run (`why`: its reason, in words): a failed assertion when `prove` lists it, else a note. */
  const notApplicable = (proof: Proof, why: string): void => {
    if (explicit.has(proof)) assertions.push(assertion(`${proof}: applicable`, 'eq', true, false, say.text('notApplicable', { proof, why })));
    else if (explicit.size === 0) findings.push({ rule: `oauth/${proof}-not-proven`, level: 'note', message: say.text('notProven', { proof, why }) });
  };
  /** The outcome: summary `id` with `data`, and everything the run gathered (assertions, findings, secrets, transcript). */
  const finish = (status: Outcome['status'], id: MessageId, data: Said['data'] = {}, extra: OutcomeRest = {}): Outcome =>
    say.outcome(status, id, data, {
      assertions,
      findings: [...findings, ...warnings.map((message): Finding => ({ rule: 'oauth/not-supported', level: 'warning', message }))],
      secrets: [...ex.secrets],
      artifacts: [{ name: 'oauth.http', mediaType: 'message/http', description: 'every OAuth exchange of the check', data: ex.transcript() }],
      ...extra,
    });

  // Discovery.
  let endpoints: Endpoints = { ...(params.issuer ? { issuer: params.issuer } : {}), ...(params.tokenUrl ? { token: params.tokenUrl } : {}), ...(params.authorizationUrl ? { authorization: params.authorizationUrl } : {}), ...(params.introspectionUrl ? { introspection: params.introspectionUrl } : {}), ...(params.revocationUrl ? { revocation: params.revocationUrl } : {}), ...(params.jwksUrl ? { jwks: params.jwksUrl } : {}) };
  let metadata: Record<string, unknown> | undefined;
  // Set only when no metadata was found: unreachable metadata returns at once unless tokenUrl is given.
  let metadataMissing: { issuer: string; tried: string } | undefined;
  if (params.issuer) {
    const found = await discover(ex, params.issuer);
    if (!found.ok && !found.unreachable) metadataMissing = { issuer: found.issuer, tried: found.tried };
    if (found.ok) {
      metadata = found.metadata;
      const match = issuerMatch(params.issuer, found);
      if (match === 'slash') {
        return finish('error', 'issuerSlash', { url: found.url, returned: JSON.stringify(found.metadata.issuer), issuer: params.issuer }, { cause: 'setup' });
      }
      // OpenID Connect Discovery §4.3: the identifier is the prefix the metadata URL was built from.
      if (match === 'prefix') endpoints.issuer = String(found.metadata.issuer);
      if (wanted('discovery')) assertions.push(...discoveryAssertions(params.issuer, found));
    } else if (found.unreachable && !params.tokenUrl) return finish('error', 'metadataUnreachable', { url: found.url, cause: found.cause });
    else if (wanted('discovery')) assertions.push(assertion('discovery: metadata', 'exists', true, undefined, found.message));
    endpoints = endpointsFrom(metadata, endpoints);
  } else notApplicable('discovery', say.text('whyNoIssuer'));
  const tokenUrl = endpoints.token;
  if (!tokenUrl) {
    // What the server answered explains the missing endpoint better than its absence does.
    if (metadataMissing) return finish(wanted('discovery') ? 'fail' : 'error', 'metadataMissingNoToken', metadataMissing);
    return finish('error', 'noTokenEndpoint');
  }

  // Credentials go only to endpoints judged first (issue 12): HTTPS, and the issuer's origin
  // unless the suite names the endpoint itself.
  const named = new Set([params.tokenUrl, params.introspectionUrl, params.revocationUrl, params.resourceUrl].filter((url): url is string => url !== undefined));
  ex.trust({ ...(params.issuer ? { issuer: endpoints.issuer ?? params.issuer } : {}), named });
  const source = (url: string): string => (named.has(url) ? 'named by the suite' : 'from the discovery document');
  const tokenRefused = ex.refusal(tokenUrl);
  if (tokenRefused) {
    const data = { url: tokenUrl, source: source(tokenUrl), reason: tokenRefused.reason };
    if (tokenRefused.kind === 'foreign') return finish('error', 'tokenEndpointForeign', data, { cause: 'setup' });
    return finish('fail', 'tokenEndpointRefused', data);
  }
  /** An endpoint that will not get the client's credentials, as a reason; undefined when it may. */
  const untrusted = (url: string, param: string): { fail: boolean; why: string } | undefined => {
    const refused = ex.refusal(url);
    if (!refused) return undefined;
    const data = { url, source: source(url), reason: refused.reason };
    return refused.kind === 'plain' ? { fail: true, why: say.text('credentialsRefused', data) } : { fail: false, why: say.text('credentialsRefusedForeign', { ...data, param }) };
  };
  const introspectionUrl = endpoints.introspection && !untrusted(endpoints.introspection, 'introspectionUrl') ? endpoints.introspection : undefined;
  const resourceUrl = params.resourceUrl && !untrusted(params.resourceUrl, 'resourceUrl') ? params.resourceUrl : undefined;
  /** Records why a sub-proof did not talk to an endpoint it was refused: a fail for clear text, otherwise not proven. */
  const refusedEndpoint = (proof: Proof, url: string, param: string): void => {
    const refused = untrusted(url, param);
    if (!refused) return;
    if (refused.fail) assertions.push(assertion(`${proof}: endpoint is https`, 'matches', '^https://', url, refused.why));
    else notApplicable(proof, refused.why);
  };

  // The flow.
  const extra = { ...(params.audience ? { audience: params.audience } : {}), ...(params.resource ? { resource: params.resource } : {}) };
  const authorizer = endpoints.authorization ? new Authorizer(ctx, ex, endpoints.authorization, params.redirectUri, extra) : undefined;
  try {
    const obtained = await obtain(flow, params, ex, tokenUrl, authorizer, extra);
    if (obtained.kind !== 'token') return finish(obtained.kind, obtained.said.id, obtained.said.data);
    assertions.push(...obtained.assertions);
    const response = obtained.response;
    if (response.status !== 200 || typeof response.json?.access_token !== 'string') {
      // RFC 6749 §5.2: invalid_client is "Client authentication failed" (401 with HTTP Basic):
      // the suite's own clientId/clientSecret, not the server's readiness.
      if (response.json?.error === 'invalid_client' || response.status === 401) {
        return finish('error', 'clientRefused', { url: tokenUrl, answered: answered(response) }, { cause: 'setup' });
      }
      return finish('fail', 'grantFailed', { flow, url: tokenUrl, why: grantFailure(response) });
    }
    const body = response.json;
    const token = String(body.access_token);
    const decoded = decodeJwtToken(token);
    const now = Math.floor(ctx.clock.now().getTime() / 1000);
    const facts = { jwt: decoded !== undefined, expiresIn: body.expires_in };

    if (wanted('token')) {
      assertions.push(
        assertion('token: endpoint is https', 'matches', '^https://', tokenUrl, say.text('tokenPlain', { url: tokenUrl })),
        assertion('token: token_type', 'matches', '^[Bb][Ee][Aa][Rr][Ee][Rr]$', body.token_type, body.token_type === undefined ? say.text('tokenTypeMissing') : say.text('tokenTypeWrong', { value: show(body.token_type) })),
        assertion('token: cache-control', 'contains', 'no-store', response.header('cache-control'), say.text('tokenCacheable')),
      );
    }
    if (wanted('expiry')) {
      const max = params.maxLifetimeSeconds;
      const expiresIn = body.expires_in;
      assertions.push(assertion('expiry: expires_in', 'type', 'integer', expiresIn, expiresIn === undefined ? say.text('expiresInMissing') : say.text('expiresInNotInteger', { value: show(expiresIn) })));
      if (typeof expiresIn === 'number') {
        assertions.push(
          assertion('expiry: expires_in', 'le', max, expiresIn, say.text('expiresInTooLong', { expiresIn, max })),
          assertion('expiry: expires_in', 'gt', 0, expiresIn, say.text('expiresInDead', { expiresIn })),
        );
      }
      if (decoded) assertions.push(...jwtExpiryAssertions(decoded, expiresIn, now));
    }
    if (wanted('jwt')) {
      if (!decoded) notApplicable('jwt', say.text('whyOpaque'));
      else if (!endpoints.jwks) assertions.push(assertion('jwt: jwks', 'exists', true, undefined, say.text('jwksMissing')));
      else {
        const jwksUrl = endpoints.jwks;
        const jwks = await probe('jwt: jwks', `fetching the JWKS at ${jwksUrl}`, () => ex.get(jwksUrl), (r) => [assertion('jwt: jwks', 'type', 'array', Array.isArray(r.json?.keys) ? r.json.keys : undefined, say.text('jwksNotASet', { url: jwksUrl, answered: answered(r) }))]);
        assertions.push(...jwks);
        const keys = jwks.every((a) => a.passed) ? (jwks[0]?.actual as unknown[]) : undefined;
        const expectedAudience = params.audience ?? params.resource;
        if (keys) assertions.push(...(await jwtAssertions(token, decoded, { keys } as JSONWebKeySet, { ...(endpoints.issuer ? { issuer: endpoints.issuer } : {}), ...(expectedAudience ? { audience: expectedAudience } : {}) })));
      }
    }
    if (wanted('client-auth')) {
      const form = flow === 'client_credentials' ? { grant_type: 'client_credentials', ...(params.scope ? { scope: params.scope } : {}), ...extra } : { grant_type: 'client_credentials' };
      assertions.push(...(await probe('client-auth', 'a wrong client secret', () => ex.post(tokenUrl, form, { secret: `${params.clientSecret}-wrong`, provokes: [400, 401] }), (r) => oauthErrorAssertions('client-auth', 'a wrong client secret', r, ex.client.auth === 'client_secret_basic' ? [401] : [400, 401], 'invalid_client'))));
    }
    if (wanted('grant-errors')) {
      const found = await grantErrorAssertions(ex, tokenUrl, flow, params, metadata, introspectionUrl, authorizer, extra);
      assertions.push(...found.assertions);
      warnings.push(...found.warnings);
      // Not a fail: without a safe probe the scope half of the sub-proof is simply not proven.
      if (found.needs) findings.push({ rule: NEEDS_DENIED_SCOPE, level: 'note', message: found.needs });
    }
    if (flow !== 'client_credentials' && !(flow === 'refresh_token' && params.refreshToken)) {
      if (wanted('pkce') && authorizer) assertions.push(...(await pkceAssertions(ex, tokenUrl, authorizer, params.scope, metadata)));
    } else if (explicit.has('pkce')) notApplicable('pkce', say.text('whyNoAuthorizationRequest', { flow }));
    if (wanted('refresh') && flow === 'authorization_code') {
      const refresh = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
      if (refresh) assertions.push(...(await refreshAssertions(ex, tokenUrl, refresh)).assertions);
      else notApplicable('refresh', say.text('whyNoRefreshIssued'));
    } else if (explicit.has('refresh') && flow === 'client_credentials') notApplicable('refresh', say.text('whyClientCredentialsNoRefresh'));
    if (wanted('resource')) {
      if (resourceUrl) assertions.push(...(await resourceAssertions(ex, resourceUrl, token, params.expiredToken)));
      else if (params.resourceUrl) refusedEndpoint('resource', params.resourceUrl, 'resourceUrl');
      else notApplicable('resource', say.text('whyNoResourceUrl'));
    }
    if (wanted('introspection')) {
      if (introspectionUrl) {
        const found = await introspectionAssertions(ex, introspectionUrl, token, facts);
        assertions.push(...found.assertions);
        warnings.push(...found.warnings);
      } else if (endpoints.introspection) refusedEndpoint('introspection', endpoints.introspection, 'introspectionUrl');
      else notApplicable('introspection', say.text('whyNoIntrospection'));
    }
    if (wanted('revocation')) {
      const revocationUrl = endpoints.revocation;
      if (!revocationUrl) notApplicable('revocation', say.text('whyNoRevocation'));
      else if (untrusted(revocationUrl, 'revocationUrl')) refusedEndpoint('revocation', revocationUrl, 'revocationUrl');
      else {
        // Revoke a second token: the first one is captured for later checks.
        const second = await obtain(flow === 'refresh_token' ? 'authorization_code' : flow, { ...params, refreshToken: undefined }, ex, tokenUrl, authorizer, extra);
        const victim = second.kind === 'token' ? second.response.json?.access_token : undefined;
        if (typeof victim === 'string') {
          const found = await revocationAssertions(ex, revocationUrl, victim, { ...(introspectionUrl ? { introspection: introspectionUrl } : {}), ...(resourceUrl ? { resourceUrl } : {}) }, facts);
          assertions.push(...found.assertions);
          warnings.push(...found.warnings);
        } else {
          const why = second.kind === 'token' ? say.text('secondTokenRefused', { answered: answered(second.response) }) : say.text('secondTokenFailed', { why: second.message });
          assertions.push(assertion('revocation: second token', 'exists', true, undefined, why));
        }
      }
    }

    const failed = assertions.filter((a) => !a.passed);
    const values = { accessToken: token, tokenType: body.token_type, expiresIn: body.expires_in, scope: body.scope, issuer: endpoints.issuer, tokenEndpoint: tokenUrl };
    const measurements = [{ name: 'token response time', value: response.raw.durationMs, unit: 'ms' }];
    if (failed.length > 0) return finish('fail', 'weak', { first: describeFailure(failed[0]!), more: failed.length > 1 ? ` (and ${failed.length - 1} more)` : '' }, { values, measurements });
    const host = new URL(tokenUrl).host;
    if (warnings.length > 0) return finish('warn', 'limited', { host, warnings: warnings.join('; ') }, { values, measurements });
    const { proven, proofs } = passSummary(assertions, findings, { flow, kind: decoded ? `${typeof decoded.header.alg === 'string' ? decoded.header.alg : 'unsigned'} JWT` : 'opaque token', expiresIn: String(body.expires_in), expiredToken: Boolean(params.expiredToken) });
    return finish('pass', 'proven', { host, proven, proofs }, { values, measurements });
  } finally {
    await authorizer?.close();
  }
}

/**
 * What a passing check proved, in the order the proofs run: in words (`proven`: "metadata matches
 * the issuer, ...; expires in 3600 s") and as the sub-proofs' names (`proofs`: "discovery token
 * expiry", for tools and tests).
 */
function passSummary(assertions: readonly Assertion[], findings: readonly Finding[], facts: { flow: string; kind: string; expiresIn: string; expiredToken: boolean }): { proven: string; proofs: string } {
  const { flow, kind } = facts;
  const names = new Set(assertions.map((a) => a.name));
  const seen = new Set(assertions.map((a) => a.name.split(':')[0] ?? ''));
  const scopeProof = names.has('grant-errors: denied scope')
    ? say.text('provenScopeDenied')
    : names.has('grant-errors: unadvertised scope')
      ? say.text('provenScopeUnadvertised')
      : say.text('provenUnknownGrant', { needs: findings.some((f) => f.rule === NEEDS_DENIED_SCOPE) ? ' (the scope probe needs deniedScope)' : '' });
  const phrases: Record<Proof, string> = {
    discovery: say.text('provenDiscovery'),
    token: say.text('provenToken', { flow, kind }),
    expiry: say.text('provenExpiry', { expiresIn: facts.expiresIn }),
    jwt: say.text('provenJwt', { kind }),
    'client-auth': say.text('provenClientAuth'),
    'grant-errors': scopeProof,
    pkce: say.text('provenPkce'),
    refresh: say.text('provenRefresh'),
    resource: say.text('provenResource', { expired: facts.expiredToken ? ' and an expired' : '' }),
    introspection: say.text('provenIntrospection'),
    revocation: say.text('provenRevocation'),
  };
  const proofs = PROOFS.filter((proof) => seen.has(proof));
  return { proven: proofs.map((proof) => phrases[proof]).join('; ') || say.text('provenNothing', { flow }), proofs: proofs.join(' ') };
}
