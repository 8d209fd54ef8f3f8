import type { KeyObject } from 'node:crypto';
import { MANIFEST, PUBLIC_KEY, SIGNATURE, sha256, type Manifest } from './bundle.js';
import { KeyError, fingerprint, publicKeyFromPem, verifyBytes } from './sign.js';
import { readTarGz, unsafePath } from './tar.js';
import { plural } from '../text.js';

/** One thing wrong with a bundle, naming the file. */
export interface BundleProblem {
  /** What happened to the file. */
  kind: 'added' | 'missing' | 'changed' | 'refused' | 'signature';
  /** The file (path inside the bundle). */
  file: string;
  /** The detail, in words. */
  detail: string;
}

/** What `payready verify` found. */
export interface Verification {
  /** True when every hash and the signature check out. */
  ok: boolean;
  /** Everything wrong, one entry per file. */
  problems: BundleProblem[];
  /** The manifest, when it could be read (even if it does not verify). */
  manifest?: Manifest;
  /** Files checked against the manifest. */
  checked: number;
  /** Fingerprint (SHA-256 of the DER public key) of the key the signature was checked with. */
  keySha256?: string;
  /** `given`: checked against --pubkey (proves who signed); `embedded`: the key inside the bundle (integrity only). */
  keySource: 'given' | 'embedded';
}

/**
 * Verifies a bundle offline: the Ed25519 signature of `manifest.json` (with `publicKeyPem` when
 * given, else the key inside the bundle), then every file against the manifest's SHA-256 and
 * size. Names each file added, missing or changed; refuses absolute paths, `..` and links.
 */
export async function verifyBundle(bytes: Buffer, options: { publicKeyPem?: string | Buffer } = {}): Promise<Verification> {
  const given = options.publicKeyPem !== undefined ? publicKeyFromPem(options.publicKeyPem) : undefined;
  const keySource = given ? 'given' : 'embedded';
  let archive: Awaited<ReturnType<typeof readTarGz>>;
  try {
    archive = await readTarGz(bytes);
  } catch (err) {
    return { ok: false, problems: [{ kind: 'changed', file: '(bundle)', detail: (err as Error).message }], checked: 0, keySource };
  }
  const problems: BundleProblem[] = archive.refused.map((r) => ({ kind: 'refused', file: r.path, detail: r.reason }));
  const files = new Map(archive.files.map((f) => [f.path, f.data]));

  const manifestBytes = files.get(MANIFEST);
  const signature = files.get(SIGNATURE);
  const embeddedPem = files.get(PUBLIC_KEY);
  for (const [name, data] of [[MANIFEST, manifestBytes], [SIGNATURE, signature]] as const) {
    if (!data) problems.push({ kind: 'missing', file: name, detail: 'required to verify the bundle' });
  }
  if (!embeddedPem && !given) problems.push({ kind: 'missing', file: PUBLIC_KEY, detail: 'no public key in the bundle (pass --pubkey)' });

  let embedded: KeyObject | undefined;
  if (embeddedPem) {
    try {
      embedded = publicKeyFromPem(embeddedPem);
    } catch (err) {
      problems.push({ kind: 'changed', file: PUBLIC_KEY, detail: `unreadable: ${err instanceof KeyError ? err.message : 'not a key'}` });
    }
  }
  const key = given ?? embedded;
  let manifest: Manifest | undefined;
  if (manifestBytes) {
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
      if (manifest?.format !== 'payready-evidence' || !Array.isArray(manifest.files)) throw new Error('not a payready manifest');
    } catch {
      manifest = undefined;
      problems.push({ kind: 'changed', file: MANIFEST, detail: 'not a readable payready manifest' });
    }
  }

  if (manifestBytes && signature && key) {
    const valid = verifyBytes(manifestBytes, signature, key);
    if (!valid) {
      const recorded = manifest?.signature?.publicKeySha256;
      if (given && embedded && fingerprint(given) !== fingerprint(embedded)) {
        problems.push({ kind: 'signature', file: PUBLIC_KEY, detail: 'the bundle was signed with a different key than --pubkey' });
      } else if (!given && embedded && recorded && recorded !== fingerprint(embedded)) {
        problems.push({ kind: 'signature', file: `${PUBLIC_KEY} or ${MANIFEST}`, detail: 'the signature does not verify, and the key is not the one the manifest records: one of them was changed' });
      } else {
        problems.push({ kind: 'signature', file: `${MANIFEST} or ${SIGNATURE}`, detail: 'the signature does not match the manifest: one of them was changed' });
      }
    } else if (given && embedded && fingerprint(given) !== fingerprint(embedded)) {
      problems.push({ kind: 'changed', file: PUBLIC_KEY, detail: 'differs from --pubkey, which the signature matches' });
    } else if (manifest && manifest.signature?.publicKeySha256 !== fingerprint(key)) {
      problems.push({ kind: 'changed', file: MANIFEST, detail: 'records another public key than the one that signed it' });
    }
  }

  let checked = 0;
  if (manifest) {
    const listed = new Set<string>([MANIFEST, SIGNATURE, PUBLIC_KEY]);
    for (const entry of manifest.files) {
      const path = String(entry?.path ?? '');
      const unsafe = unsafePath(path);
      if (unsafe) {
        problems.push({ kind: 'refused', file: path, detail: `listed in the manifest with an unsafe path (${unsafe})` });
        continue;
      }
      listed.add(path);
      const data = files.get(path);
      if (!data) {
        if (!archive.refused.some((r) => r.path === path)) problems.push({ kind: 'missing', file: path, detail: 'listed in the manifest but not in the bundle' });
        continue;
      }
      checked += 1;
      const actual = sha256(data);
      if (actual !== entry.sha256 || data.length !== entry.bytes) {
        problems.push({ kind: 'changed', file: path, detail: `sha256 ${actual.slice(0, 16)}... (${plural(data.length, 'byte')}), manifest says ${String(entry.sha256).slice(0, 16)}... (${plural(Number(entry.bytes), 'byte')})` });
      }
    }
    for (const path of files.keys()) {
      if (!listed.has(path)) problems.push({ kind: 'added', file: path, detail: 'not listed in the manifest' });
    }
  }
  return { ok: problems.length === 0, problems, ...(manifest ? { manifest } : {}), checked, ...(key ? { keySha256: fingerprint(key) } : {}), keySource };
}
