import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** A key that signs an evidence bundle. */
export interface SigningKey {
  /** The Ed25519 private key. */
  privateKey: KeyObject;
  /** `provided`: the team's key (`--sign-key`), which proves origin; `ephemeral`: made for this run, integrity only. */
  kind: 'provided' | 'ephemeral';
}

/** Why a key could not be used, in words. */
export class KeyError extends Error {
  override readonly name = 'KeyError';
}

/** A fresh Ed25519 key for one bundle; its public half travels inside the bundle. */
export function ephemeralKey(): SigningKey {
  return { privateKey: generateKeyPairSync('ed25519').privateKey, kind: 'ephemeral' };
}

/** The team's Ed25519 private key from PEM text (optionally encrypted with `passphrase`). */
export function privateKeyFromPem(pem: string | Buffer, passphrase?: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem', ...(passphrase !== undefined ? { passphrase } : {}) });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (/PASSPHRASE|BAD_DECRYPT/i.test(`${code} ${(err as Error).message}`)) throw new KeyError('the signing key is encrypted: set PAYREADY_SIGN_KEY_PASSPHRASE, or use an unencrypted key');
    throw new KeyError('the signing key is not a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`the signing key is ${key.asymmetricKeyType ? `an ${key.asymmetricKeyType.toUpperCase()} key` : 'of an unknown type'}, not Ed25519; create one with: openssl genpkey -algorithm ed25519 -out payready-sign.pem`);
  return { privateKey: key, kind: 'provided' };
}

/** An Ed25519 public key from PEM text (a private key PEM gives its public half). */
export function publicKeyFromPem(pem: string | Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new KeyError('not a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new KeyError(`the public key is ${key.asymmetricKeyType ? `an ${key.asymmetricKeyType.toUpperCase()} key` : 'of an unknown type'}, not Ed25519`);
  return key;
}

/** The public key as SPKI PEM (what `public-key.pem` in a bundle holds). */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
}

/** SHA-256 (hex) of the public key's DER encoding: the key's fingerprint. */
export function fingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The raw 64-byte Ed25519 signature of `data` (what `openssl pkeyutl -sign -rawin` makes). */
export function signBytes(data: Buffer, key: KeyObject): Buffer {
  return sign(null, data, key);
}

/** Whether `signature` is a valid Ed25519 signature of `data` by `key`. */
export function verifyBytes(data: Buffer, signature: Buffer, key: KeyObject): boolean {
  try {
    return verify(null, data, key, signature);
  } catch {
    return false;
  }
}
