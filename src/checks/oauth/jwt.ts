import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, type JSONWebKeySet, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { assertion, show } from '../../model/operators.js';
import type { Assertion } from '../../model/outcome.js';
import { messenger } from '../shared/messages.js';
import { messages } from './messages.js';

const say = messenger(messages);

// Public-key algorithms only: a token signed with HMAC could be "verified" with the public key as
// the HMAC secret by a careless resource server (algorithm confusion), and `none` is unsigned.
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
// Largest time a Date can hold, in seconds (ECMAScript: 8.64e15 ms).
const MAX_EPOCH_SECONDS = 8.64e12;
// Clock skew tolerated on exp/iat/nbf.
const SKEW_SECONDS = 60;

/** The decoded parts of a JWT access token, or undefined when the token is opaque. */
export interface DecodedJwt {
  /** Protected header. */
  header: ProtectedHeaderParameters;
  /** Claims (not yet verified). */
  claims: JWTPayload;
}

/** Decodes a compact JWS without verifying it; undefined for an opaque token. */
export function decodeJwtToken(token: string): DecodedJwt | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return { header: decodeProtectedHeader(token), claims: decodeJwt(token) };
  } catch {
    return undefined;
  }
}

/** What the verification of a JWT access token expects. */
export interface JwtExpectations {
  /** Required `iss`, when the issuer is known. */
  issuer?: string;
  /** Required member of `aud`, when an audience or resource is configured. */
  audience?: string;
}

/** Why the signature did not verify, in words. */
function signatureFailure(error: unknown): string {
  if (error instanceof errors.JWKSNoMatchingKey) return say.text('signatureNoKey');
  if (error instanceof errors.JWSSignatureVerificationFailed) return say.text('signatureMismatch');
  if (error instanceof errors.JOSEAlgNotAllowed) return say.text('signatureAlg');
  if (error instanceof errors.JOSEError) return error.message;
  throw error;
}

/**
 * RFC 9068/8725 checks of a JWT access token, each its own assertion: a public-key `alg` (no
 * `none`, no HMAC), the signature against the JWKS, `iss` and `aud` (expiry is its own proof).
 */
export async function jwtAssertions(token: string, decoded: DecodedJwt, jwks: JSONWebKeySet, expect: JwtExpectations): Promise<Assertion[]> {
  const alg = decoded.header.alg;
  const out: Assertion[] = [
    assertion('jwt: alg', 'in', ASYMMETRIC, alg, alg === 'none' ? say.text('jwtUnsigned') : say.text('jwtSymmetric', { alg: alg === undefined ? 'no alg' : show(alg) })),
  ];
  let verified = 'verified';
  try {
    await compactVerify(token, createLocalJWKSet(jwks), { algorithms: ASYMMETRIC });
  } catch (error) {
    verified = signatureFailure(error);
  }
  out.push(assertion('jwt: signature', 'eq', 'verified', verified, say.text('jwtSignature', { why: verified, kid: decoded.header.kid === undefined ? 'no kid' : `kid ${show(decoded.header.kid)}` })));
  const { iss, aud } = decoded.claims;
  if (expect.issuer !== undefined) out.push(assertion('jwt: iss', 'eq', expect.issuer, iss, iss === undefined ? say.text('jwtIssMissing', { issuer: expect.issuer }) : say.text('jwtIssWrong', { iss: show(iss), issuer: expect.issuer })));
  const audiences = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
  out.push(
    expect.audience !== undefined
      ? assertion('jwt: aud', 'contains', expect.audience, audiences, aud === undefined ? say.text('jwtAudMissingNamed', { audience: expect.audience }) : say.text('jwtAudWrong', { aud: show(aud), audience: expect.audience }))
      : assertion('jwt: aud', 'exists', true, aud, say.text('jwtAudMissing')),
  );
  return out;
}

/** The token's `exp` must exist, lie ahead, and agree with `expires_in` (within the skew). */
export function jwtExpiryAssertions(decoded: DecodedJwt, expiresIn: unknown, now: number): Assertion[] {
  const { exp } = decoded.claims;
  const out = [
    assertion('expiry: jwt exp', 'gt', now - SKEW_SECONDS, exp, exp === undefined ? say.text('expNone') : typeof exp !== 'number' || !(Math.abs(exp) <= MAX_EPOCH_SECONDS) ? say.text('expNotTime', { exp: show(exp) }) : say.text('expPast', { at: new Date(exp * 1000).toISOString() })),
  ];
  if (typeof exp === 'number' && typeof expiresIn === 'number') {
    out.push(assertion('expiry: exp matches expires_in', 'le', SKEW_SECONDS, Math.abs(exp - now - expiresIn), say.text('expMismatch', { away: exp - now, expiresIn })));
  }
  return out;
}
