/** The sub-proofs of the `oauth` check, in the order they run. */
export const PROOFS = ['discovery', 'token', 'expiry', 'jwt', 'client-auth', 'grant-errors', 'pkce', 'refresh', 'resource', 'introspection', 'revocation'] as const;

const url = { type: 'string', pattern: '^https?://' } as const;

/** The `oauth` type's metadata: everything but its behaviour (read by the registry, the docs and `payready checks`). */
export const meta = {
  name: 'oauth',
  title: 'OAuth 2.0 authorization server',
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
      prove: { type: 'array', uniqueItems: true, minItems: 1, items: { enum: PROOFS }, description: `Sub-proofs to run (default: every one that applies): ${PROOFS.join(', ')}. Listed ones that cannot apply fail.` },
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
} as const;
