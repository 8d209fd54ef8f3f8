import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../src/model/outcome.js';
import { cliEnv, runCli, stackTraceIn } from '../e2e/helpers.js';
import { CLIENT_SCOPES, NOT_OWNED_SCOPE, OIDC_PROVIDERS, RESOURCE, installedVersion, runOAuthCheck, startOidcProvider, type OidcServer } from './oidc-provider-server.js';

/**
 * Verified against a real, OpenID-certified authorization server (oidc-provider, both release
 * lines): each row asserts what the real server truly does, and that payready's `oauth` check
 * agrees with it — no false failure where the server conforms, a `warn` (never a `fail`) where it
 * documents that it does not support something for a token type.
 */

/** Every message a result carries: summary, assertion messages and findings. */
function messages(outcome: Outcome): string[] {
  return [outcome.summary, ...(outcome.assertions ?? []).flatMap((a) => (a.message ? [a.message] : [])), ...(outcome.findings ?? []).map((f) => f.message)];
}

/** What every row asserts besides its own expectation: nothing printed that the server did not say, no secret. */
function expectHonest(outcome: Outcome, server: OidcServer): void {
  for (const message of messages(outcome)) {
    expect(message).not.toMatch(/\bundefined\b|\[object Object\]/);
    expect(message).not.toContain(server.clientSecret);
  }
}

/** A raw token request (what the server itself answers, independent of payready). */
async function tokenRequest(server: OidcServer, form: Record<string, string>, secret = server.clientSecret): Promise<{ status: number; json: Record<string, unknown> }> {
  const agent = new Agent({ connect: { ca: server.caPem } });
  try {
    const response = await request(`${server.issuer}/token`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${server.clientId}:${secret}`).toString('base64')}` },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.statusCode, json: (await response.body.json()) as Record<string, unknown> };
  } finally {
    await agent.close();
  }
}

for (const line of OIDC_PROVIDERS) {
  const version = installedVersion(line.pkg);

  describe(`oidc-provider ${version}, opaque access tokens`, () => {
    let server: OidcServer;
    beforeAll(async () => {
      server = await startOidcProvider(line, 'opaque');
    });
    afterAll(async () => {
      await server.close();
    });
    const client = () => ({ issuer: server.issuer, clientId: server.clientId, clientSecret: server.clientSecret });

    it('client_credentials with the right secret passes every sub-proof that applies (discovery, token, expiry, client-auth, grant-errors, introspection, revocation)', async () => {
      const outcome = await runOAuthCheck(server, { ...client(), scope: 'payments:read', maxLifetimeSeconds: 3600 });
      expectHonest(outcome, server);
      expect(outcome.assertions?.filter((a) => !a.passed)).toEqual([]);
      expect(outcome.message).toEqual({
        id: 'proven',
        data: {
          host: new URL(server.issuer).host,
          proofs: 'discovery token expiry client-auth grant-errors introspection revocation',
          proven:
            'metadata matches the issuer, endpoints HTTPS; client_credentials token issued (opaque token, Bearer, no-store); expires in 600 s; a wrong secret is refused (invalid_client); an unknown grant is refused and an unadvertised scope is not granted; introspection tells active from unknown tokens; a revoked token stops working at once',
        },
      });
      expect(outcome.status).toBe('pass');
    });

    it(`a client owning ${CLIENT_SCOPES} that requests only payments:read passes: payments:write is never probed as "a scope the client lacks"`, async () => {
      // What the server does: the client may have payments:write whenever it asks for it.
      expect((await tokenRequest(server, { grant_type: 'client_credentials', scope: 'payments:write' })).json.scope).toBe('payments:write');
      const outcome = await runOAuthCheck(server, { ...client(), scope: 'payments:read', prove: ['grant-errors'] });
      expectHonest(outcome, server);
      expect(outcome.message).toMatchObject({ id: 'proven', data: { proofs: 'grant-errors', proven: 'an unknown grant is refused and an unadvertised scope is not granted' } });
      expect(outcome.status).toBe('pass');
      expect(String(outcome.artifacts?.[0]?.data)).not.toMatch(/scope=payments%3Awrite/);
    });

    it('an unknown scope: the server leaves it out of the token (200, no scope granted, as RFC 6749 §3.3 allows), and payready counts that as not granted', async () => {
      const raw = await tokenRequest(server, { grant_type: 'client_credentials', scope: 'payready:unadvertised-scope-probe' });
      expect(raw.status).toBe(200);
      expect(raw.json.scope).toBeUndefined();
      const outcome = await runOAuthCheck(server, { ...client(), scope: 'payments:read', prove: ['grant-errors'] });
      expect(outcome.assertions?.find((a) => a.name === 'grant-errors: unadvertised scope')).toMatchObject({ passed: true, actual: 'refused' });
      expect(outcome.message?.id).toBe('proven');
      expect(outcome.status).toBe('pass');
    });

    it(`a scope the server knows but the client does not own (deniedScope: ${NOT_OWNED_SCOPE}) is refused with 400 invalid_scope`, async () => {
      const raw = await tokenRequest(server, { grant_type: 'client_credentials', scope: NOT_OWNED_SCOPE });
      expect(raw).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
      const outcome = await runOAuthCheck(server, { ...client(), scope: 'payments:read', deniedScope: NOT_OWNED_SCOPE, prove: ['grant-errors'] });
      expectHonest(outcome, server);
      expect(outcome.message).toMatchObject({ id: 'proven', data: { proofs: 'grant-errors', proven: 'an unknown grant and a scope the client lacks are refused' } });
      expect(outcome.status).toBe('pass');
    });

    it('a wrong secret is refused (401 invalid_client); a suite with a wrong secret is a setup error quoting the server', async () => {
      expect(await tokenRequest(server, { grant_type: 'client_credentials' }, 'not-the-secret')).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
      const outcome = await runOAuthCheck(server, { ...client(), clientSecret: 'not-the-secret' });
      expect(outcome.status).toBe('error');
      expect(outcome.cause).toBe('setup');
      expect(outcome.message).toEqual({ id: 'clientRefused', data: { url: `${server.issuer}/token`, answered: '401 invalid_client ("client authentication failed")' } });
      expect(outcome.summary).toBe(`the token endpoint ${server.issuer}/token refused the suite's own client credentials with 401 invalid_client ("client authentication failed"): check the clientId and clientSecret the suite passes (its secrets or environment variables)`);
      expect(outcome.summary).not.toContain('not-the-secret');
    });

    it('introspection tells a fresh token from a made-up one, and a revoked token is inactive at once', async () => {
      const outcome = await runOAuthCheck(server, { ...client(), prove: ['introspection', 'revocation'] });
      expectHonest(outcome, server);
      expect(outcome.message).toMatchObject({ id: 'proven', data: { proofs: 'introspection revocation', proven: 'introspection tells active from unknown tokens; a revoked token stops working at once' } });
      expect(outcome.status).toBe('pass');
    });
  });

  describe(`oidc-provider ${version}, JWT access tokens (resource indicators, accessTokenFormat: jwt)`, () => {
    let server: OidcServer;
    beforeAll(async () => {
      server = await startOidcProvider(line, 'jwt');
    });
    afterAll(async () => {
      await server.close();
    });
    const client = () => ({ issuer: server.issuer, clientId: server.clientId, clientSecret: server.clientSecret, resource: RESOURCE });

    it('client_credentials with the right secret passes: ES256 JWT verified against the JWKS, iss and aud (the resource) right, errors and scopes as above', async () => {
      const outcome = await runOAuthCheck(server, { ...client(), scope: 'payments:read', prove: ['discovery', 'token', 'expiry', 'jwt', 'client-auth', 'grant-errors'] });
      expectHonest(outcome, server);
      expect(outcome.message).toEqual({
        id: 'proven',
        data: {
          host: new URL(server.issuer).host,
          proofs: 'discovery token expiry jwt client-auth grant-errors',
          proven:
            'metadata matches the issuer, endpoints HTTPS; client_credentials token issued (ES256 JWT, Bearer, no-store); expires in 600 s; ES256 JWT verifies against the JWKS, iss and aud right; a wrong secret is refused (invalid_client); an unknown grant is refused and an unadvertised scope is not granted',
        },
      });
      expect(outcome.status).toBe('pass');
    });

    it('introspection and revocation of a JWT access token: a warn quoting what the server answered and saying to rely on short lifetimes, never a fail', async () => {
      const outcome = await runOAuthCheck(server, { ...client(), prove: ['introspection', 'revocation'] });
      expectHonest(outcome, server);
      expect(outcome.assertions?.filter((a) => !a.passed)).toEqual([]);
      expect(outcome.message?.id).toBe('limited');
      // The warnings quote the server word for word: the words are what this row tests.
      if (line.pkg === 'oidc-provider-9') {
        // 9.x refuses structured tokens at both endpoints (RFC 7009 §2.2.1 unsupported_token_type).
        expect(outcome.summary).toBe(
          `127.0.0.1:${new URL(server.issuer).port}: introspection does not support JWT access tokens: it answered 400 unsupported_token_type ("Structured JWT Tokens cannot be introspected via the introspection_endpoint"), so resource servers must verify them locally and cannot learn of a revocation: rely on short token lifetimes instead (expires_in 600 s); revocation does not support JWT access tokens: it answered 400 unsupported_token_type ("Structured JWT Tokens cannot be revoked via the revocation_endpoint"), so a leaked one stays valid until it expires: rely on short token lifetimes instead (expires_in 600 s)`,
        );
      } else {
        // 8.x keeps no record of JWT access tokens: introspection says "active": false to every
        // one, and revocation answers 200 without an effect anyone could observe.
        expect(outcome.summary).toBe(
          `127.0.0.1:${new URL(server.issuer).port}: introspection does not know JWT access tokens: it answered 200 {"active":false} for a fresh one, so resource servers must verify them locally and cannot learn of a revocation: rely on short token lifetimes instead (expires_in 600 s); revocation answered 200 but nothing shows the revoked token stopped working: introspection did not report the token active before it either (200 {"active":false}); give resourceUrl to prove the API refuses a revoked token, and until then rely on short token lifetimes instead (expires_in 600 s)`,
        );
      }
      expect(outcome.findings?.filter((f) => f.level === 'warning')).toHaveLength(2);
      expect(outcome.status).toBe('warn');
    });

    it('every sub-proof that applies: warn (introspection and revocation), no failed assertion', async () => {
      const outcome = await runOAuthCheck(server, { ...client(), scope: 'payments:read' });
      expectHonest(outcome, server);
      expect(outcome.assertions?.filter((a) => !a.passed)).toEqual([]);
      expect(outcome.message?.id).toBe('limited');
      expect(outcome.status).toBe('warn');
    });
  });

  describe(`oidc-provider ${version}: the issuer written with a terminating "/"`, () => {
    let server: OidcServer;
    beforeAll(async () => {
      server = await startOidcProvider(line, 'opaque');
    });
    afterAll(async () => {
      await server.close();
    });

    it('is never a fail of the server: OpenID Discovery §4.3 accepts it, RFC 8414 §3.3 makes it a setup error to fix in the suite', async () => {
      const outcome = await runOAuthCheck(server, { issuer: `${server.issuer}/`, clientId: server.clientId, clientSecret: server.clientSecret, prove: ['discovery', 'token'] });
      expectHonest(outcome, server);
      if (line.pkg === 'oidc-provider-9') {
        // 9.x serves RFC 8414 metadata, found first: its issuer must equal the one the URL was built from.
        expect(outcome).toMatchObject({ status: 'error', cause: 'setup' });
        expect(outcome.message).toEqual({ id: 'issuerSlash', data: { url: `${server.issuer}/.well-known/oauth-authorization-server`, returned: JSON.stringify(server.issuer), issuer: `${server.issuer}/` } });
        expect(outcome.summary).toBe(`the metadata at ${server.issuer}/.well-known/oauth-authorization-server names issuer "${server.issuer}", the suite gives ${server.issuer}/: write the issuer exactly as the server names it (RFC 8414 §3.3 compares identifiers character for character)`);
      } else {
        // 8.x serves OpenID metadata only: the "/" is removed before /.well-known/openid-configuration is appended.
        expect(outcome.message).toMatchObject({ id: 'proven', data: { proofs: 'discovery token' } });
        expect(outcome.status).toBe('pass');
      }
    });
  });
}

describe('the CLI against oidc-provider: exit codes', () => {
  const [v8, v9] = OIDC_PROVIDERS;
  let opaque: OidcServer;
  let jwt: OidcServer;
  let dir: string;
  beforeAll(async () => {
    opaque = await startOidcProvider(v8, 'opaque');
    jwt = await startOidcProvider(v9, 'jwt');
    dir = mkdtempSync(join(tmpdir(), 'payready-oidc-'));
    writeFileSync(join(dir, 'opaque-ca.pem'), opaque.caPem);
    writeFileSync(join(dir, 'jwt-ca.pem'), jwt.caPem);
    writeFileSync(
      join(dir, 'suite.yaml'),
      [
        'suite: oidc-provider-conformance',
        'title: payready against oidc-provider',
        'environments:',
        '  oidc:',
        '    baseUrl: ${env.OIDC_ISSUER}',
        '    ca: ${env.OIDC_CA}',
        '    sandbox: true',
        'secrets:',
        '  clientId: { env: OIDC_CLIENT_ID }',
        '  clientSecret: { env: OIDC_CLIENT_SECRET }',
        'checks:',
        '  - id: oauth',
        '    type: oauth',
        '    section: "1.1"',
        '    severity: blocker',
        '    with:',
        '      issuer: ${target.baseUrl}',
        '      clientId: ${secrets.clientId}',
        '      clientSecret: ${secrets.clientSecret}',
        '      scope: payments:read',
        '',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await Promise.all([opaque.close(), jwt.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (server: OidcServer, ca: string, secret: string) =>
    runCli(['run', join(dir, 'suite.yaml'), '--env', 'oidc', '--out', join(dir, `out-${Math.random().toString(36).slice(2)}`)], {
      env: cliEnv({ OIDC_ISSUER: server.issuer, OIDC_CA: join(dir, ca), OIDC_CLIENT_ID: server.clientId, OIDC_CLIENT_SECRET: secret }),
    });

  it(`oidc-provider ${installedVersion(v8.pkg)}, opaque tokens, the right secret: PASS, exit 0`, async () => {
    const result = await run(opaque, 'opaque-ca.pem', opaque.clientSecret);
    expect(result.stdout, result.stderr).toMatch(/^PASS\s+oauth\s.*a revoked token stops working at once$/m);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(opaque.clientSecret);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
  });

  it(`oidc-provider ${installedVersion(v9.pkg)}, JWT tokens: WARN quoting unsupported_token_type, exit 0 (not "not ready")`, async () => {
    const result = await run(jwt, 'jwt-ca.pem', jwt.clientSecret);
    expect(result.stdout, result.stderr).toMatch(/^WARN\s+oauth\s.*introspection does not support JWT access tokens: it answered 400 unsupported_token_type/m);
    expect(result.stdout).not.toContain('undefined');
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('a wrong client secret in the suite: a setup error, exit 2 (fix the suite), the secret never printed', async () => {
    const wrong = 'wrong-secret-for-the-conformance-client';
    const result = await run(opaque, 'opaque-ca.pem', wrong);
    expect(result.stdout, result.stderr).toMatch(/^ERROR\s+oauth\s.*refused the suite's own client credentials with 401 invalid_client \("client authentication failed"\): check the clientId and clientSecret/m);
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout + result.stderr).not.toContain(wrong);
    expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
  });
});
