import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { mintCertificateAuthority, mintServerCertificate } from '../../src/sandbox/transport/certs.js';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { sandboxWith } from '../support/sandbox.js';

const client = { clientId: '${secrets.clientId}', clientSecret: '${secrets.clientSecret}' };
const issuer = { issuer: '${target.issuer}', ...client };
const resourceUrl = '${target.baseUrl}/v1/payments/pay_000000000000000000000000';
const audience = '${target.baseUrl}/v1';

const cases: CheckCase[] = [
  {
    name: 'client_credentials, everything that applies (discovery, JWT, probes, resource, introspection, revocation)',
    params: { ...issuer, audience, resourceUrl, expiredToken: '${secrets.expiredToken}' },
    status: 'pass',
    message: 'proven',
    data: {
      proofs: 'discovery token expiry jwt client-auth grant-errors resource introspection revocation',
      proven:
        'metadata matches the issuer, endpoints HTTPS; client_credentials token issued (ES256 JWT, Bearer, no-store); expires in 3600 s; ES256 JWT verifies against the JWKS, iss and aud right; a wrong secret is refused (invalid_client); an unknown grant is refused and an unadvertised scope is not granted; the API opens with the token and refuses none, a forged and an expired one (401); introspection tells active from unknown tokens; a revoked token stops working at once',
    },
    // The summary names the token endpoint's host, then what was proven.
    summary: /^127\.0\.0\.1:\d+: metadata matches the issuer/,
  },
  {
    name: 'client_secret_post without discovery (tokenUrl only)',
    params: { tokenUrl: '${target.tokenUrl}', ...client, clientAuth: 'client_secret_post', prove: ['token', 'client-auth'] },
    status: 'pass',
    message: 'proven',
    data: { proofs: 'token client-auth', proven: 'client_credentials token issued (ES256 JWT, Bearer, no-store); a wrong secret is refused (invalid_client)' },
  },
  {
    name: 'authorization_code with PKCE, approved headless by the sandbox’s test user',
    params: { ...issuer, flow: 'authorization_code', prove: ['token', 'pkce', 'refresh', 'grant-errors'] },
    status: 'pass',
    message: 'proven',
    data: {
      proofs: 'token grant-errors pkce refresh',
      proven: expect.stringMatching(/^authorization_code token issued .*; an unknown grant is refused and an unadvertised scope is not granted; a wrong or missing code_verifier is refused \(invalid_grant\); refresh tokens rotate and a used one is refused$/),
    },
  },
  {
    name: 'refresh_token rotation',
    params: { ...issuer, flow: 'refresh_token', prove: ['token', 'refresh'] },
    status: 'pass',
    message: 'proven',
    data: { proofs: 'token refresh', proven: 'refresh_token token issued (ES256 JWT, Bearer, no-store); refresh tokens rotate and a used one is refused' },
  },
  {
    name: 'scopes are per client: the read-only client cannot get payments:write',
    params: { issuer: '${target.issuer}', clientId: '${secrets.readOnlyClientId}', clientSecret: '${secrets.readOnlyClientSecret}', prove: ['grant-errors'], deniedScope: 'payments:write' },
    status: 'pass',
    message: 'proven',
    data: { proofs: 'grant-errors', proven: 'an unknown grant and a scope the client lacks are refused' },
  },
  {
    name: 'a client owning more scopes than it requests passes: the probe asks for a scope nobody advertises, not one merely not requested',
    params: { ...issuer, scope: 'payments:read', prove: ['grant-errors'] },
    status: 'pass',
    message: 'proven',
    data: { proofs: 'grant-errors', proven: 'an unknown grant is refused and an unadvertised scope is not granted' },
  },
  {
    name: 'without deniedScope and without scopes_supported (no discovery), the scope probe is not run and the check says it needs deniedScope',
    params: { tokenUrl: '${target.tokenUrl}', ...client, scope: 'payments:read', prove: ['grant-errors'] },
    status: 'pass',
    message: 'proven',
    data: { proofs: 'grant-errors', proven: 'an unknown grant is refused (the scope probe needs deniedScope)' },
  },
  {
    name: 'fault oauth-accepts-bad-secret',
    faults: ['oauth-accepts-bad-secret'],
    params: { ...issuer, prove: ['client-auth', 'grant-errors'] },
    status: 'fail',
    message: 'weak',
    data: { first: 'a wrong client secret got 200 and a token: it must be refused with 401 invalid_client', more: ' (and 1 more)' },
  },
  {
    name: 'fault no-pkce',
    faults: ['no-pkce'],
    params: { ...issuer, flow: 'authorization_code', prove: ['pkce'] },
    status: 'fail',
    message: 'weak',
    data: { first: 'redeeming a code with a wrong code_verifier got 200 and a token: it must be refused with 400 invalid_grant', more: ' (and 3 more)' },
  },
  {
    name: 'fault token-never-expires',
    faults: ['token-never-expires'],
    params: { ...issuer, prove: ['expiry'] },
    status: 'fail',
    message: 'weak',
    data: { first: 'the token response has no expires_in: access tokens must expire, and clients must know when', more: expect.stringMatching(/^ \(and \d more\)$/) },
  },
  {
    name: 'fault jwt-bad-signature',
    faults: ['jwt-bad-signature'],
    params: { ...issuer, audience, prove: ['jwt'] },
    status: 'fail',
    message: 'weak',
    data: { first: expect.stringMatching(/^the access token's signature does not verify: the signature does not verify against the JWKS key with that kid \(kid "[\w-]+"\)$/), more: '' },
  },
  {
    name: 'fault revocation-ignored',
    faults: ['revocation-ignored'],
    params: { ...issuer, resourceUrl, prove: ['revocation'] },
    status: 'fail',
    message: 'weak',
    data: { first: 'a revoked token is still active according to introspection ("active": true): revocation must take effect at once (RFC 7009 §2)', more: ' (and 2 more)' },
  },
  {
    name: 'fault no-auth: the API takes no token and forged ones',
    faults: ['no-auth'],
    params: { ...issuer, resourceUrl, expiredToken: '${secrets.expiredToken}', prove: ['resource'] },
    status: 'fail',
    message: 'weak',
    data: { first: 'GET /v1/payments/pay_000000000000000000000000 answered 404 to a request without a token: it must be 401' },
  },
  {
    name: 'a wrong audience is caught in the JWT',
    params: { ...issuer, audience: 'https://other.example/api', prove: ['jwt'] },
    status: 'fail',
    message: 'weak',
    data: { first: expect.stringMatching(/^the access token's aud "https:\/\/127\.0\.0\.1:\d+\/v1" does not name https:\/\/other\.example\/api: a token for one API must not open another$/) },
  },
  {
    name: 'a listed proof that cannot apply fails (no resourceUrl)',
    params: { ...issuer, prove: ['resource'] },
    status: 'fail',
    message: 'weak',
    data: { first: 'resource cannot be proven: no resourceUrl given', more: '' },
  },
  {
    name: 'an unreachable issuer is an error',
    params: { issuer: 'https://127.0.0.1:1', ...client },
    status: 'error',
    message: 'metadataUnreachable',
    data: { url: 'https://127.0.0.1:1/.well-known/oauth-authorization-server', cause: expect.stringMatching(/connection refused/) },
  },
  {
    name: 'neither an issuer nor a tokenUrl: an error saying what to give',
    params: { ...client },
    status: 'error',
    message: 'noTokenEndpoint',
  },
  {
    name: 'an issuer without metadata: a fail quoting what each well-known URL answered',
    params: { issuer: '${target.baseUrl}/no-such-issuer', ...client },
    status: 'fail',
    message: 'metadataMissingNoToken',
    data: { issuer: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/no-such-issuer$/), tried: expect.stringMatching(/oauth-authorization-server\/no-such-issuer -> 404 .*openid-configuration -> 404/) },
  },
];

describe('oauth check against the real sandbox', () => {
  checkTable('oauth', cases);

  it('the suite\'s own credentials refused (invalid_client) are a setup error quoting the server, never printing the credentials', async () => {
    const { outcome, sandbox } = await runCheck('oauth', { ...issuer, clientSecret: 'not-the-secret' });
    expect(outcome.status).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message).toEqual({ id: 'clientRefused', data: { url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/oauth\/token$/), answered: expect.stringMatching(/^401 invalid_client \(".+"\)$/) } });
    // The words: what the server answered is quoted, the credentials are not.
    expect(outcome.summary).toMatch(/^the token endpoint https:\/\/127\.0\.0\.1:\d+\/oauth\/token refused the suite's own client credentials with 401 invalid_client \(".+"\): check the clientId and clientSecret the suite passes/);
    expect(outcome.summary).not.toContain('not-the-secret');
    expect(outcome.summary).not.toContain(sandbox.clientId);
  });

  it('without deniedScope the scope probe never names a scope the client owns, and notes that deniedScope would prove more', async () => {
    const { outcome } = await runCheck('oauth', { tokenUrl: '${target.tokenUrl}', ...client, scope: 'payments:read', prove: ['grant-errors'] });
    expect(outcome.findings).toContainEqual(expect.objectContaining({ rule: 'oauth/grant-errors-needs-denied-scope', level: 'note', message: expect.stringMatching(/^the scope probe needs deniedScope/) }));
    // Only the unknown grant was probed: no request asked for payments:write, which this client owns.
    const transcript = String(outcome.artifacts?.find((a) => a.name === 'oauth.http')?.data);
    expect(transcript).toContain('urn%3Apayready%3Aunsupported-grant');
    expect(transcript).not.toMatch(/payments(:|%3A)write/);
  });

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
    for (const name of ['discovery: issuer', 'discovery: https endpoints', 'token: token_type', 'expiry: expires_in', 'jwt: alg', 'jwt: signature', 'jwt: iss', 'jwt: aud', 'client-auth: status', 'client-auth: error', 'grant-errors: unknown grant: error', 'grant-errors: unadvertised scope', 'resource: no token: www-authenticate', 'resource: tampered token: www-authenticate', 'resource: expired token: status', 'introspection: active', 'revocation: introspection inactive', 'revocation: resource refuses']) {
      expect(names).toContain(name);
    }
    expect(outcome.assertions?.every((a) => a.passed)).toBe(true);
  });

  it('without a terminal, authorization_code against a sign-in page is skip with the reason', async () => {
    // The OpenAPI document stands in for a provider's HTML sign-in page: a 200 that is not a redirect.
    const { outcome } = await runCheck('oauth', { tokenUrl: '${target.tokenUrl}', authorizationUrl: '${target.baseUrl}/openapi.json', ...client, flow: 'authorization_code' });
    expect(outcome.status).toBe('skip');
    expect(outcome.message).toEqual({ id: 'needsPerson', data: { reason: 'the authorization endpoint shows a sign-in page (200)' } });
  });
});

describe('oauth check with a person at the terminal', () => {
  it('prints the sign-in URL and completes the flow when the browser comes back to the loopback listener', async () => {
    const { Agent, request } = await import('undici');
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
      expect(outcome.message?.id).toBe('proven');
      expect(outcome.message?.data).toMatchObject({ proofs: 'token', proven: 'authorization_code token issued (ES256 JWT, Bearer, no-store)' });
      expect(outcome.status).toBe('pass');
      expect(prompts[0]).toMatch(/^Sign in to authorize payready \(check test-oauth\): open\n {2}https:\/\/127\.0\.0\.1:\d+\/openapi\.json\?response_type=code&/);
      expect(prompts[0]).toMatch(/Waiting for the redirect to http:\/\/127\.0\.0\.1:\d+\/callback/);
    } finally {
      await agent.close();
    }
  });
});

describe('[oauth/secret-judged-first] credentials go only to endpoints judged first (a hostile discovery document)', () => {
  /** Every request a server received: method, path, Authorization header and body. */
  type Seen = { method: string; path: string; authorization: string | undefined; body: string };
  const SECRET = 'recorded-client-secret-0123456789';
  const servers: { close(): void; closeAllConnections(): void }[] = [];
  let tls: { key: string; cert: string; ca: string };

  afterAll(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  /** The test CA and a certificate for 127.0.0.1 (minted once). */
  async function certificates(): Promise<void> {
    if (tls) return;
    const ca = await mintCertificateAuthority('payready test CA');
    const leaf = await mintServerCertificate(ca, { hostnames: ['127.0.0.1'] });
    tls = { key: leaf.keyPem, cert: leaf.certPem, ca: ca.certPem };
  }

  /** A loopback server (HTTPS with the test CA, or plain HTTP) that records every request and answers `reply`. */
  async function recorder(secure: boolean, reply: (path: string) => Record<string, unknown>): Promise<{ url: string; seen: Seen[] }> {
    const seen: Seen[] = [];
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(reply(path)));
      });
    };
    await certificates();
    const server = secure ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  const tokenReply = { access_token: 'opaque-token-from-the-recorder', token_type: 'Bearer', expires_in: 60 };

  /** An issuer whose metadata names `tokenEndpoint` (and maybe an introspection endpoint); it also answers /token itself. */
  async function issuerNaming(endpoints: (issuer: string) => Record<string, string>): Promise<{ issuer: string; seen: Seen[] }> {
    let issuer = '';
    const server = await recorder(true, (path) => (path.startsWith('/.well-known/') ? { issuer, response_types_supported: ['code'], scopes_supported: ['payments:read'], ...endpoints(issuer) } : tokenReply));
    issuer = server.url;
    return { issuer, seen: server.seen };
  }

  const run = (params: Record<string, unknown>) => runCheck('oauth', { clientId: 'recorded-client', clientSecret: SECRET, ...params }, { target: { ca: [tls.ca] } });
  const credentialsIn = (seen: Seen[]): Seen[] => seen.filter((r) => r.authorization !== undefined || r.body.includes('client_secret'));

  it('a plain-HTTP token_endpoint on another host from discovery gets no secret: fail naming the endpoint and why', async () => {
    const plain = await recorder(false, () => tokenReply);
    const { issuer, seen } = await issuerNaming(() => ({ token_endpoint: `${plain.url}/token` }));
    const { outcome } = await run({ issuer, prove: ['token'] });
    expect(plain.seen).toEqual([]);
    expect(credentialsIn(seen)).toEqual([]);
    expect(outcome.message).toEqual({ id: 'tokenEndpointRefused', data: { url: `${plain.url}/token`, source: 'from the discovery document', reason: 'it is not HTTPS, so the credential would travel in clear text' } });
    expect(outcome.summary).toBe(`refused to send the client secret to the token endpoint ${plain.url}/token (from the discovery document): it is not HTTPS, so the credential would travel in clear text; nothing was sent`);
    expect(outcome.status).toBe('fail');
  });

  it('a plain-HTTP tokenUrl named by the suite gets no secret either', async () => {
    const plain = await recorder(false, () => tokenReply);
    const { outcome } = await run({ tokenUrl: `${plain.url}/token`, clientAuth: 'client_secret_post', prove: ['token'] });
    expect(plain.seen).toEqual([]);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toEqual({ id: 'tokenEndpointRefused', data: { url: `${plain.url}/token`, source: 'named by the suite', reason: 'it is not HTTPS, so the credential would travel in clear text' } });
  });

  it('an HTTPS token_endpoint on another origin than the issuer gets no secret unless the suite names it (a setup error saying how)', async () => {
    const foreign = await recorder(true, () => tokenReply);
    const { issuer } = await issuerNaming(() => ({ token_endpoint: `${foreign.url}/token` }));
    const refused = await run({ issuer, prove: ['token'] });
    expect(foreign.seen).toEqual([]);
    expect(refused.outcome.status).toBe('error');
    expect(refused.outcome.cause).toBe('setup');
    expect(refused.outcome.message).toEqual({ id: 'tokenEndpointForeign', data: { url: `${foreign.url}/token`, source: 'from the discovery document', reason: `it is on another origin (${foreign.url}) than the issuer ${issuer}, and the suite does not name it` } });
    expect(refused.outcome.summary).toBe(`refused to send the client secret to the token endpoint ${foreign.url}/token (from the discovery document): it is on another origin (${foreign.url}) than the issuer ${issuer}, and the suite does not name it; nothing was sent. If the provider really issues tokens there, name it as tokenUrl in the suite`);

    // Named by the suite, the same endpoint is trusted and gets the credentials.
    const named = await run({ issuer, tokenUrl: `${foreign.url}/token`, prove: ['token'] });
    expect(named.outcome.status, named.outcome.summary).toBe('pass');
    expect(named.outcome.message?.data).toMatchObject({ proofs: 'token' });
    expect(credentialsIn(foreign.seen)).toHaveLength(1);
    expect(foreign.seen[0]?.authorization).toBe(`Basic ${Buffer.from(`recorded-client:${SECRET}`).toString('base64')}`);
  });

  it('a server that leaves fields out and answers introspection and revocation with HTML: every message quotes what it answered, none prints undefined', async () => {
    let issuer = '';
    const listener = (req: IncomingMessage, res: ServerResponse): void => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      req.resume();
      req.on('end', () => {
        if (path.startsWith('/.well-known/')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ issuer, response_types_supported: ['code'], scopes_supported: ['payments:read'], token_endpoint: `${issuer}/token`, introspection_endpoint: `${issuer}/introspect`, revocation_endpoint: `${issuer}/revoke` }));
        } else if (path === '/token') {
          res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          res.end(JSON.stringify({ access_token: `opaque-${Math.random()}` }));
        } else {
          res.writeHead(502, { 'content-type': 'text/html' });
          res.end('<html>Bad Gateway</html>');
        }
      });
    };
    await certificates();
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, listener);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { outcome } = await run({ issuer, prove: ['token', 'expiry', 'introspection', 'revocation'] });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toEqual({ id: 'weak', data: { first: 'the token response has no token_type: it must say Bearer (RFC 6749 §5.1)', more: ' (and 5 more)' } });
    const said = (outcome.assertions ?? []).filter((a) => !a.passed).map((a) => a.message);
    expect(said).toEqual([
      'the token response has no token_type: it must say Bearer (RFC 6749 §5.1)',
      'the token response has no expires_in: access tokens must expire, and clients must know when',
      `introspection of a fresh token answered 502 with a text/html body that is not a JSON object: it must be 200 (RFC 7662 §2.2)`,
      `introspection of a fresh token answered 502 with a text/html body that is not a JSON object: it must say "active": true (RFC 7662 §2.2)`,
      'introspection of a made-up token answered 502 with a text/html body that is not a JSON object: it must be 200 { "active": false } (RFC 7662 §2.2)',
      'the revocation endpoint answered 502 with a text/html body that is not a JSON object: it must be 200 (RFC 7009 §2.2)',
    ]);
    for (const message of [outcome.summary, ...said]) expect(message).not.toMatch(/undefined/);
  });

  it('a server that grants whatever scope is asked fails the scope probe, quoting where the grant shows', async () => {
    let issuer = '';
    const server = await recorder(true, (path) => (path.startsWith('/.well-known/') ? { issuer, response_types_supported: ['code'], scopes_supported: ['payments:read'], token_endpoint: `${issuer}/token` } : { ...tokenReply, scope: 'payments:read payready:unadvertised-scope-probe' }));
    issuer = server.url;
    const { outcome } = await run({ issuer, scope: 'payments:read', prove: ['grant-errors'] });
    expect(outcome.status).toBe('fail');
    expect(outcome.message?.id).toBe('weak');
    expect(outcome.assertions?.find((a) => a.name === 'grant-errors: unadvertised scope')?.message).toBe(
      'a scope the server does not advertise ("payready:unadvertised-scope-probe") got 200 and a token that carries it (according to the token response): it must be refused with 400 invalid_scope (RFC 6749 §5.2) or left out of the token (§3.3)',
    );
  });

  it('a plain-HTTP introspection_endpoint from discovery gets no credentials: the sub-proof fails naming it', async () => {
    const plain = await recorder(false, () => ({ active: true }));
    const { issuer } = await issuerNaming((self) => ({ token_endpoint: `${self}/token`, introspection_endpoint: `${plain.url}/introspect` }));
    const { outcome } = await run({ issuer, prove: ['introspection'] });
    expect(plain.seen).toEqual([]);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toEqual({ id: 'weak', data: { first: `refused to send credentials to ${plain.url}/introspect (from the discovery document): it is not HTTPS, so the credential would travel in clear text`, more: '' } });
    expect(outcome.assertions?.find((a) => !a.passed)?.name).toBe('introspection: endpoint is https');
  });
});
