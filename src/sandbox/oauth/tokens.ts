import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, errors, exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK, type JWTPayload } from 'jose';

const ALGORITHM = 'ES256';
// RFC 9068 media type of JWT access tokens, so a token cannot be confused with an ID token.
const ACCESS_TOKEN_TYP = 'at+jwt';
// Revoked token ids are kept until the token would have expired anyway; bounded against floods.
const MAX_REVOKED = 100_000;
/** Access tokens whose signature verified, kept by their text (see TokenIssuer.verify). */
const MAX_VERIFIED = 1_000;

/** The key access tokens are signed with, generated at start and never written anywhere. */
export interface SigningKey {
  /** Private half (signs tokens). */
  privateKey: CryptoKey;
  /** Public half (verifies tokens presented to the resource server). */
  publicKey: CryptoKey;
  /** Public JWK as served in the JWKS, with `kid`, `alg` and `use`. */
  publicJwk: JWK;
}

/** An access token as issued. */
export interface IssuedToken {
  /** The compact JWT. */
  accessToken: string;
  /** Lifetime in seconds (the `expires_in` of the token response); undefined when the token never expires. */
  expiresIn: number | undefined;
  /** Granted scopes. */
  scopes: readonly string[];
}

/** What a valid access token proves about its bearer. */
export interface VerifiedToken {
  /** Client the token was issued to. */
  clientId: string;
  /** Granted scopes. */
  scopes: readonly string[];
  /** Unique token id (`jti`). */
  tokenId: string;
  /** The verified claims (for introspection). */
  claims: JWTPayload;
}

/** Why a presented token was refused; `message` is safe to show (it never quotes the token). */
const EXPIRED = 'The access token has expired; request a new one from the token endpoint.';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Generates an ES256 signing key and its public JWK (kid = RFC 7638 thumbprint). */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, publicJwk: { ...jwk, kid, alg: ALGORITHM, use: 'sig' } };
}

/** Where tokens come from and who they are for. */
export interface TokenIssuerOptions {
  /** `iss` claim: the authorization server's issuer identifier (its base URL). */
  issuer: string;
  /** `aud` claim: the resource server the tokens are meant for. */
  audience: string;
  /** Lifetime of an access token in seconds. */
  ttlSeconds: number;
  /** Fault `token-never-expires`: no `exp` claim, no `expires_in`, and tokens without `exp` are accepted. */
  neverExpires?: boolean;
  /**
   * Fault `jwt-bad-signature`: the JWKS publishes this other key under the signing key's `kid`,
   * so nobody verifying through the JWKS can check a token (the sandbox's own API still can).
   */
  decoyKey?: SigningKey;
}

/** Options of one issued token. */
export interface IssueOptions {
  /** `sub` claim: the end user for authorization_code tokens; default the client id. */
  subject?: string;
  /** Issue time in seconds since the epoch (default now); a past value mints an already-expired token. */
  issuedAt?: number;
  /** Lifetime override in seconds (the sandbox's expired test token). */
  ttlSeconds?: number;
}

/** Issues, verifies and revokes the sandbox's JWT access tokens (RFC 9068 profile). */
export class TokenIssuer {
  private readonly revoked = new Map<string, number>();
  /**
   * Tokens that passed jwtVerify, by their exact text, with their claims. A client sends the same
   * token with every call (a load phase, hundreds a second), and its signature, type, issuer and
   * audience cannot change: only the time (expiry) and revocation can, and both are checked on
   * every call. An ECDSA verification through WebCrypto was the sandbox's largest cost per API call.
   */
  private readonly verified = new Map<string, JWTPayload>();

  constructor(
    private readonly key: SigningKey,
    /** Issuer, audience, lifetime and faults. */
    readonly options: TokenIssuerOptions,
  ) {}

  /** The JWK Set to serve at the `jwks_uri`. */
  jwks(): { keys: JWK[] } {
    const decoy = this.options.decoyKey;
    if (decoy) return { keys: [{ ...decoy.publicJwk, kid: this.key.publicJwk.kid }] };
    return { keys: [this.key.publicJwk] };
  }

  async issue(clientId: string, scopes: readonly string[], options: IssueOptions = {}): Promise<IssuedToken> {
    const { issuer, audience } = this.options;
    const ttl = options.ttlSeconds ?? this.options.ttlSeconds;
    const now = options.issuedAt ?? Math.floor(Date.now() / 1000);
    // An explicit lifetime (the expired test token) is honoured even under `token-never-expires`.
    const expires = !this.options.neverExpires || options.ttlSeconds !== undefined;
    const jwt = new SignJWT({ scope: scopes.join(' '), client_id: clientId })
      .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYP, kid: this.key.publicJwk.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(options.subject ?? clientId)
      .setIssuedAt(now)
      .setJti(randomUUID());
    if (expires) jwt.setExpirationTime(now + ttl);
    const accessToken = await jwt.sign(this.key.privateKey);
    return { accessToken, expiresIn: expires ? ttl : undefined, scopes };
  }

  /** Verifies signature, type, issuer, audience, expiry and revocation; throws `InvalidTokenError`. */
  async verify(token: string): Promise<VerifiedToken> {
    let payload = this.verified.get(token);
    if (payload === undefined) payload = await this.verifyJwt(token);
    // RFC 7519 4.1.4: "the current date/time MUST be before the expiration date/time listed in the
    // "exp" claim" (jose's own test: exp <= now is expired).
    else if (payload.exp !== undefined && payload.exp <= Math.floor(Date.now() / 1000)) {
      this.verified.delete(token);
      throw new InvalidTokenError(EXPIRED);
    }
    if (payload.jti !== undefined && this.revoked.has(payload.jti)) {
      throw new InvalidTokenError('The access token has been revoked; request a new one from the token endpoint.');
    }
    const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
    const clientId = typeof payload['client_id'] === 'string' ? payload['client_id'] : (payload.sub ?? '');
    return { clientId, scopes: scope.split(' ').filter((s) => s !== ''), tokenId: payload.jti ?? '', claims: payload };
  }

  /** Signature, type, issuer, audience and expiry by jose; remembers the claims of a token that passed. */
  private async verifyJwt(token: string): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key.publicKey, {
        algorithms: [ALGORITHM],
        typ: ACCESS_TOKEN_TYP,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: this.options.neverExpires ? ['iat', 'sub', 'jti'] : ['exp', 'iat', 'sub', 'jti'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new InvalidTokenError(EXPIRED);
      }
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw new InvalidTokenError(`The access token was not issued for this API (${error.claim} claim).`);
      }
      throw new InvalidTokenError('The access token is malformed or its signature does not verify.');
    }
    if (this.verified.size >= MAX_VERIFIED) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, payload);
    return payload;
  }

  /** Revokes a verified token until it would have expired (RFC 7009). */
  revoke(token: VerifiedToken): void {
    const now = Math.floor(Date.now() / 1000);
    for (const [jti, exp] of this.revoked) if (exp < now) this.revoked.delete(jti);
    if (this.revoked.size >= MAX_REVOKED) {
      const oldest = this.revoked.keys().next();
      if (!oldest.done) this.revoked.delete(oldest.value);
    }
    this.revoked.set(token.tokenId, token.claims.exp ?? Number.MAX_SAFE_INTEGER);
  }
}
