import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { describe, expect, it } from 'vitest';
import { useSandbox, type TestRequest } from '../support/sandbox.js';

const { sandbox, client } = await useSandbox();

function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}): TestRequest {
  return { form, headers };
}

describe('POST /oauth/token', () => {
  it('issues a bearer token to a client using HTTP Basic (client_secret_basic)', async () => {
    const response = await client.send('/oauth/token', tokenRequest({ grant_type: 'client_credentials' }, { authorization: client.basicAuth() }));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'payments:read payments:write' });
    expect(typeof body['access_token']).toBe('string');
  });

  it('issues a token to a client sending its credentials in the body (client_secret_post)', async () => {
    const response = await client.send(
      '/oauth/token',
      tokenRequest({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret, scope: 'payments:read' }),
    );
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ token_type: 'Bearer', scope: 'payments:read' });
  });

  const wrongCredentials: { name: string; request: () => TestRequest }[] = [
    { name: 'no client authentication', request: () => tokenRequest({ grant_type: 'client_credentials' }) },
    {
      name: 'a wrong secret over Basic',
      request: () => tokenRequest({ grant_type: 'client_credentials' }, { authorization: client.basicAuth(sandbox.clientId, 'wrong') }),
    },
    {
      name: 'an unknown client in the body',
      request: () => tokenRequest({ grant_type: 'client_credentials', client_id: 'someone-else', client_secret: sandbox.clientSecret }),
    },
    { name: 'a client id without a secret', request: () => tokenRequest({ grant_type: 'client_credentials', client_id: sandbox.clientId }) },
  ];
  for (const { name, request } of wrongCredentials) {
    it(`answers ${name} with 401 invalid_client and a Basic challenge`, async () => {
      const response = await client.send('/oauth/token', request());
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="payready-sandbox"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toMatchObject({ error: 'invalid_client' });
      expect(response.json()['error_description']).toEqual(expect.any(String));
    });
  }

  const badRequests: { name: string; form: Record<string, string>; status: number; error: string }[] = [
    { name: 'an unknown grant type', form: { grant_type: 'password', username: 'a', password: 'b' }, status: 400, error: 'unsupported_grant_type' },
    { name: 'a scope the client lacks', form: { grant_type: 'client_credentials', scope: 'payments:read refunds:write' }, status: 400, error: 'invalid_scope' },
    { name: 'a missing grant_type', form: { scope: 'payments:read' }, status: 400, error: 'invalid_request' },
  ];
  for (const { name, form, status, error } of badRequests) {
    it(`answers ${name} with ${status} ${error}`, async () => {
      const response = await client.send('/oauth/token', tokenRequest(form, { authorization: client.basicAuth() }));
      expect(response.status).toBe(status);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json()).toMatchObject({ error });
      expect(response.json()['error_description']).toEqual(expect.any(String));
    });
  }

  it('refuses two client authentication methods in one request (invalid_request)', async () => {
    const response = await client.send(
      '/oauth/token',
      tokenRequest({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret }, { authorization: client.basicAuth() }),
    );
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a JSON token request (invalid_request)', async () => {
    const response = await client.send('/oauth/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: client.basicAuth() } });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a repeated parameter (invalid_request)', async () => {
    const response = await client.send('/oauth/token', {
      body: 'grant_type=client_credentials&grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: client.basicAuth() },
    });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error: 'invalid_request' });
  });
});

describe('JWT access tokens', () => {
  it('verify against the served JWKS with the expected claims', async () => {
    const jwksResponse = await client.send('/.well-known/jwks.json');
    expect(jwksResponse.status).toBe(200);
    const jwks = jwksResponse.json() as unknown as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const token = await client.token('payments:write');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0]?.kid });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: sandbox.baseUrl,
      audience: `${sandbox.baseUrl}/v1`,
      algorithms: ['ES256'],
    });
    expect(payload).toMatchObject({ sub: sandbox.clientId, scope: 'payments:write' });
    expect(payload.jti).toEqual(expect.any(String));
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('are unique per request', async () => {
    const [a, b] = await Promise.all([client.token(), client.token()]);
    expect(a).not.toBe(b);
  });
});

describe('authorization server metadata (RFC 8414)', () => {
  it('names the issuer, token endpoint, JWKS and supported methods', async () => {
    const response = await client.send('/.well-known/oauth-authorization-server');
    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: sandbox.baseUrl,
      token_endpoint: `${sandbox.baseUrl}/oauth/token`,
      jwks_uri: `${sandbox.baseUrl}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      authorization_endpoint: `${sandbox.baseUrl}/oauth/authorize`,
      introspection_endpoint: `${sandbox.baseUrl}/oauth/introspect`,
      revocation_endpoint: `${sandbox.baseUrl}/oauth/revoke`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });
});
