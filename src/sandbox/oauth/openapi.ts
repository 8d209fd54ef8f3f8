import { jsonResponse, type ApiArea, type Doc } from '../openapi/types.js';

const FORM = 'application/x-www-form-urlencoded';

const oauthErrors = (extra: Record<string, Doc> = {}): Record<string, Doc> => ({
  '400': jsonResponse('RFC 6749 §5.2 error (invalid_request, invalid_grant, invalid_scope, unsupported_grant_type...).', 'OAuthError'),
  '401': jsonResponse('Client authentication failed (invalid_client).', 'OAuthError', 'application/json', {
    'WWW-Authenticate': { schema: { type: 'string', pattern: '^Basic ' } },
  }),
  ...extra,
});

const formBody = (schema: string): Doc => ({ required: true, content: { [FORM]: { schema: { $ref: `#/components/schemas/${schema}` } } } });

const clientAuth = [{ clientSecretBasic: [] }, {}];

/** The OAuth 2.0 authorization server. */
export const oauthArea: ApiArea = {
  tag: { name: 'oauth', description: 'OAuth 2.0 authorization server: RFC 6749, 7636 (PKCE), 7662, 7009, 8414; JWT access tokens (RFC 9068).' },
  paths: {
    '/oauth/authorize': {
      get: {
        operationId: 'authorize',
        tags: ['oauth'],
        summary: 'Authorization endpoint; the test user approves at once (no login page)',
        parameters: [
          { name: 'response_type', in: 'query', required: true, schema: { const: 'code' } },
          { name: 'client_id', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'redirect_uri', in: 'query', required: true, schema: { type: 'string', format: 'uri' }, description: 'A loopback URI, any port (RFC 8252 §7.3).' },
          { name: 'code_challenge', in: 'query', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$' } },
          { name: 'code_challenge_method', in: 'query', required: true, schema: { const: 'S256' } },
          { name: 'scope', in: 'query', schema: { type: 'string' } },
          { name: 'state', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '302': {
            description: 'Back to redirect_uri with `code`, `state` and `iss` (or `error` and `error_description`).',
            headers: { Location: { required: true, schema: { type: 'string', format: 'uri' } } },
          },
          '400': jsonResponse('Unknown client or unregistered redirect URI: no redirect is made.', 'OAuthError'),
        },
      },
    },
    '/oauth/token': {
      post: {
        operationId: 'token',
        tags: ['oauth'],
        summary: 'Token endpoint: client_credentials, authorization_code (PKCE), refresh_token (rotated)',
        security: clientAuth,
        requestBody: formBody('TokenRequest'),
        responses: { '200': jsonResponse('Tokens.', 'TokenResponse'), ...oauthErrors() },
      },
    },
    '/oauth/introspect': {
      post: {
        operationId: 'introspect',
        tags: ['oauth'],
        summary: 'Token introspection (RFC 7662)',
        security: clientAuth,
        requestBody: formBody('TokenParameter'),
        responses: { '200': jsonResponse('Whether the token is active, and its claims when it is.', 'Introspection'), ...oauthErrors() },
      },
    },
    '/oauth/revoke': {
      post: {
        operationId: 'revoke',
        tags: ['oauth'],
        summary: 'Token revocation (RFC 7009); 200 even for an unknown token',
        security: clientAuth,
        requestBody: formBody('TokenParameter'),
        responses: { '200': { description: 'Revoked (or was not valid).' }, ...oauthErrors() },
      },
    },
    '/.well-known/jwks.json': {
      get: { operationId: 'getJwks', tags: ['oauth'], summary: 'Public keys of the access tokens', responses: { '200': jsonResponse('JWK Set (RFC 7517).', 'JwkSet') } },
    },
    '/.well-known/oauth-authorization-server': {
      get: {
        operationId: 'getAuthorizationServerMetadata',
        tags: ['oauth'],
        summary: 'Authorization server metadata (RFC 8414)',
        responses: { '200': jsonResponse('Metadata.', 'AuthorizationServerMetadata') },
      },
    },
  },
  schemas: {
    OAuthError: {
      type: 'object',
      required: ['error'],
      properties: {
        error: { enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'unsupported_response_type'] },
        error_description: { type: 'string' },
      },
    },
    TokenRequest: {
      type: 'object',
      required: ['grant_type'],
      properties: {
        grant_type: { type: 'string', examples: ['client_credentials', 'authorization_code', 'refresh_token'] },
        scope: { type: 'string' },
        code: { type: 'string' },
        redirect_uri: { type: 'string' },
        code_verifier: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$' },
        refresh_token: { type: 'string' },
        client_id: { type: 'string' },
        client_secret: { type: 'string', writeOnly: true },
      },
    },
    TokenParameter: {
      type: 'object',
      required: ['token'],
      properties: { token: { type: 'string' }, token_type_hint: { enum: ['access_token', 'refresh_token'] }, client_id: { type: 'string' }, client_secret: { type: 'string' } },
    },
    TokenResponse: {
      type: 'object',
      required: ['access_token', 'token_type', 'scope'],
      additionalProperties: false,
      properties: {
        access_token: { type: 'string', minLength: 1 },
        token_type: { const: 'Bearer' },
        expires_in: { type: 'integer', minimum: 1 },
        scope: { type: 'string' },
        refresh_token: { type: 'string', description: 'authorization_code and refresh_token grants only; rotated on every refresh.' },
      },
    },
    Introspection: {
      type: 'object',
      required: ['active'],
      properties: {
        active: { type: 'boolean' },
        token_type: { type: 'string' },
        client_id: { type: 'string' },
        scope: { type: 'string' },
        sub: { type: 'string' },
        iss: { type: 'string' },
        aud: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        iat: { type: 'integer' },
        exp: { type: 'integer' },
        jti: { type: 'string' },
      },
    },
    JwkSet: {
      type: 'object',
      required: ['keys'],
      properties: {
        keys: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['kty', 'kid'],
            // A private member here would leak the signing key.
            not: { anyOf: [{ required: ['d'] }, { required: ['p'] }, { required: ['q'] }] },
            properties: { kty: { type: 'string' }, kid: { type: 'string' }, alg: { type: 'string' }, use: { const: 'sig' } },
          },
        },
      },
    },
    AuthorizationServerMetadata: {
      type: 'object',
      required: ['issuer', 'token_endpoint', 'jwks_uri', 'response_types_supported'],
      properties: {
        issuer: { type: 'string', format: 'uri', pattern: '^https://' },
        authorization_endpoint: { type: 'string', format: 'uri', pattern: '^https://' },
        token_endpoint: { type: 'string', format: 'uri', pattern: '^https://' },
        jwks_uri: { type: 'string', format: 'uri', pattern: '^https://' },
        introspection_endpoint: { type: 'string', format: 'uri', pattern: '^https://' },
        revocation_endpoint: { type: 'string', format: 'uri', pattern: '^https://' },
        grant_types_supported: { type: 'array', items: { type: 'string' } },
        response_types_supported: { type: 'array', items: { type: 'string' } },
        code_challenge_methods_supported: { type: 'array', items: { type: 'string' } },
        scopes_supported: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};
