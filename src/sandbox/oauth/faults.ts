import type { Fault } from '../fault.js';

/** Faults of the authorization server, the bearer-token check and the sample client's credentials. */
export const OAUTH_FAULTS: readonly Fault[] = [
  {
    name: 'hardcoded-secret',
    description: "The sample merchant integration's configuration file holds the OAuth client secret in clear text.",
    section: '2.1',
    caughtBy: 'no-hardcoded-credentials',
    hooks: { secretInSampleConfig: true },
  },
  {
    name: 'jwt-bad-signature',
    description: 'Access tokens are signed with a key other than the one the JWKS publishes under their kid, so they cannot be verified.',
    section: '1.1',
    caughtBy: 'oauth-jwt',
    hooks: { jwksDecoyKey: true },
  },
  {
    name: 'no-auth',
    description: 'Payments are accepted without a bearer token, or with any token at all.',
    section: '1.1',
    caughtBy: 'payments-require-auth',
    hooks: { bearerAuthOff: true },
  },
  {
    name: 'no-pkce',
    description: 'The token endpoint ignores the PKCE code_verifier: a stolen authorization code works without it.',
    section: '1.1',
    caughtBy: 'oauth-pkce',
    hooks: { pkceOff: true },
  },
  {
    name: 'oauth-accepts-bad-secret',
    description: 'The token endpoint accepts any client secret for a known client id.',
    section: '1.1',
    caughtBy: 'oauth-errors',
    hooks: { anyClientSecret: true },
  },
  {
    name: 'revocation-ignored',
    description: 'The revocation endpoint answers 200 but the token stays active (introspection and the API still accept it).',
    section: '1.1',
    caughtBy: 'oauth-revocation',
    hooks: { revocationOff: true },
  },
  {
    name: 'token-never-expires',
    description: 'Access tokens carry no exp claim and the token response no expires_in: a leaked token works forever.',
    section: '1.1',
    caughtBy: 'oauth-token-lifetime',
    hooks: { tokensNeverExpire: true },
  },
];
