import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSandbox, type SandboxClient, type TestResponse } from '../support/sandbox.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Runs GET /oauth/authorize and returns the redirect's query (the sandbox approves at once). */
async function authorize(client: SandboxClient, params: Record<string, string>): Promise<{ response: TestResponse; query: URLSearchParams }> {
  const query = new URLSearchParams({ response_type: 'code', client_id: client.sandbox.clientId, redirect_uri: REDIRECT, code_challenge_method: 'S256', state: 'st-1', ...params });
  const response = await client.send(`/oauth/authorize?${query.toString()}`);
  const location = response.headers['location'];
  return { response, query: location ? new URL(location).searchParams : new URLSearchParams() };
}

async function codeFor(client: SandboxClient, challenge: string, scope?: string): Promise<string> {
  const { query } = await authorize(client, { code_challenge: challenge, ...(scope ? { scope } : {}) });
  const code = query.get('code');
  if (!code) throw new Error(`no code: ${query.toString()}`);
  return code;
}

function tokenForm(client: SandboxClient, form: Record<string, string>): Promise<TestResponse> {
  return client.send('/oauth/token', { form, headers: { authorization: client.basicAuth() } });
}

describe('authorization_code with PKCE, refresh rotation, introspection, revocation', async () => {
  const { sandbox, client } = await useSandbox();

  it('the authorize endpoint redirects at once with a code, the state and the issuer (RFC 9207)', async () => {
    const { challenge } = pkce();
    const { response, query } = await authorize(client, { code_challenge: challenge });
    expect(response.status).toBe(302);
    expect(response.headers['location']).toMatch(/^http:\/\/127\.0\.0\.1:9\/callback\?/);
    expect(query.get('code')).toMatch(/^[\w-]{20,}$/);
    expect(query.get('state')).toBe('st-1');
    expect(query.get('iss')).toBe(sandbox.baseUrl);
  });

  const refusals: [string, Record<string, string>, string][] = [
    ['no PKCE challenge', {}, 'invalid_request'],
    ['the plain challenge method', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    ['another response type', { code_challenge: 'a'.repeat(43), response_type: 'token' }, 'unsupported_response_type'],
    ['a scope the client lacks', { code_challenge: 'a'.repeat(43), scope: 'payments:refund' }, 'invalid_scope'],
  ];
  for (const [name, params, error] of refusals) {
    it(`redirects ${name} back with error=${error}`, async () => {
      const { query } = await authorize(client, params);
      expect(query.get('error')).toBe(error);
      expect(query.get('code')).toBeNull();
    });
  }

  it('never redirects to an unregistered redirect URI or for an unknown client', async () => {
    const cases: Record<string, string>[] = [{ redirect_uri: 'https://attacker.example/cb' }, { client_id: 'nobody' }];
    for (const params of cases) {
      const { response } = await authorize(client, { code_challenge: 'a'.repeat(43), ...params });
      expect(response.status).toBe(400);
      expect(response.headers['location']).toBeUndefined();
      expect(response.json()).toMatchObject({ error: 'invalid_request' });
    }
  });

  it('redeems a code once, with the right verifier, for an access and a refresh token of the test user', async () => {
    const { verifier, challenge } = pkce();
    const code = await codeFor(client, challenge, 'payments:read');
    const response = await tokenForm(client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'payments:read', refresh_token: expect.stringMatching(/^rt_/) });
    const replay = await tokenForm(client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(replay.status).toBe(400);
    expect(replay.json()).toMatchObject({ error: 'invalid_grant' });
    const introspection = await client.send('/oauth/introspect', { form: { token: String(response.json()['access_token']) }, headers: { authorization: client.basicAuth() } });
    expect(introspection.json()).toMatchObject({ active: true, sub: 'user_test', client_id: sandbox.clientId, scope: 'payments:read' });
  });

  for (const [name, form] of [
    ['a wrong verifier', { code_verifier: pkce().verifier }],
    ['no verifier', {}],
    ['another redirect_uri', { code_verifier: 'set below', redirect_uri: 'http://127.0.0.1:10/callback' }],
  ] as const) {
    it(`refuses a code with ${name} (invalid_grant)`, async () => {
      const pair = pkce();
      const code = await codeFor(client, pair.challenge);
      const extra: Record<string, string> = { ...form };
      if (extra['code_verifier'] === 'set below') extra['code_verifier'] = pair.verifier;
      const response = await tokenForm(client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...extra });
      expect(response.status).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid_grant' });
    });
  }

  it('rotates refresh tokens; a rotated-out one is refused and revokes its whole family', async () => {
    const { verifier, challenge } = pkce();
    const first = (await tokenForm(client, { grant_type: 'authorization_code', code: await codeFor(client, challenge), redirect_uri: REDIRECT, code_verifier: verifier })).json();
    const second = await tokenForm(client, { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) });
    expect(second.status).toBe(200);
    const rotated = String(second.json()['refresh_token']);
    expect(rotated).not.toBe(first['refresh_token']);
    const reuse = await tokenForm(client, { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) });
    expect(reuse.json()).toMatchObject({ error: 'invalid_grant' });
    const afterReuse = await tokenForm(client, { grant_type: 'refresh_token', refresh_token: rotated });
    expect(afterReuse.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/revoked/) });
  });

  it('a refresh may narrow the scope, never widen it', async () => {
    const { verifier, challenge } = pkce();
    const first = (await tokenForm(client, { grant_type: 'authorization_code', code: await codeFor(client, challenge, 'payments:read'), redirect_uri: REDIRECT, code_verifier: verifier })).json();
    const wider = await tokenForm(client, { grant_type: 'refresh_token', refresh_token: String(first['refresh_token']), scope: 'payments:read payments:write' });
    expect(wider.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('revokes an access token: introspection turns inactive and the API refuses it', async () => {
    const token = await client.token();
    const basic = { authorization: client.basicAuth() };
    expect((await client.send('/oauth/revoke', { form: { token }, headers: basic })).status).toBe(200);
    expect((await client.send('/oauth/introspect', { form: { token }, headers: basic })).json()).toEqual({ active: false });
    const refused = await client.send('/v1/payments/pay_000000000000000000000000', { token });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/error="invalid_token", error_description="The access token has been revoked/);
  });

  it('revocation and introspection need client authentication; revoking an unknown token is still 200', async () => {
    expect((await client.send('/oauth/introspect', { form: { token: 'x' } })).status).toBe(401);
    expect((await client.send('/oauth/revoke', { form: { token: 'x' } })).status).toBe(401);
    expect((await client.send('/oauth/revoke', { form: { token: 'x' }, headers: { authorization: client.basicAuth() } })).status).toBe(200);
  });

  it('scopes are per client: the read-only client reads but cannot pay', async () => {
    const readOnly = sandbox.clients.find((c) => c.id === 'payready-readonly')!;
    const auth = { authorization: client.basicAuth(readOnly.id, readOnly.secret) };
    const refused = await client.send('/oauth/token', { form: { grant_type: 'client_credentials', scope: 'payments:write' }, headers: auth });
    expect(refused.json()).toMatchObject({ error: 'invalid_scope' });
    const token = String((await client.send('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: auth })).json()['access_token']);
    const pay = await client.send('/v1/payments', { json: { amount: { value: 1 } }, token });
    expect(pay.status).toBe(403);
    expect(pay.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
  });

  it('hands out an already-expired token of the demo client, which the API refuses', async () => {
    const refused = await client.send('/v1/payments/pay_000000000000000000000000', { token: sandbox.expiredToken });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/The access token has expired/);
  });
});

describe('OAuth faults', () => {
  async function with_(fault: string): Promise<SandboxClient> {
    return (await useSandbox([fault])).client;
  }

  it('oauth-accepts-bad-secret: any secret works for a known client id', async () => {
    const client = await with_('oauth-accepts-bad-secret');
    const response = await client.send('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: client.basicAuth(client.sandbox.clientId, 'wrong') } });
    expect(response.status).toBe(200);
  });

  it('no-pkce: a code is redeemed with a wrong verifier', async () => {
    const client = await with_('no-pkce');
    const code = await codeFor(client, pkce().challenge);
    const response = await tokenForm(client, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce().verifier });
    expect(response.status).toBe(200);
  });

  it('token-never-expires: no expires_in, no exp, and the API still takes the token', async () => {
    const client = await with_('token-never-expires');
    const response = await tokenForm(client, { grant_type: 'client_credentials' });
    expect(response.json()['expires_in']).toBeUndefined();
    const token = String(response.json()['access_token']);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims['exp']).toBeUndefined();
    expect((await client.send('/v1/payments/pay_000000000000000000000000', { token })).status).toBe(404);
  });

  it('jwt-bad-signature: the JWKS publishes another key under the token’s kid; the API itself still verifies', async () => {
    const { createLocalJWKSet, jwtVerify } = await import('jose');
    const client = await with_('jwt-bad-signature');
    const token = await client.token();
    const jwks = (await client.send('/.well-known/jwks.json')).json();
    await expect(jwtVerify(token, createLocalJWKSet(jwks as never))).rejects.toThrow(/signature verification failed/);
    expect((await client.send('/v1/payments/pay_000000000000000000000000', { token })).status).toBe(404);
  });

  it('revocation-ignored: 200, and the token stays active', async () => {
    const client = await with_('revocation-ignored');
    const token = await client.token();
    const basic = { authorization: client.basicAuth() };
    expect((await client.send('/oauth/revoke', { form: { token }, headers: basic })).status).toBe(200);
    expect((await client.send('/oauth/introspect', { form: { token }, headers: basic })).json()).toMatchObject({ active: true });
  });
});
