import { describe, expect, it } from 'vitest';
import { runCheck, type CheckCase } from './harness.js';

const client = { clientId: '${secrets.clientId}', clientSecret: '${secrets.clientSecret}' };
const issuer = { issuer: '${target.issuer}', ...client };
const resourceUrl = '${target.baseUrl}/v1/payments/pay_000000000000000000000000';
const audience = '${target.baseUrl}/v1';

const cases: CheckCase[] = [
  {
    name: 'client_credentials, everything that applies (discovery, JWT, probes, resource, introspection, revocation)',
    params: { ...issuer, audience, resourceUrl, expiredToken: '${secrets.expiredToken}' },
    status: 'pass',
    summary: /^127\.0\.0\.1:\d+: metadata matches the issuer, endpoints HTTPS; client_credentials token issued \(ES256 JWT, Bearer, no-store\); expires in 3600 s; ES256 JWT verifies against the JWKS, iss and aud right; a wrong secret is refused \(invalid_client\); an unknown grant and a scope the client lacks are refused; the API opens with the token and refuses none, a forged and an expired one \(401\); introspection tells active from unknown tokens; a revoked token stops working at once$/,
  },
  {
    name: 'client_secret_post without discovery (tokenUrl only)',
    params: { tokenUrl: '${target.tokenUrl}', ...client, clientAuth: 'client_secret_post', prove: ['token', 'client-auth'] },
    status: 'pass',
    summary: /: client_credentials token issued \(ES256 JWT, Bearer, no-store\); a wrong secret is refused \(invalid_client\)$/,
  },
  {
    name: 'authorization_code with PKCE, approved headless by the sandbox’s test user',
    params: { ...issuer, flow: 'authorization_code', prove: ['token', 'pkce', 'refresh', 'grant-errors'] },
    status: 'pass',
    summary: /: authorization_code token issued .*; an unknown grant and a scope the client lacks are refused; a wrong or missing code_verifier is refused \(invalid_grant\); refresh tokens rotate and a used one is refused$/,
  },
  {
    name: 'refresh_token rotation',
    params: { ...issuer, flow: 'refresh_token', prove: ['token', 'refresh'] },
    status: 'pass',
    summary: /: refresh_token token issued \(ES256 JWT, Bearer, no-store\); refresh tokens rotate and a used one is refused$/,
  },
  {
    name: 'scopes are per client: the read-only client cannot get payments:write',
    params: { issuer: '${target.issuer}', clientId: '${secrets.readOnlyClientId}', clientSecret: '${secrets.readOnlyClientSecret}', prove: ['grant-errors'], deniedScope: 'payments:write' },
    status: 'pass',
    summary: /^127\.0\.0\.1:\d+: an unknown grant and a scope the client lacks are refused$/,
  },
  {
    name: 'wrong credentials of the suite are an error, not a fail of the server',
    params: { ...issuer, clientSecret: 'not-the-secret' },
    status: 'error',
    summary: /the token endpoint refused the client's own credentials \(401 invalid_client\): check clientId and clientSecret/,
  },
  {
    name: 'fault oauth-accepts-bad-secret',
    faults: ['oauth-accepts-bad-secret'],
    params: { ...issuer, prove: ['client-auth', 'grant-errors'] },
    status: 'fail',
    summary: /^a wrong client secret got 200 and a token: it must be refused with 401 invalid_client \(and 1 more\)$/,
  },
  {
    name: 'fault no-pkce',
    faults: ['no-pkce'],
    params: { ...issuer, flow: 'authorization_code', prove: ['pkce'] },
    status: 'fail',
    summary: /^redeeming a code with a wrong code_verifier got 200 and a token: it must be refused with 400 invalid_grant \(and 3 more\)$/,
  },
  {
    name: 'fault token-never-expires',
    faults: ['token-never-expires'],
    params: { ...issuer, prove: ['expiry'] },
    status: 'fail',
    summary: /^the token response has no expires_in: access tokens must expire, and clients must know when \(and \d more\)$/,
  },
  {
    name: 'fault jwt-bad-signature',
    faults: ['jwt-bad-signature'],
    params: { ...issuer, audience, prove: ['jwt'] },
    status: 'fail',
    summary: /^the access token's signature does not verify: the signature does not verify against the JWKS key with that kid \(kid "[\w-]+"\)$/,
  },
  {
    name: 'fault revocation-ignored',
    faults: ['revocation-ignored'],
    params: { ...issuer, resourceUrl, prove: ['revocation'] },
    status: 'fail',
    summary: /^a revoked token is still active according to introspection \(true\): revocation must take effect at once \(RFC 7009 §2\) \(and 2 more\)$/,
  },
  {
    name: 'fault no-auth: the API takes no token and forged ones',
    faults: ['no-auth'],
    params: { ...issuer, resourceUrl, expiredToken: '${secrets.expiredToken}', prove: ['resource'] },
    status: 'fail',
    summary: /answered 404 to a request without a token: it must be 401/,
  },
  {
    name: 'a wrong audience is caught in the JWT',
    params: { ...issuer, audience: 'https://other.example/api', prove: ['jwt'] },
    status: 'fail',
    summary: /the access token's aud "https:\/\/127\.0\.0\.1:\d+\/v1" does not name https:\/\/other\.example\/api/,
  },
  {
    name: 'a listed proof that cannot apply fails (no resourceUrl)',
    params: { ...issuer, prove: ['resource'] },
    status: 'fail',
    summary: /^resource cannot be proven: no resourceUrl given$/,
  },
  {
    name: 'an unreachable issuer is an error',
    params: { issuer: 'https://127.0.0.1:1', ...client },
    status: 'error',
    summary: /could not fetch https:\/\/127\.0\.0\.1:1\/\.well-known\/oauth-authorization-server: connection refused/,
  },
];

describe('oauth check against the real sandbox', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { outcome } = await runCheck('oauth', c.params, { faults: c.faults });
      expect(outcome.summary).toMatch(c.summary);
      expect(outcome.status, outcome.summary).toBe(c.status);
    });
  }

  it('hands the access token to later checks as a value and marks every token it saw as secret', async () => {
    const { outcome } = await runCheck('oauth', { ...issuer, prove: ['token', 'client-auth'] });
    const token = outcome.values?.accessToken;
    expect(typeof token).toBe('string');
    expect(outcome.secrets).toContain(token);
    // The transcript masks the Basic credentials itself; tokens are left for the runner's redactor.
    const transcript = String(outcome.artifacts?.find((a) => a.name === 'oauth.http')?.data);
    expect(transcript).toMatch(/^> authorization: Basic \[REDACTED\]$/m);
    expect(transcript).toContain('/oauth/token');
  });

  it('keeps each sub-proof as its own assertion', async () => {
    const { outcome } = await runCheck('oauth', { ...issuer, audience, resourceUrl, expiredToken: '${secrets.expiredToken}' });
    const names = outcome.assertions?.map((a) => a.name) ?? [];
    for (const name of ['discovery: issuer', 'discovery: https endpoints', 'token: token_type', 'expiry: expires_in', 'jwt: alg', 'jwt: signature', 'jwt: iss', 'jwt: aud', 'client-auth: status', 'client-auth: error', 'grant-errors: unknown grant: error', 'grant-errors: denied scope', 'resource: no token: www-authenticate', 'resource: tampered token: www-authenticate', 'resource: expired token: status', 'introspection: active', 'revocation: introspection inactive', 'revocation: resource refuses']) {
      expect(names).toContain(name);
    }
    expect(outcome.assertions?.every((a) => a.passed)).toBe(true);
  });

  it('without a terminal, authorization_code against a sign-in page is skip with the reason', async () => {
    // The OpenAPI document stands in for a provider's HTML sign-in page: a 200 that is not a redirect.
    const { outcome } = await runCheck('oauth', { tokenUrl: '${target.tokenUrl}', authorizationUrl: '${target.baseUrl}/openapi.json', ...client, flow: 'authorization_code' });
    expect(outcome.status).toBe('skip');
    expect(outcome.summary).toMatch(/authorization_code needs a person to sign in \(the authorization endpoint shows a sign-in page \(200\)\) and no terminal is attached/);
  });
});

describe('oauth check with a person at the terminal', () => {
  it('prints the sign-in URL and completes the flow when the browser comes back to the loopback listener', async () => {
    const { Agent, request } = await import('undici');
    const { sandboxWith } = await import('./harness.js');
    const sandbox = await sandboxWith([]);
    const agent = new Agent({ connect: { ca: sandbox.caPem } });
    const prompts: string[] = [];
    let browsing: Promise<void> = Promise.resolve();
    // The "person": opens the printed URL, signs in (here: the sandbox approves at once), and
    // the browser follows the redirect to the check's loopback listener.
    const prompt = (message: string): void => {
      prompts.push(message);
      const printed = new URL(/https:\/\/\S+/.exec(message)?.[0] ?? '');
      const signIn = new URL(`/oauth/authorize${printed.search}`, sandbox.baseUrl);
      browsing = (async () => {
        const approved = await request(signIn, { dispatcher: agent });
        await approved.body.text();
        const callback = await request(String(approved.headers.location));
        await callback.body.text();
      })();
    };
    try {
      const { outcome } = await runCheck('oauth', { tokenUrl: '${target.tokenUrl}', authorizationUrl: '${target.baseUrl}/openapi.json', ...client, flow: 'authorization_code', prove: ['token'] }, { prompt });
      await browsing;
      expect(outcome.summary).toMatch(/: authorization_code token issued \(ES256 JWT, Bearer, no-store\)$/);
      expect(outcome.status).toBe('pass');
      expect(prompts[0]).toMatch(/^Sign in to authorize payready \(check test-oauth\): open\n  https:\/\/127\.0\.0\.1:\d+\/openapi\.json\?response_type=code&/);
      expect(prompts[0]).toMatch(/Waiting for the redirect to http:\/\/127\.0\.0\.1:\d+\/callback/);
    } finally {
      await agent.close();
    }
  });
});
