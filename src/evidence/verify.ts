import type { KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { MANIFEST, PUBLIC_KEY, SIGNATURE, type Manifest, type ShardProvenance } from './bundle.js';
import { KeyError, fingerprint, publicKeyFromPem, verifyBytes } from './sign.js';
import { scanTarGz, unsafePath, type ScanResult, type ScannedEntry } from './tar.js';
import { ajvFor } from '../schema/ajv.js';
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
  /** Every file's bytes by path, when asked for with `keepFiles` (what `payready merge` takes in from a shard bundle). */
  files?: ReadonlyMap<string, Buffer>;
}

/** The fixed files kept in memory, with their caps: nothing else of a bundle is held at once. */
const KEPT: Readonly<Record<string, number>> = { [MANIFEST]: 16 * 1024 * 1024, [SIGNATURE]: 1024, [PUBLIC_KEY]: 64 * 1024 };
/** Unlisted bytes a bundle may hold past what its manifest declares before reading stops (added files are still named). */
const UNDECLARED_SLACK = 1024 * 1024;

const text = { type: 'string' } as const;
const sha256Hex = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

/**
 * The shape `buildBundle` writes. A bundle is untrusted until verified: a manifest signed by
 * whoever re-signed it may lack fields or hold other types, and is then a bundle that fails
 * verification (naming the field), not a crash.
 */
const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['format', 'formatVersion', 'tool', 'suite', 'environment', 'startedAt', 'finishedAt', 'host', 'verdict', 'incomplete', 'signature', 'files'],
  properties: {
    format: { const: 'payready-evidence' },
    formatVersion: { type: 'integer', minimum: 1 },
    tool: { type: 'object', required: ['name', 'version'], properties: { name: text, version: text } },
    suite: { type: 'object', required: ['name', 'file', 'sha256'], properties: { name: text, title: text, file: text, sha256: sha256Hex, bundled: text } },
    environment: { type: 'object', required: ['name'], properties: { name: text } },
    startedAt: text,
    finishedAt: text,
    host: { type: 'object', required: ['hostname', 'platform', 'arch', 'node'], properties: { hostname: text, platform: text, release: text, arch: text, node: text, cpus: { type: 'number' }, memoryMiB: { type: 'number' } } },
    verdict: { enum: ['READY', 'READY WITH WAIVERS', 'NOT READY'] },
    incomplete: { type: 'boolean' },
    signature: { type: 'object', required: ['algorithm', 'key', 'publicKeySha256'], properties: { algorithm: { const: 'Ed25519' }, key: { enum: ['provided', 'ephemeral'] }, publicKeySha256: sha256Hex } },
    files: {
      type: 'array',
      maxItems: 100_000,
      items: { type: 'object', required: ['path', 'sha256', 'bytes'], properties: { path: text, sha256: sha256Hex, bytes: { type: 'integer', minimum: 0 }, mediaType: text } },
    },
    shards: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        required: ['index', 'count', 'path', 'manifestSha256', 'publicKeySha256', 'key'],
        properties: {
          index: { type: 'integer', minimum: 1 },
          count: { type: 'integer', minimum: 1 },
          source: text,
          path: { type: 'string', pattern: '^shards/[1-9][0-9]*$' },
          manifestSha256: sha256Hex,
          publicKeySha256: sha256Hex,
          key: { enum: ['provided', 'ephemeral'] },
        },
      },
    },
  },
} as const;

let manifestValidator: ValidateFunction | undefined;

/** Why `value` is not a manifest payready writes, naming the first field at fault; undefined when it is one. */
export function manifestProblem(value: unknown): string | undefined {
  manifestValidator ??= ajvFor('2020-12').compile(MANIFEST_SCHEMA);
  if (manifestValidator(value)) return undefined;
  const error = (manifestValidator.errors ?? [])[0];
  return error ? describeManifestError(error) : 'not a payready manifest';
}

function describeManifestError(error: ErrorObject): string {
  const at = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const field = (parts: string[]): string => parts.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
  if (error.keyword === 'required') return `field "${field([...at, String(error.params.missingProperty)])}" is missing`;
  const name = at.length > 0 ? `field "${field(at)}"` : 'the manifest';
  if (error.keyword === 'type') return `${name} must be ${error.params.type === 'integer' ? 'a whole number' : `a ${String(error.params.type)}`}`;
  if (error.keyword === 'const' || error.keyword === 'enum') return `${name} has a value payready never writes`;
  if (error.keyword === 'pattern') return `${name} is not a SHA-256 in hex`;
  return `${name} ${error.message ?? 'is invalid'}`;
}

/**
 * Verifies a bundle offline: the Ed25519 signature of `manifest.json` (with `publicKeyPem` when
 * given, else the key inside the bundle), the manifest's shape, then every file against the
 * manifest's SHA-256 and size. Names each file added, missing or changed; refuses absolute paths,
 * `..` and links. The archive is read as a stream: memory stays bounded whatever it holds, and
 * reading stops once it unpacks past what its manifest declares (or 1 GiB).
 */
export async function verifyBundle(input: Buffer | Readable, options: { publicKeyPem?: string | Buffer; maxUnpackedBytes?: number; keepFiles?: boolean } = {}): Promise<Verification> {
  const given = options.publicKeyPem !== undefined ? publicKeyFromPem(options.publicKeyPem) : undefined;
  const keySource = given ? 'given' : 'embedded';
  const problems: BundleProblem[] = [];
  let parsed: unknown;
  let manifestError: string | undefined;
  let archive: ScanResult;
  try {
    archive = await scanTarGz(Buffer.isBuffer(input) ? Readable.from([input]) : input, {
      ...(options.maxUnpackedBytes ? { maxUnpackedBytes: options.maxUnpackedBytes } : {}),
      // A merged bundle's shards are verified again from inside it: their fixed files are kept too.
      keep: (path) => KEPT[path] ?? KEPT[shardFixedFile(path) ?? ''] ?? (options.keepFiles ? Number.MAX_SAFE_INTEGER : undefined),
      onKept: (entry, unpackedSoFar) => {
        if (entry.path !== MANIFEST) return undefined;
        try {
          parsed = JSON.parse(entry.data.toString('utf8'));
        } catch {
          manifestError = 'not JSON';
          return undefined;
        }
        manifestError = manifestProblem(parsed);
        if (manifestError) return undefined;
        // What the files it lists take in a tar (a header each, data padded to 512 bytes), plus room for a few files it does not list.
        const declared = (parsed as Manifest).files.reduce((sum, f) => sum + 512 + Math.ceil(f.bytes / 512) * 512, 0);
        return unpackedSoFar + declared + UNDECLARED_SLACK;
      },
    });
  } catch (err) {
    return { ok: false, problems: [{ kind: 'changed', file: '(bundle)', detail: (err as Error).message }], checked: 0, keySource };
  }
  for (const r of archive.refused) problems.push({ kind: 'refused', file: r.path, detail: r.reason });
  if (archive.stopped) problems.push({ kind: 'refused', file: '(bundle)', detail: `stopped reading: ${archive.stopped}` });
  const files = new Map(archive.entries.map((e) => [e.path, e]));

  const manifestBytes = files.get(MANIFEST)?.data;
  const signature = files.get(SIGNATURE)?.data;
  const embeddedPem = files.get(PUBLIC_KEY)?.data;
  for (const [name, data] of [[MANIFEST, manifestBytes], [SIGNATURE, signature]] as const) {
    if (!data && !archive.refused.some((r) => r.path === name)) problems.push({ kind: 'missing', file: name, detail: 'required to verify the bundle' });
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
    if (manifestError) problems.push({ kind: 'changed', file: MANIFEST, detail: `not a payready manifest: ${manifestError}` });
    else manifest = parsed as Manifest;
  }

  if (manifestBytes && signature && key) {
    const valid = verifyBytes(manifestBytes, signature, key);
    if (!valid) {
      const recorded = manifest?.signature.publicKeySha256;
      if (given && embedded && fingerprint(given) !== fingerprint(embedded)) {
        problems.push({ kind: 'signature', file: PUBLIC_KEY, detail: 'the bundle was signed with a different key than --pubkey' });
      } else if (!given && embedded && recorded && recorded !== fingerprint(embedded)) {
        problems.push({ kind: 'signature', file: `${PUBLIC_KEY} or ${MANIFEST}`, detail: 'the signature does not verify, and the key is not the one the manifest records: one of them was changed' });
      } else {
        problems.push({ kind: 'signature', file: `${MANIFEST} or ${SIGNATURE}`, detail: 'the signature does not match the manifest: one of them was changed' });
      }
    } else if (given && embedded && fingerprint(given) !== fingerprint(embedded)) {
      problems.push({ kind: 'changed', file: PUBLIC_KEY, detail: 'differs from --pubkey, which the signature matches' });
    } else if (manifest && manifest.signature.publicKeySha256 !== fingerprint(key)) {
      problems.push({ kind: 'changed', file: MANIFEST, detail: 'records another public key than the one that signed it' });
    }
  }

  let checked = 0;
  if (manifest) {
    const listed = new Set<string>([MANIFEST, SIGNATURE, PUBLIC_KEY]);
    for (const entry of manifest.files) {
      const path = entry.path;
      const unsafe = unsafePath(path);
      if (unsafe) {
        problems.push({ kind: 'refused', file: path, detail: `listed in the manifest with an unsafe path (${unsafe})` });
        continue;
      }
      listed.add(path);
      const found = files.get(path);
      if (!found) {
        if (!archive.refused.some((r) => r.path === path) && !archive.stopped) problems.push({ kind: 'missing', file: path, detail: 'listed in the manifest but not in the bundle' });
        continue;
      }
      checked += 1;
      if (found.sha256 !== entry.sha256 || found.bytes !== entry.bytes) {
        problems.push({ kind: 'changed', file: path, detail: `sha256 ${found.sha256.slice(0, 16)}... (${plural(found.bytes, 'byte')}), manifest says ${entry.sha256.slice(0, 16)}... (${plural(entry.bytes, 'byte')})` });
      }
    }
    for (const path of files.keys()) {
      if (!listed.has(path)) problems.push({ kind: 'added', file: path, detail: 'not listed in the manifest' });
    }
    if (manifest.shards) verifyShards(manifest.shards, files, problems);
  }
  const kept = options.keepFiles ? new Map(archive.entries.map((e) => [e.path, e.data ?? Buffer.alloc(0)])) : undefined;
  return { ok: problems.length === 0, problems, ...(manifest ? { manifest } : {}), checked, ...(key ? { keySha256: fingerprint(key) } : {}), keySource, ...(kept ? { files: kept } : {}) };
}

/** The fixed file name (`manifest.json`...) of a path inside a merged bundle's shard folder, e.g. `shards/2/manifest.json`. */
function shardFixedFile(path: string): string | undefined {
  const match = /^shards\/[1-9][0-9]*\/([^/]+)$/.exec(path);
  return match && Object.hasOwn(KEPT, match[1]!) ? match[1] : undefined;
}

/**
 * A merged bundle's shards, verified again from inside it: each shard's manifest is the one the
 * merged manifest records, its signature verifies with its key, which is the key recorded, and
 * every file of its folder is one its manifest lists, unchanged. The merged signature already
 * proves nothing changed since the merge; this proves the merge took in the shards as they were
 * signed, so a reviewer need not trust the machine that merged them.
 */
function verifyShards(shards: readonly ShardProvenance[], files: ReadonlyMap<string, ScannedEntry>, problems: BundleProblem[]): void {
  const claimed = new Set<string>();
  const reported = (file: string): boolean => problems.some((p) => p.file === file);
  for (const shard of shards) {
    const dir = shard.path;
    const name = `shard ${shard.index}/${shard.count}`;
    claimed.add(dir);
    const fixed = (file: string): ScannedEntry | undefined => {
      const entry = files.get(`${dir}/${file}`);
      if (!entry?.data && !reported(`${dir}/${file}`)) problems.push({ kind: 'missing', file: `${dir}/${file}`, detail: `${name}'s ${file}, which its verification needs` });
      return entry?.data ? entry : undefined;
    };
    const [manifestEntry, signatureEntry, keyEntry] = [fixed(MANIFEST), fixed(SIGNATURE), fixed(PUBLIC_KEY)];
    if (!manifestEntry || !signatureEntry || !keyEntry) continue;
    if (manifestEntry.sha256 !== shard.manifestSha256) problems.push({ kind: 'changed', file: `${dir}/${MANIFEST}`, detail: `not the manifest of ${name} the merged manifest records` });
    let key: KeyObject;
    try {
      key = publicKeyFromPem(keyEntry.data!);
    } catch (err) {
      problems.push({ kind: 'changed', file: `${dir}/${PUBLIC_KEY}`, detail: `unreadable: ${err instanceof KeyError ? err.message : 'not a key'}` });
      continue;
    }
    if (fingerprint(key) !== shard.publicKeySha256) problems.push({ kind: 'changed', file: `${dir}/${PUBLIC_KEY}`, detail: `not the key of ${name} the merged manifest records` });
    if (!verifyBytes(manifestEntry.data!, signatureEntry.data!, key)) {
      problems.push({ kind: 'signature', file: `${dir}/${MANIFEST} or ${dir}/${SIGNATURE}`, detail: `${name}'s signature does not match its manifest` });
      continue;
    }
    let inner: unknown;
    try {
      inner = JSON.parse(manifestEntry.data!.toString('utf8'));
    } catch {
      inner = undefined;
    }
    const why = inner === undefined ? 'not JSON' : manifestProblem(inner);
    if (why) {
      problems.push({ kind: 'changed', file: `${dir}/${MANIFEST}`, detail: `not a payready manifest: ${why}` });
      continue;
    }
    const listed = new Set([MANIFEST, SIGNATURE, PUBLIC_KEY].map((f) => `${dir}/${f}`));
    for (const entry of (inner as Manifest).files) {
      const path = `${dir}/${entry.path}`;
      if (unsafePath(entry.path)) {
        problems.push({ kind: 'refused', file: path, detail: `listed in ${name}'s manifest with an unsafe path` });
        continue;
      }
      listed.add(path);
      const found = files.get(path);
      if (!found) {
        if (!reported(path)) problems.push({ kind: 'missing', file: path, detail: `listed in ${name}'s manifest but not in the bundle` });
      } else if (found.sha256 !== entry.sha256 || found.bytes !== entry.bytes) {
        if (!reported(path)) problems.push({ kind: 'changed', file: path, detail: `not the file ${name}'s manifest lists` });
      }
    }
    for (const path of files.keys()) {
      if (path.startsWith(`${dir}/`) && !listed.has(path) && !reported(path)) problems.push({ kind: 'added', file: path, detail: `not listed in ${name}'s manifest` });
    }
  }
  for (const path of files.keys()) {
    const folder = /^shards\/[^/]+/.exec(path)?.[0];
    if (folder && !claimed.has(folder) && !reported(path)) problems.push({ kind: 'added', file: path, detail: 'in a shard folder the manifest records no shard for' });
  }
}
