import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, errors, exportJWK, generateKeyPair, jwtVerify, type CryptoKey, type JWK } from 'jose';

const ALGORITHM = 'ES256';
// RFC 9068 media type of JWT access tokens, so a token cannot be confused with an ID token.
const ACCESS_TOKEN_TYP = 'at+jwt';

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
  /** Lifetime in seconds (the `expires_in` of the token response). */
  expiresIn: number;
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
}

/** Why a presented token was refused; `message` is safe to show (it never quotes the token). */
export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Generates the ES256 signing key and its public JWK (kid = RFC 7638 thumbprint). */
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
}

/** Issues and verifies the sandbox's JWT access tokens (RFC 9068 profile). */
export class TokenIssuer {
  constructor(
    private readonly key: SigningKey,
    /** Issuer, audience and lifetime. */
    readonly options: TokenIssuerOptions,
  ) {}

  /** The JWK Set to serve at the `jwks_uri`. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.key.publicJwk] };
  }

  async issue(clientId: string, scopes: readonly string[]): Promise<IssuedToken> {
    const { issuer, audience, ttlSeconds } = this.options;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await new SignJWT({ scope: scopes.join(' '), client_id: clientId })
      .setProtectedHeader({ alg: ALGORITHM, typ: ACCESS_TOKEN_TYP, kid: this.key.publicJwk.kid })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key.privateKey);
    return { accessToken, expiresIn: ttlSeconds, scopes };
  }

  /** Verifies signature, type, issuer, audience and expiry; throws `InvalidTokenError`. */
  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.key.publicKey, {
        algorithms: [ALGORITHM],
        typ: ACCESS_TOKEN_TYP,
        issuer: this.options.issuer,
        audience: this.options.audience,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
      return {
        clientId: payload.sub ?? '',
        scopes: scope.split(' ').filter((s) => s !== ''),
        tokenId: payload.jti ?? '',
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new InvalidTokenError('The access token has expired; request a new one from the token endpoint.');
      }
      if (error instanceof errors.JWTClaimValidationFailed) {
        throw new InvalidTokenError(`The access token was not issued for this API (${error.claim} claim).`);
      }
      throw new InvalidTokenError('The access token is malformed or its signature does not verify.');
    }
  }
}
