import { resolve } from 'node:path';
import type { SigningKey } from '../evidence/sign.js';
import { FILE_LIMITS, FileReadError, readRegularFile } from '../files.js';
import type { Io } from './io.js';
import { usageError } from './messages.js';

/**
 * The key that signs a bundle (`run`, `demo`, `merge`): the team's (`--sign-key`, decrypted with
 * $PAYREADY_SIGN_KEY_PASSPHRASE when encrypted), else one made for this bundle.
 */
export async function loadSigningKey(path: string | undefined, io: Io): Promise<SigningKey> {
  const { ephemeralKey, privateKeyFromPem, KeyError } = await import('../evidence/sign.js');
  if (!path) return ephemeralKey();
  let pem: Buffer;
  try {
    pem = await readRegularFile(resolve(io.cwd, path), FILE_LIMITS.key);
  } catch (err) {
    if (err instanceof FileReadError) throw usageError('signKeyUnreadable', { path, why: err.message });
    throw err;
  }
  try {
    return privateKeyFromPem(pem, io.env.PAYREADY_SIGN_KEY_PASSPHRASE);
  } catch (err) {
    if (err instanceof KeyError) throw usageError('signKeyInvalid', { path, why: err.message });
    throw err;
  }
}
