import type { Messages } from '../../model/messages.js';

/**
 * Every summary, assertion message, finding and warning the `oauth` type can produce, and the
 * pieces they are made of where a piece says something of its own (why a sub-proof cannot run,
 * why a credential was not sent). `{answered}` is always what the server answered, quoted
 * (`400 invalid_scope ("...")`, `502 with a text/html body that is not a JSON object`).
 */
export const messages = {
  // Summaries of a run that proved what it could.
  proven: { status: 'pass', text: '{host}: {proven}' },
  limited: {
    status: 'warn',
    text: '{host}: {warnings}',
    fix: 'The server does not support introspection or revocation for this kind of token: keep access tokens short-lived, or issue opaque tokens the server can introspect and revoke. Each warning says what the server answered.',
  },
  weak: {
    status: 'fail',
    text: '{first}{more}',
    fix: 'Fix each failed assertion (the summary names the first; `assertions` lists them all with what the server answered).',
  },

  // What a passing run proved, one phrase per sub-proof, joined with "; " in the order they run.
  provenDiscovery: { status: 'pass', text: 'metadata matches the issuer, endpoints HTTPS' },
  provenToken: { status: 'pass', text: '{flow} token issued ({kind}, Bearer, no-store)' },
  provenExpiry: { status: 'pass', text: 'expires in {expiresIn} s' },
  provenJwt: { status: 'pass', text: '{kind} verifies against the JWKS, iss and aud right' },
  provenClientAuth: { status: 'pass', text: 'a wrong secret is refused (invalid_client)' },
  provenScopeDenied: { status: 'pass', text: 'an unknown grant and a scope the client lacks are refused' },
  provenScopeUnadvertised: { status: 'pass', text: 'an unknown grant is refused and an unadvertised scope is not granted' },
  provenUnknownGrant: { status: 'pass', text: 'an unknown grant is refused{needs}' },
  provenPkce: { status: 'pass', text: 'a wrong or missing code_verifier is refused (invalid_grant)' },
  provenRefresh: { status: 'pass', text: 'refresh tokens rotate and a used one is refused' },
  provenResource: { status: 'pass', text: 'the API opens with the token and refuses none, a forged{expired} one (401)' },
  provenIntrospection: { status: 'pass', text: 'introspection tells active from unknown tokens' },
  provenRevocation: { status: 'pass', text: 'a revoked token stops working at once' },
  provenNothing: { status: 'pass', text: '{flow} token issued' },

  // Discovery (RFC 8414, OpenID Connect Discovery).
  metadataUnreachable: {
    status: ['error', 'fail'],
    text: 'could not fetch {url}: {cause}',
    fix: 'Make the issuer reachable from where payready runs (the cause quotes the network error), or give tokenUrl.',
  },
  metadataMissing: {
    status: 'fail',
    text: 'no authorization server metadata for {issuer} ({tried})',
    fix: 'Publish RFC 8414 metadata at /.well-known/oauth-authorization-server (or OpenID metadata at /.well-known/openid-configuration), or check the issuer the suite gives.',
  },
  metadataMissingNoToken: {
    status: ['fail', 'error'],
    text: "no authorization server metadata for {issuer} ({tried}): no token endpoint to go on (give tokenUrl, or fix the issuer's metadata)",
    fix: 'Publish the metadata with a token_endpoint, or give tokenUrl in the suite.',
  },
  issuerSlash: {
    status: 'error',
    text: 'the metadata at {url} names issuer {returned}, the suite gives {issuer}: write the issuer exactly as the server names it (RFC 8414 §3.3 compares identifiers character for character)',
    fix: 'Write the issuer in the suite exactly as the metadata names it (with or without the terminating "/").',
  },
  issuerMismatch: {
    status: 'fail',
    text: 'the metadata at {url} {named}, not {issuer}: clients must refuse it (RFC 8414 §3.3)',
    fix: 'Make the metadata\'s "issuer" identical to the issuer identifier its URL was built from.',
  },
  metadataIncomplete: {
    status: 'fail',
    text: 'the metadata at {url} lacks {missing} (RFC 8414 §2)',
    fix: 'Add issuer, response_types_supported and token_endpoint to the metadata.',
  },
  metadataPlainEndpoints: {
    status: 'fail',
    text: 'the metadata lists endpoints that are not HTTPS: {plain}',
    fix: 'Serve every endpoint the metadata lists over HTTPS.',
  },
  noTokenEndpoint: {
    status: 'error',
    text: 'no token endpoint: give tokenUrl, or an issuer whose metadata names one',
    fix: 'Give tokenUrl, or an issuer whose metadata has a token_endpoint.',
  },

  // Where the client's credentials may go (issue 12): HTTPS, and the issuer's origin unless the suite names the endpoint.
  tokenEndpointRefused: {
    status: 'fail',
    text: 'refused to send the client secret to the token endpoint {url} ({source}): {reason}; nothing was sent',
    fix: 'Serve the token endpoint over HTTPS.',
  },
  tokenEndpointForeign: {
    status: 'error',
    text: 'refused to send the client secret to the token endpoint {url} ({source}): {reason}; nothing was sent. If the provider really issues tokens there, name it as tokenUrl in the suite',
    fix: 'If the provider really issues tokens on that origin, name the endpoint as tokenUrl in the suite; otherwise the discovery document is not to be trusted.',
  },
  credentialsRefused: {
    status: 'fail',
    text: 'refused to send credentials to {url} ({source}): {reason}',
    fix: 'Serve the endpoint over HTTPS.',
  },
  credentialsRefusedForeign: {
    status: ['pass', 'fail'],
    text: 'refused to send credentials to {url} ({source}): {reason}; name it as {param} in the suite to trust it',
    fix: 'Name the endpoint in the suite (the parameter the message gives) if the provider really serves it on that origin.',
  },
  credentialsGuarded: {
    status: 'fail',
    text: 'refused to send credentials to {url}: {reason}',
    fix: 'Serve the endpoint over HTTPS, on the issuer\'s origin or named in the suite.',
  },
  reasonInvalidUrl: { status: ['fail', 'error'], text: 'it is not a valid URL', fix: 'Give a valid https:// URL.' },
  reasonPlain: { status: 'fail', text: 'it is not HTTPS, so the credential would travel in clear text', fix: 'Serve the endpoint over HTTPS.' },
  reasonForeign: {
    status: ['error', 'pass', 'fail'],
    text: 'it is on another origin ({origin}) than the issuer {issuerOrigin}, and the suite does not name it',
    fix: 'Name the endpoint in the suite if the provider really serves it there.',
  },

  // Sub-proofs that cannot run: a note when payready chose them, a failed assertion when the suite listed them in `prove`.
  notProven: {
    status: ['pass', 'warn', 'fail'],
    text: '{proof} not proven: {why}',
    fix: 'Fix what the reason names on the authorization server, or give the sub-proof what it needs.',
  },
  notApplicable: {
    status: 'fail',
    text: '{proof} cannot be proven: {why}',
    fix: 'Give what the sub-proof needs (the message says what), or leave it out of `prove`.',
  },
  whyNoIssuer: { status: ['pass', 'fail'], text: 'no issuer given', fix: 'Give the issuer.' },
  whyOpaque: { status: ['pass', 'fail'], text: 'the access token is opaque (not a JWT); introspection verifies it instead', fix: 'Leave jwt out of `prove` for a server that issues opaque tokens.' },
  whyNoAuthorizationRequest: { status: ['pass', 'fail'], text: 'the {flow} flow has no authorization request', fix: 'Use flow: authorization_code to prove PKCE.' },
  whyNoRefreshIssued: { status: ['pass', 'fail'], text: 'the authorization_code grant issued no refresh token', fix: 'Issue refresh tokens to this client, or leave refresh out of `prove`.' },
  whyClientCredentialsNoRefresh: { status: ['pass', 'fail'], text: 'client_credentials issues no refresh token (RFC 6749 §4.4.3)', fix: 'Use flow: authorization_code or refresh_token to prove refresh.' },
  whyNoResourceUrl: { status: ['pass', 'fail'], text: 'no resourceUrl given', fix: 'Give resourceUrl, an API URL the token must open.' },
  whyNoIntrospection: { status: ['pass', 'fail'], text: 'the server offers no introspection endpoint', fix: 'Give introspectionUrl, or leave introspection out of `prove`.' },
  whyNoRevocation: { status: ['pass', 'fail'], text: 'the server offers no revocation endpoint', fix: 'Give revocationUrl, or leave revocation out of `prove`.' },

  // Obtaining the token.
  clientRefused: {
    status: 'error',
    text: "the token endpoint {url} refused the suite's own client credentials with {answered}: check the clientId and clientSecret the suite passes (its secrets or environment variables)",
    fix: 'Give the suite the right clientId and clientSecret (its secrets or environment variables).',
  },
  grantFailed: {
    status: 'fail',
    text: 'the {flow} grant failed at {url}: {why}',
    fix: 'Make the token endpoint issue a token for this grant (the message quotes what it answered).',
  },
  grantError: { status: 'fail', text: '{status} {error}{description}', fix: 'Grant the client this flow and scope.' },
  grantRedirect: { status: 'fail', text: 'answered {status}, a redirect{to}: the token endpoint must answer the grant itself', fix: 'Point tokenUrl at the token endpoint itself, not at a page that redirects.' },
  grantNotJson: { status: 'fail', text: 'answered {status} with a body that is not a JSON object ({type}): a token response is JSON (RFC 6749 §5.1)', fix: 'Answer token requests with a JSON token response.' },
  grantNoToken: { status: 'fail', text: 'answered {status} without an access_token', fix: 'Put the access_token in the token response.' },
  authorizationServerUnreachable: {
    status: 'error',
    text: 'could not reach the authorization server: {cause}',
    fix: 'Make the token endpoint reachable from where payready runs (the cause quotes the network error).',
  },
  noAuthorizationEndpoint: {
    status: 'error',
    text: 'no authorization endpoint: give authorizationUrl, or an issuer whose metadata names one',
    fix: 'Give authorizationUrl, or an issuer whose metadata has an authorization_endpoint.',
  },
  needsPerson: {
    status: 'skip',
    text: 'authorization_code needs a person to sign in ({reason}) and no terminal is attached (CI): run it from a terminal, or test refresh with flow: refresh_token and a refreshToken',
  },
  signInPage: { status: 'skip', text: 'the authorization endpoint shows a sign-in page ({status})' },
  tooManyRedirects: { status: 'skip', text: 'more than {max} redirects before a sign-in page' },
  listenFailed: {
    status: ['error', 'fail'],
    text: 'could not listen on {uri} for the redirect: {cause}',
    fix: 'Give a redirectUri on a free loopback port (port 0 picks one).',
  },
  signInTimedOut: {
    status: ['error', 'fail'],
    text: 'nobody completed the sign-in before the check timed out',
    fix: 'Sign in at the printed URL before the check times out (or give the check a longer timeout).',
  },
  authorizationUnreachable: {
    status: ['error', 'fail'],
    text: 'the authorization endpoint could not be reached: {cause}',
    fix: 'Make the authorization endpoint reachable from where payready runs (the cause quotes the network error).',
  },
  authorizationAnswered: {
    status: ['error', 'fail'],
    text: 'the authorization endpoint answered {status}{error} instead of redirecting',
    fix: 'Make the authorization endpoint accept this client and redirect URI (a loopback URI, RFC 8252 §7.3).',
  },
  authorizationRefused: {
    status: 'fail',
    text: 'the authorization endpoint refused the request: {error}{description}',
    fix: 'Allow this client the authorization_code flow with PKCE S256 and a loopback redirect URI.',
  },
  stateMismatch: {
    status: 'fail',
    text: 'the authorization response did not return the state sent: CSRF protection is broken',
    fix: 'Return the state parameter unchanged in the authorization response (RFC 6749 §4.1.2).',
  },
  authorizationIssuer: {
    status: 'fail',
    text: 'the authorization response names issuer {iss}, not {issuer} (RFC 9207)',
    fix: 'Send the issuer identifier itself as `iss` in authorization responses.',
  },
  noRefreshToRefresh: {
    status: 'fail',
    text: 'the authorization_code grant issued no refresh token to refresh with',
    fix: 'Issue refresh tokens to this client (or start from a refreshToken).',
  },

  // token and expiry.
  tokenPlain: {
    status: 'fail',
    text: 'the token endpoint {url} is not HTTPS: credentials and tokens would travel in clear text',
    fix: 'Serve the token endpoint over HTTPS.',
  },
  tokenTypeMissing: { status: 'fail', text: 'the token response has no token_type: it must say Bearer (RFC 6749 §5.1)', fix: 'Send "token_type": "Bearer" in the token response.' },
  tokenTypeWrong: { status: 'fail', text: 'token_type is {value}, not Bearer', fix: 'Send "token_type": "Bearer" in the token response.' },
  tokenCacheable: {
    status: 'fail',
    text: 'the token response lacks "Cache-Control: no-store" (RFC 6749 §5.1): a proxy could keep the token',
    fix: 'Send `Cache-Control: no-store` on token responses.',
  },
  expiresInMissing: {
    status: 'fail',
    text: 'the token response has no expires_in: access tokens must expire, and clients must know when',
    fix: 'Issue expiring access tokens and say when in expires_in.',
  },
  expiresInNotInteger: { status: 'fail', text: 'expires_in is {value}, not a whole number of seconds', fix: 'Send expires_in as a whole number of seconds.' },
  expiresInTooLong: {
    status: 'fail',
    text: 'expires_in is {expiresIn} s, longer than {max} s: a leaked token stays useful too long',
    fix: 'Shorten the access token lifetime (or raise maxLifetimeSeconds if the team accepts it).',
  },
  expiresInDead: { status: 'fail', text: 'expires_in is {expiresIn}: the token is dead on arrival', fix: 'Issue tokens with a positive lifetime.' },
  expNone: { status: 'fail', text: 'the access token has no exp claim: it never expires', fix: 'Put an exp claim in JWT access tokens (RFC 9068 §2.2).' },
  expNotTime: { status: 'fail', text: "the access token's exp claim is {exp}, not a time in seconds", fix: 'Write exp as seconds since the epoch (RFC 7519 §4.1.4).' },
  expPast: { status: 'fail', text: 'the access token expired at {at}', fix: "Check the authorization server's clock and token lifetime." },
  expMismatch: {
    status: 'fail',
    text: "the token's exp is {away} s away but expires_in says {expiresIn} s",
    fix: 'Make expires_in and the exp claim agree (and the server clock right).',
  },

  // jwt (RFC 9068, RFC 8725).
  jwksMissing: {
    status: 'fail',
    text: 'the access token is a JWT but there is no JWK Set to verify it: give jwksUrl or publish jwks_uri',
    fix: 'Publish jwks_uri in the metadata, or give jwksUrl.',
  },
  jwksNotASet: { status: 'fail', text: '{url} answered {answered}, not a JWK Set ("keys")', fix: 'Serve the JWK Set (`{"keys": [...]}`) at jwks_uri.' },
  jwtUnsigned: {
    status: 'fail',
    text: 'the access token is unsigned (alg "none"): sign it with a public-key algorithm (RS256, ES256, EdDSA)',
    fix: 'Sign access tokens with a public-key algorithm.',
  },
  jwtSymmetric: {
    status: 'fail',
    text: 'the access token is signed with {alg}, not a public-key algorithm: an HMAC key shared with every resource server lets each of them forge tokens (RFC 8725 §3.1)',
    fix: 'Sign access tokens with a public-key algorithm (RS256, ES256, EdDSA) and publish the public key in the JWKS.',
  },
  jwtSignature: {
    status: 'fail',
    text: "the access token's signature does not verify: {why} ({kid})",
    fix: 'Sign with a key the JWKS publishes, under the kid and alg the token header names.',
  },
  signatureNoKey: { status: 'fail', text: 'no key in the JWKS matches the token’s kid and alg', fix: 'Publish the signing key in the JWKS under the token’s kid.' },
  signatureMismatch: { status: 'fail', text: 'the signature does not verify against the JWKS key with that kid', fix: 'Sign with the private key of the JWKS key that carries that kid.' },
  signatureAlg: { status: 'fail', text: 'the token is not signed with a public-key algorithm', fix: 'Sign access tokens with a public-key algorithm.' },
  jwtIssMissing: { status: 'fail', text: 'the access token has no iss claim: it must name the issuer {issuer}', fix: 'Put the issuer identifier in the iss claim.' },
  jwtIssWrong: { status: 'fail', text: "the access token's iss is {iss}, not the issuer {issuer}", fix: 'Put the issuer identifier itself in the iss claim.' },
  jwtAudMissingNamed: { status: 'fail', text: 'the access token has no aud claim: it must name {audience}', fix: 'Put the audience or resource requested in the aud claim.' },
  jwtAudWrong: {
    status: 'fail',
    text: "the access token's aud {aud} does not name {audience}: a token for one API must not open another",
    fix: 'Put the audience or resource requested in the aud claim.',
  },
  jwtAudMissing: {
    status: 'fail',
    text: 'the access token has no aud claim: a resource server cannot tell whether the token is meant for it (RFC 9068 §2.2)',
    fix: 'Put the API the token is for in the aud claim.',
  },

  // Probes that must be refused (RFC 6749 §5.2) and their effects.
  probeUnreachable: {
    status: 'fail',
    text: '{what}: {cause}',
    fix: 'Make the endpoint reachable from where payready runs (the cause quotes the network error).',
  },
  refusalStatus: {
    status: 'fail',
    text: '{what} got {got}: it must be refused with {statuses} {code}',
    fix: 'Refuse the request with the RFC 6749 §5.2 error the message names.',
  },
  refusalCode: {
    status: 'fail',
    text: '{what} got {got}: the body must carry "error": "{code}" (RFC 6749 §5.2)',
    fix: 'Put the RFC 6749 §5.2 error code in the "error" member of the JSON body.',
  },
  scopeDenied: { status: 'fail', text: 'a scope the client lacks ("{scope}")', fix: 'Refuse scopes the client does not own.' },
  scopeUnadvertised: { status: 'fail', text: 'a scope the server does not advertise ("{scope}")', fix: 'Refuse or leave out scopes the server does not know.' },
  scopeNeedsDeniedScope: {
    status: ['pass', 'warn', 'fail'],
    text: 'the scope probe needs deniedScope (a scope this client lacks): {why}, so payready cannot pick a scope name the server surely does not know',
    fix: 'Set `deniedScope:` to a scope the server knows and this client may not have, or publish `scopes_supported` in the server metadata.',
  },
  scopeNotRefused: {
    status: 'fail',
    text: '{what} got {answered}: it must be refused with 400 invalid_scope (RFC 6749 §5.2) or left out of the token (§3.3)',
    fix: 'Refuse scopes the client cannot have with 400 invalid_scope, or leave them out of the token.',
  },
  scopeGranted: {
    status: 'fail',
    text: '{what} got 200 and a token that carries it (according to {from}): it must be refused with 400 invalid_scope (RFC 6749 §5.2) or left out of the token (§3.3)',
    fix: 'Refuse scopes the client cannot have with 400 invalid_scope, or leave them out of the token.',
  },
  scopeUnknown: {
    status: 'warn',
    text: '{what} got a token without "scope" in the response, and neither the token itself nor introspection shows which scopes it carries (RFC 6749 §5.1 requires "scope" when the grant differs from the request): give deniedScope to prove scopes are enforced',
    fix: 'Return "scope" in token responses whose scope differs from the request, or give deniedScope.',
  },
  scopeAuthorizationError: {
    status: 'fail',
    text: '{what} got {error}{description} from the authorization endpoint: it must be refused with invalid_scope (RFC 6749 §4.1.2.1)',
    fix: 'Refuse scopes the client cannot have with invalid_scope at the authorization endpoint.',
  },
  scopeNeedsPerson: { status: 'fail', text: 'the scope probe needs a person to sign in', fix: 'Run the check from a terminal, or give deniedScope with flow: client_credentials.' },
  pkceNotAdvertised: {
    status: 'fail',
    text: 'the metadata does not list S256 in code_challenge_methods_supported',
    fix: 'Support PKCE S256 and list it in code_challenge_methods_supported.',
  },
  pkceNoCode: {
    status: 'fail',
    text: 'could not get an authorization code for the PKCE probe: {why}',
    fix: 'Let the check obtain authorization codes (the message says what stopped it).',
  },

  // resource (RFC 6750).
  resourceRefusesValid: {
    status: 'fail',
    text: 'a valid access token was refused by {at} ({status}): the token must open the API it was issued for',
    fix: 'Accept the tokens the authorization server issues for this API (check audience and scope), or give a resourceUrl the token may open.',
  },
  resourceNoTokenStatus: { status: 'fail', text: '{at} answered {status} to a request without a token: it must be 401', fix: 'Answer 401 to API requests without a token.' },
  resourceNoChallenge: {
    status: 'fail',
    text: '{at} refused a request without a token but sent no "WWW-Authenticate: Bearer" challenge (RFC 6750 §3)',
    fix: 'Send `WWW-Authenticate: Bearer` with 401 answers.',
  },
  resourceAcceptsBad: { status: 'fail', text: '{at} answered {status} to {which}: it must be 401', fix: 'Verify every token (signature, expiry) and answer 401 to one that fails.' },
  resourceNoInvalidToken: {
    status: 'fail',
    text: '{at} refused the {label} without "WWW-Authenticate: Bearer error=\\"invalid_token\\"" (RFC 6750 §3.1)',
    fix: 'Send `WWW-Authenticate: Bearer error="invalid_token"` when refusing a bad token.',
  },

  // introspection (RFC 7662) and revocation (RFC 7009).
  shortLifetimes: { status: 'warn', text: 'rely on short token lifetimes instead{lifetime}', fix: 'Keep access tokens short-lived.' },
  introspectionUnsupported: {
    status: 'warn',
    text: 'introspection does not support {kind}: it answered {answered}, so resource servers must verify them locally and cannot learn of a revocation: {instead}',
    fix: 'Keep access tokens short-lived, or issue opaque tokens the server can introspect.',
  },
  introspectionUnknowing: {
    status: 'warn',
    text: 'introspection does not know {kind}: it answered {answered} for a fresh one, so resource servers must verify them locally and cannot learn of a revocation: {instead}',
    fix: 'Keep access tokens short-lived, or issue opaque tokens the server can introspect.',
  },
  introspectionStatus: { status: 'fail', text: 'introspection of a fresh token answered {answered}: it must be 200 (RFC 7662 §2.2)', fix: 'Answer introspection requests with 200 and a JSON body.' },
  introspectionInactive: {
    status: 'fail',
    text: 'introspection of a fresh token answered {answered}: it must say "active": true (RFC 7662 §2.2)',
    fix: 'Report tokens the server issued as "active": true until they expire or are revoked.',
  },
  introspectionUnknownActive: {
    status: 'fail',
    text: 'introspection of a made-up token answered {answered}: it must be 200 { "active": false } (RFC 7662 §2.2)',
    fix: 'Answer 200 {"active": false} for tokens the server does not know.',
  },
  revocationUnsupported: {
    status: 'warn',
    text: 'revocation does not support {kind}: it answered {answered}, so a leaked one stays valid until it expires: {instead}',
    fix: 'Keep access tokens short-lived, or issue opaque tokens the server can revoke.',
  },
  revocationStatus: { status: 'fail', text: 'the revocation endpoint answered {answered}: it must be 200 (RFC 7009 §2.2)', fix: 'Answer revocation requests with 200.' },
  revokedStillActive: {
    status: 'fail',
    text: 'a revoked token is still active according to introspection ("active": true): revocation must take effect at once (RFC 7009 §2)',
    fix: 'Make revocation take effect at once: introspection must report a revoked token inactive.',
  },
  revokedIntrospection: {
    status: 'fail',
    text: 'introspecting the revoked token answered {answered}: it must be 200 with "active": false (RFC 7662 §2.2)',
    fix: 'Answer 200 {"active": false} for a revoked token.',
  },
  revokedAccepted: {
    status: 'fail',
    text: 'GET {path} still accepts a revoked token ({status}): it must answer 401 invalid_token',
    fix: 'Make the API check revocation (introspection or a revocation list) and refuse revoked tokens.',
  },
  revokedNoInvalidToken: {
    status: 'fail',
    text: 'GET {path} refused the revoked token without "WWW-Authenticate: Bearer error=\\"invalid_token\\"" (RFC 6750 §3.1)',
    fix: 'Send `WWW-Authenticate: Bearer error="invalid_token"` when refusing a revoked token.',
  },
  revocationUnseen: {
    status: 'warn',
    text: 'revocation answered 200 but nothing shows the revoked token stopped working: {unseen}; give resourceUrl to prove the API refuses a revoked token, and until then {instead}',
    fix: 'Give resourceUrl so the check can show the API refuses a revoked token.',
  },
  unseenInactive: { status: 'warn', text: 'introspection did not report the token active before it either ({answered})', fix: 'Give resourceUrl.' },
  unseenUnreachable: { status: 'warn', text: 'introspection could not be asked about it ({cause})', fix: 'Give resourceUrl.' },
  revocationUnobservable: {
    status: 'fail',
    text: 'revocation answered, but nothing can show it took effect: give resourceUrl or an introspection endpoint',
    fix: 'Give resourceUrl or an introspection endpoint.',
  },
  secondTokenRefused: {
    status: 'fail',
    text: 'could not obtain a second token to revoke: the token endpoint answered {answered}',
    fix: 'Let the client obtain more than one token.',
  },
  secondTokenFailed: { status: 'fail', text: 'could not obtain a second token to revoke: {why}', fix: 'Let the client obtain more than one token.' },

  // refresh (OAuth 2.0 Security BCP §4.14).
  refreshUnreachable: {
    status: ['error', 'fail'],
    text: 'refreshing: {cause}',
    fix: 'Make the token endpoint reachable from where payready runs (the cause quotes the network error).',
  },
  refreshStatus: {
    status: 'fail',
    text: 'refreshing with a fresh refresh token answered {status}{error}: it must issue new tokens',
    fix: 'Issue new tokens for a valid refresh token.',
  },
  refreshNoAccessToken: { status: 'fail', text: 'the refresh response has no access_token', fix: 'Put the new access_token in the refresh response.' },
  refreshSame: { status: 'fail', text: 'the refresh response returned the same refresh token: rotate it on every use', fix: 'Rotate refresh tokens: issue a new one on every use and refuse the old one.' },
  refreshNotRotated: {
    status: 'fail',
    text: 'the refresh response has no new refresh_token: rotate refresh tokens on every use (OAuth 2.0 Security BCP §4.14.2)',
    fix: 'Rotate refresh tokens: issue a new one on every use and refuse the old one.',
  },
} as const satisfies Messages;
