import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** Lifetime of an authorization code: RFC 6749 §4.1.2 recommends at most 10 minutes; one is plenty. */
const CODE_TTL_SECONDS = 60;
/** Lifetime of a refresh token. */
const REFRESH_TTL_SECONDS = 30 * 24 * 3600;
// Bounded, like the payment store: a long test cannot exhaust memory.
const MAX_ENTRIES = 50_000;

/** What an authorization code stands for until it is redeemed. */
export interface AuthorizationCode {
  /** Client the code was issued to. */
  clientId: string;
  /** The exact redirect_uri of the authorization request (RFC 6749 §4.1.3 requires the same at the token endpoint). */
  redirectUri: string;
  /** PKCE `code_challenge` (RFC 7636), S256 only. */
  codeChallenge: string;
  /** Scopes the user approved. */
  scopes: readonly string[];
  /** The approving user (`sub` of the tokens). */
  userId: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  /** Family of refresh tokens issued from this code, once redeemed (revoked if the code is replayed). */
  family?: string;
}

/** A refresh token's grant. */
export interface RefreshGrant {
  /** Client the token was issued to. */
  clientId: string;
  /** Scopes of the original grant (a refresh may narrow them, never widen). */
  scopes: readonly string[];
  /** The user. */
  userId: string;
  /** Rotation family: every token descended from one authorization code. */
  family: string;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
}

/** Why a refresh token was refused (RFC 6749 `invalid_grant` in every case; the detail differs). */
export type RefreshRefusal = 'unknown' | 'expired' | 'reused' | 'revoked' | 'wrong-client';

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function bounded<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  const computed = Buffer.from(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

/**
 * Authorization codes (single use) and refresh tokens (rotated on every use, OAuth 2.0 Security
 * BCP §4.14.2: presenting a rotated-out token again revokes its whole family).
 */
export class GrantStore {
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly usedCodes = new Map<string, string | undefined>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly rotated = new Map<string, string>();
  private readonly revokedFamilies = new Set<string>();

  /** Stores a new code and returns it. */
  issueCode(grant: Omit<AuthorizationCode, 'expiresAt' | 'family'>): string {
    const code = randomBytes(24).toString('base64url');
    bounded(this.codes, code, { ...grant, expiresAt: now() + CODE_TTL_SECONDS });
    return code;
  }

  /**
   * Redeems a code once. A replayed code returns 'replayed' and revokes the refresh tokens it
   * produced (RFC 6749 §4.1.2).
   */
  redeemCode(code: string): AuthorizationCode | 'unknown' | 'expired' | 'replayed' {
    const grant = this.codes.get(code);
    if (!grant) {
      if (!this.usedCodes.has(code)) return 'unknown';
      const family = this.usedCodes.get(code);
      if (family) this.revokedFamilies.add(family);
      return 'replayed';
    }
    this.codes.delete(code);
    if (grant.expiresAt < now()) return 'expired';
    const family = randomUUID();
    bounded(this.usedCodes, code, family);
    return { ...grant, family };
  }

  /** A new refresh token in `family`. */
  issueRefresh(grant: Omit<RefreshGrant, 'expiresAt'>): string {
    const token = `rt_${randomBytes(32).toString('base64url')}`;
    bounded(this.refresh, token, { ...grant, expiresAt: now() + REFRESH_TTL_SECONDS });
    return token;
  }

  /** Takes a refresh token for rotation: it stops working, whatever the outcome of the request. */
  useRefresh(token: string, clientId: string): RefreshGrant | RefreshRefusal {
    const grant = this.refresh.get(token);
    if (!grant) {
      const family = this.rotated.get(token);
      if (family === undefined) return 'unknown';
      // A rotated-out token came back: someone holds a copy, so the whole family goes.
      this.revokedFamilies.add(family);
      return 'reused';
    }
    if (grant.clientId !== clientId) return 'wrong-client';
    this.refresh.delete(token);
    bounded(this.rotated, token, grant.family);
    if (this.revokedFamilies.has(grant.family)) return 'revoked';
    if (grant.expiresAt < now()) return 'expired';
    return grant;
  }

  /** The live grant of a refresh token (introspection), without using it. */
  peekRefresh(token: string): RefreshGrant | undefined {
    const grant = this.refresh.get(token);
    if (!grant || this.revokedFamilies.has(grant.family) || grant.expiresAt < now()) return undefined;
    return grant;
  }

  /** Revokes a refresh token and its family (RFC 7009 §2.1); false when it is not the client's. */
  revokeRefresh(token: string, clientId: string): boolean {
    const grant = this.refresh.get(token);
    if (!grant || grant.clientId !== clientId) return false;
    this.refresh.delete(token);
    this.revokedFamilies.add(grant.family);
    return true;
  }
}
