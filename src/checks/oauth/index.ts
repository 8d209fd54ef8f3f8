import type { JSONWebKeySet } from 'jose';
import { assertion, describeFailure, show } from '../../model/operators.js';
import { Authorizer } from './authorize.js';
import { discover, discoveryAssertions, endpointsFrom, issuerMatch } from './discovery.js';
import { answered, OAuthExchange, type ClientAuth, type Endpoints } from './exchange.js';
import { grantErrorAssertions, grantFailure, obtain, pkceAssertions } from './grants.js';
import { decodeJwtToken, jwtAssertions, jwtExpiryAssertions } from './jwt.js';
import { introspectionAssertions, oauthErrorAssertions, probe, refreshAssertions, resourceAssertions, revocationAssertions } from './probes.js';
import { legacyCheck } from '../types.js';
import type { Assertion, Finding, Outcome } from '../../model/outcome.js';

/** The sub-proofs of the `oauth` check, in the order they run. */
export const PROOFS = ['discovery', 'token', 'expiry', 'jwt', 'client-auth', 'grant-errors', 'pkce', 'refresh', 'resource', 'introspection', 'revocation'] as const;

/** One sub-proof. */
export type Proof = (typeof PROOFS)[number];

/** Parameters of the `oauth` check type (mirrors `schema` below). */
export interface OAuthParams {
  /** Issuer identifier (discovery). */
  issuer?: string;
  /** Token endpoint. */
  tokenUrl?: string;
  /** Authorization endpoint. */
  authorizationUrl?: string;
  /** Introspection endpoint. */
  introspectionUrl?: string;
  /** Revocation endpoint. */
  revocationUrl?: string;
  /** JWK Set URL. */
  jwksUrl?: string;
  /** The grant that obtains the token. */
  flow: 'client_credentials' | 'authorization_code' | 'refresh_token';
  /** client_id. */
  clientId: string;
  /** client_secret (a secret). */
  clientSecret: string;
  /** Client authentication method. */
  clientAuth: ClientAuth;
  /** Scopes to request. */
  scope?: string;
  /** `audience` to send and expect in aud. */
  audience?: string;
  /** RFC 8707 `resource` to send and expect in aud. */
  resource?: string;
  /** An API URL the token must open. */
  resourceUrl?: string;
  /** A scope the client does not own (never inferred from what it requested). */
  deniedScope?: string;
  /** An expired access token (a secret). */
  expiredToken?: string;
  /** A refresh token to start the refresh flow from (a secret). */
  refreshToken?: string;
  /** Loopback redirect URI. */
  redirectUri: string;
  /** Longest acceptable expires_in. */
  maxLifetimeSeconds: number;
  /** Sub-proofs to run. */
  prove?: Proof[];
}

const url = { type: 'string', pattern: '^https?://' } as const;

export default legacyCheck<OAuthParams>({
  name: 'oauth',
  description:
    'OAuth 2.0: discovery (RFC 8414), client_credentials, authorization_code with PKCE, refresh rotation, RFC 6749 errors for wrong secrets, grants and scopes, JWT access tokens verified against the JWKS, the API refusing missing/forged/expired/revoked tokens, introspection and revocation.',
  // Access to the API with a token (1.1.a), HTTPS endpoints in the metadata (1.1.b), OAuth 2.0
  // itself (1.1.c).
  items: ['1.1.a', '1.1.b', '1.1.c'],
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['clientId', 'clientSecret'],
    properties: {
      issuer: { ...url, description: 'Issuer identifier: its RFC 8414 or OpenID metadata supplies the endpoints.' },
      tokenUrl: { ...url, description: 'Token endpoint (default: from discovery).' },
      authorizationUrl: { ...url, description: 'Authorization endpoint (default: from discovery).' },
      introspectionUrl: { ...url, description: 'Introspection endpoint, RFC 7662 (default: from discovery).' },
      revocationUrl: { ...url, description: 'Revocation endpoint, RFC 7009 (default: from discovery).' },
      jwksUrl: { ...url, description: 'JWK Set of the access tokens (default: jwks_uri from discovery).' },
      flow: { enum: ['client_credentials', 'authorization_code', 'refresh_token'], default: 'client_credentials', description: 'Grant that obtains the token; refresh_token starts from `refreshToken` or an authorization_code grant.' },
      clientId: { type: 'string', minLength: 1, description: 'OAuth client_id.' },
      clientSecret: { type: 'string', minLength: 1, 'x-secret': true, description: 'OAuth client_secret: ${secrets.x} or ${env.X} only.' },
      clientAuth: { enum: ['client_secret_basic', 'client_secret_post'], default: 'client_secret_basic', description: 'How the client authenticates (RFC 6749 §2.3.1).' },
      scope: { type: 'string', description: 'Scopes to request, space-separated.' },
      audience: { type: 'string', description: 'Sent as `audience`; the JWT aud must name it.' },
      resource: { type: 'string', description: 'Sent as `resource` (RFC 8707); the JWT aud must name it when no audience is given.' },
      resourceUrl: { ...url, description: 'An API URL the token must open (GET); probed with no, forged, expired and revoked tokens.' },
      deniedScope: { type: 'string', description: 'A scope this client does not own, which must be refused (default: a scope name the server does not advertise; without scopes_supported in the metadata the scope probe needs it).' },
      expiredToken: { type: 'string', 'x-secret': true, description: 'An access token that has expired; the API must refuse it with invalid_token.' },
      refreshToken: { type: 'string', 'x-secret': true, description: 'Start the refresh_token flow from this token (it is rotated and used up).' },
      redirectUri: { type: 'string', pattern: '^http://(127\\.0\\.0\\.1|\\[::1\\]|localhost)(:\\d+)?/', default: 'http://127.0.0.1:0/callback', description: 'Loopback redirect URI for authorization_code (port 0: any free port).' },
      maxLifetimeSeconds: { type: 'integer', minimum: 1, default: 86400, description: 'Longest acceptable access token lifetime (expires_in).' },
      prove: { type: 'array', uniqueItems: true, minItems: 1, items: { enum: [...PROOFS] }, description: `Sub-proofs to run (default: every one that applies): ${PROOFS.join(', ')}. Listed ones that cannot apply fail.` },
    },
  },
  values: {
    accessToken: 'the access token obtained (redacted everywhere)',
    tokenType: 'token_type of the token response',
    expiresIn: 'expires_in of the token response (seconds)',
    scope: 'granted scopes',
    issuer: 'issuer identifier',
    tokenEndpoint: 'token endpoint used',
  },
  example: {
    issuer: '${target.issuer}',
    flow: 'client_credentials',
    clientId: '${secrets.clientId}',
    clientSecret: '${secrets.clientSecret}',
    resourceUrl: '${target.baseUrl}/v1/payments/pay_000000000000000000000000',
  },

  async run(params, ctx): Promise<Outcome> {
    const ex = new OAuthExchange(ctx, { id: params.clientId, secret: params.clientSecret, auth: params.clientAuth ?? 'client_secret_basic' });
    const flow = params.flow ?? 'client_credentials';
    const explicit = new Set<Proof>(params.prove ?? []);
    const wanted = (proof: Proof): boolean => explicit.size === 0 || explicit.has(proof);
    const assertions: Assertion[] = [];
    const findings: Finding[] = [];
    const warnings: string[] = [];
    const notApplicable = (proof: Proof, why: string): void => {
      if (explicit.has(proof)) assertions.push(assertion(`${proof}: applicable`, 'eq', true, false, `${proof} cannot be proven: ${why}`));
      else if (explicit.size === 0) findings.push({ rule: `oauth/${proof}-not-proven`, level: 'note', message: `${proof} not proven: ${why}` });
    };
    const finish = (status: Outcome['status'], summary: string, extra: Partial<Outcome> = {}): Outcome => ({
      status,
      summary,
      assertions,
      findings: [...findings, ...warnings.map((message): Finding => ({ rule: 'oauth/not-supported', level: 'warning', message }))],
      secrets: [...ex.secrets],
      artifacts: [{ name: 'oauth.http', mediaType: 'message/http', description: 'every OAuth exchange of the check', data: ex.transcript() }],
      ...extra,
    });

    // Discovery.
    let endpoints: Endpoints = { ...(params.issuer ? { issuer: params.issuer } : {}), ...(params.tokenUrl ? { token: params.tokenUrl } : {}), ...(params.authorizationUrl ? { authorization: params.authorizationUrl } : {}), ...(params.introspectionUrl ? { introspection: params.introspectionUrl } : {}), ...(params.revocationUrl ? { revocation: params.revocationUrl } : {}), ...(params.jwksUrl ? { jwks: params.jwksUrl } : {}) };
    let metadata: Record<string, unknown> | undefined;
    let discoveryFailed: string | undefined;
    if (params.issuer) {
      const found = await discover(ex, params.issuer);
      if (!found.ok) discoveryFailed = found.message;
      if (found.ok) {
        metadata = found.metadata;
        const match = issuerMatch(params.issuer, found);
        if (match === 'slash') {
          return finish('error', `the metadata at ${found.url} names issuer ${JSON.stringify(found.metadata.issuer)}, the suite gives ${params.issuer}: write the issuer exactly as the server names it (RFC 8414 §3.3 compares identifiers character for character)`, { cause: 'setup' });
        }
        // OpenID Connect Discovery §4.3: the identifier is the prefix the metadata URL was built from.
        if (match === 'prefix') endpoints.issuer = String(found.metadata.issuer);
        if (wanted('discovery')) assertions.push(...discoveryAssertions(params.issuer, found));
      } else if (found.unreachable && !params.tokenUrl) return finish('error', found.message);
      else if (wanted('discovery')) assertions.push(assertion('discovery: metadata', 'exists', true, undefined, found.message));
      endpoints = endpointsFrom(metadata, endpoints);
    } else notApplicable('discovery', 'no issuer given');
    const tokenUrl = endpoints.token;
    if (!tokenUrl) {
      // What the server answered explains the missing endpoint better than its absence does.
      if (discoveryFailed) return finish(wanted('discovery') ? 'fail' : 'error', `${discoveryFailed}: no token endpoint to go on (give tokenUrl, or fix the issuer's metadata)`);
      return finish('error', 'no token endpoint: give tokenUrl, or an issuer whose metadata names one');
    }

    // Credentials go only to endpoints judged first (issue 12): HTTPS, and the issuer's origin
    // unless the suite names the endpoint itself.
    const named = new Set([params.tokenUrl, params.introspectionUrl, params.revocationUrl, params.resourceUrl].filter((url): url is string => url !== undefined));
    ex.trust({ ...(params.issuer ? { issuer: endpoints.issuer ?? params.issuer } : {}), named });
    const source = (url: string): string => (named.has(url) ? 'named by the suite' : 'from the discovery document');
    const tokenRefused = ex.refusal(tokenUrl);
    if (tokenRefused) {
      const refused = `refused to send the client secret to the token endpoint ${tokenUrl} (${source(tokenUrl)}): ${tokenRefused.reason}; nothing was sent`;
      if (tokenRefused.kind === 'foreign') return finish('error', `${refused}. If the provider really issues tokens there, name it as tokenUrl in the suite`, { cause: 'setup' });
      return finish('fail', refused);
    }
    /** An endpoint that will not get the client's credentials, as a reason; undefined when it may. */
    const untrusted = (url: string, param: string): { fail: boolean; why: string } | undefined => {
      const refused = ex.refusal(url);
      if (!refused) return undefined;
      const why = `refused to send credentials to ${url} (${source(url)}): ${refused.reason}`;
      return refused.kind === 'plain' ? { fail: true, why } : { fail: false, why: `${why}; name it as ${param} in the suite to trust it` };
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
    const authorizer = endpoints.authorization ? new Authorizer(ctx, ex, endpoints.authorization, params.redirectUri ?? 'http://127.0.0.1:0/callback', extra) : undefined;
    try {
      const obtained = await obtain(flow, params, ex, tokenUrl, authorizer, extra);
      if (obtained.kind !== 'token') return finish(obtained.kind, obtained.message);
      assertions.push(...obtained.assertions);
      const response = obtained.response;
      if (response.status !== 200 || typeof response.json?.access_token !== 'string') {
        // RFC 6749 §5.2: invalid_client is "Client authentication failed" (401 with HTTP Basic):
        // the suite's own clientId/clientSecret, not the server's readiness.
        if (response.json?.error === 'invalid_client' || response.status === 401) {
          return finish('error', `the token endpoint ${tokenUrl} refused the suite's own client credentials with ${answered(response)}: check the clientId and clientSecret the suite passes (its secrets or environment variables)`, { cause: 'setup' });
        }
        return finish('fail', `the ${flow} grant failed at ${tokenUrl}: ${grantFailure(response)}`);
      }
      const body = response.json;
      const token = String(body.access_token);
      const decoded = decodeJwtToken(token);
      const now = Math.floor(ctx.clock.now().getTime() / 1000);
      const facts = { jwt: decoded !== undefined, expiresIn: body.expires_in };

      if (wanted('token')) {
        assertions.push(
          assertion('token: endpoint is https', 'matches', '^https://', tokenUrl, `the token endpoint ${tokenUrl} is not HTTPS: credentials and tokens would travel in clear text`),
          assertion('token: token_type', 'matches', '^[Bb][Ee][Aa][Rr][Ee][Rr]$', body.token_type, body.token_type === undefined ? 'the token response has no token_type: it must say Bearer (RFC 6749 §5.1)' : `token_type is ${show(body.token_type)}, not Bearer`),
          assertion('token: cache-control', 'contains', 'no-store', response.header('cache-control'), 'the token response lacks "Cache-Control: no-store" (RFC 6749 §5.1): a proxy could keep the token'),
        );
      }
      if (wanted('expiry')) {
        const max = params.maxLifetimeSeconds ?? 86400;
        const expiresIn = body.expires_in;
        assertions.push(assertion('expiry: expires_in', 'type', 'integer', expiresIn, expiresIn === undefined ? 'the token response has no expires_in: access tokens must expire, and clients must know when' : `expires_in is ${show(expiresIn)}, not a whole number of seconds`));
        if (typeof expiresIn === 'number') {
          assertions.push(
            assertion('expiry: expires_in', 'le', max, expiresIn, `expires_in is ${expiresIn} s, longer than ${max} s: a leaked token stays useful too long`),
            assertion('expiry: expires_in', 'gt', 0, expiresIn, `expires_in is ${expiresIn}: the token is dead on arrival`),
          );
        }
        if (decoded) assertions.push(...jwtExpiryAssertions(decoded, expiresIn, now));
      }
      if (wanted('jwt')) {
        if (!decoded) notApplicable('jwt', 'the access token is opaque (not a JWT); introspection verifies it instead');
        else if (!endpoints.jwks) assertions.push(assertion('jwt: jwks', 'exists', true, undefined, 'the access token is a JWT but there is no JWK Set to verify it: give jwksUrl or publish jwks_uri'));
        else {
          const jwksUrl = endpoints.jwks;
          const jwks = await probe('jwt: jwks', `fetching the JWKS at ${jwksUrl}`, () => ex.get(jwksUrl), (r) => [assertion('jwt: jwks', 'type', 'array', Array.isArray(r.json?.keys) ? r.json.keys : undefined, `${jwksUrl} answered ${answered(r)}, not a JWK Set ("keys")`)]);
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
        if (found.needs) findings.push({ rule: 'oauth/grant-errors-needs-denied-scope', level: 'note', message: found.needs });
      }
      if (flow !== 'client_credentials' && !(flow === 'refresh_token' && params.refreshToken)) {
        if (wanted('pkce') && authorizer) assertions.push(...(await pkceAssertions(ex, tokenUrl, authorizer, params.scope, metadata)));
      } else if (explicit.has('pkce')) notApplicable('pkce', `the ${flow} flow has no authorization request`);
      if (wanted('refresh') && flow === 'authorization_code') {
        const refresh = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
        if (refresh) assertions.push(...(await refreshAssertions(ex, tokenUrl, refresh)).assertions);
        else notApplicable('refresh', 'the authorization_code grant issued no refresh token');
      } else if (explicit.has('refresh') && flow === 'client_credentials') notApplicable('refresh', 'client_credentials issues no refresh token (RFC 6749 §4.4.3)');
      if (wanted('resource')) {
        if (resourceUrl) assertions.push(...(await resourceAssertions(ex, resourceUrl, token, params.expiredToken)));
        else if (params.resourceUrl) refusedEndpoint('resource', params.resourceUrl, 'resourceUrl');
        else notApplicable('resource', 'no resourceUrl given');
      }
      if (wanted('introspection')) {
        if (introspectionUrl) {
          const found = await introspectionAssertions(ex, introspectionUrl, token, facts);
          assertions.push(...found.assertions);
          warnings.push(...found.warnings);
        } else if (endpoints.introspection) refusedEndpoint('introspection', endpoints.introspection, 'introspectionUrl');
        else notApplicable('introspection', 'the server offers no introspection endpoint');
      }
      if (wanted('revocation')) {
        const revocationUrl = endpoints.revocation;
        if (!revocationUrl) notApplicable('revocation', 'the server offers no revocation endpoint');
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
            const why = second.kind === 'token' ? `the token endpoint answered ${answered(second.response)}` : second.message;
            assertions.push(assertion('revocation: second token', 'exists', true, undefined, `could not obtain a second token to revoke: ${why}`));
          }
        }
      }

      const failed = assertions.filter((a) => !a.passed);
      const values = { accessToken: token, tokenType: body.token_type, expiresIn: body.expires_in, scope: body.scope, issuer: endpoints.issuer, tokenEndpoint: tokenUrl };
      const measurements = [{ name: 'token response time', value: response.raw.durationMs, unit: 'ms' }];
      if (failed.length > 0) return finish('fail', `${describeFailure(failed[0]!)}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`, { values, measurements });
      const host = new URL(tokenUrl).host;
      if (warnings.length > 0) return finish('warn', `${host}: ${warnings.join('; ')}`, { values, measurements });
      const summary = passSummary(assertions, findings, { flow, kind: decoded ? `${typeof decoded.header.alg === 'string' ? decoded.header.alg : 'unsigned'} JWT` : 'opaque token', expiresIn: body.expires_in, expiredToken: Boolean(params.expiredToken) });
      return finish('pass', `${host}: ${summary}`, { values, measurements });
    } finally {
      await authorizer?.close();
    }
  },
});

/** What a passing check proved, in the order the proofs run: "metadata matches the issuer, ...; expires in 3600 s". */
function passSummary(assertions: readonly Assertion[], findings: readonly Finding[], facts: { flow: string; kind: string; expiresIn: unknown; expiredToken: boolean }): string {
  const { flow, kind } = facts;
  const names = new Set(assertions.map((a) => a.name));
  const seen = new Set(assertions.map((a) => a.name.split(':')[0] ?? ''));
  const scopeProof = names.has('grant-errors: denied scope')
    ? 'an unknown grant and a scope the client lacks are refused'
    : names.has('grant-errors: unadvertised scope')
      ? 'an unknown grant is refused and an unadvertised scope is not granted'
      : `an unknown grant is refused${findings.some((f) => f.rule === 'oauth/grant-errors-needs-denied-scope') ? ' (the scope probe needs deniedScope)' : ''}`;
  const phrases: Record<Proof, string> = {
    discovery: 'metadata matches the issuer, endpoints HTTPS',
    token: `${flow} token issued (${kind}, Bearer, no-store)`,
    expiry: `expires in ${String(facts.expiresIn)} s`,
    jwt: `${kind} verifies against the JWKS, iss and aud right`,
    'client-auth': 'a wrong secret is refused (invalid_client)',
    'grant-errors': scopeProof,
    pkce: 'a wrong or missing code_verifier is refused (invalid_grant)',
    refresh: 'refresh tokens rotate and a used one is refused',
    resource: `the API opens with the token and refuses none, a forged${facts.expiredToken ? ' and an expired' : ''} one (401)`,
    introspection: 'introspection tells active from unknown tokens',
    revocation: 'a revoked token stops working at once',
  };
  const proven = PROOFS.filter((proof) => seen.has(proof)).map((proof) => phrases[proof]);
  return proven.join('; ') || `${flow} token issued`;
}
