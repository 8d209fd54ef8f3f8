import { resolve } from 'node:path';
import type { MergedShard, ShardProvenance } from '../evidence/bundle.js';
import type { SigningKey } from '../evidence/sign.js';
import type { Verification } from '../evidence/verify.js';
import type { Report, ShardInfo } from '../model/report.js';
import { FILE_LIMITS, FileReadError, openRegularFile } from '../files.js';
import { displayPath } from '../paths.js';
import { visible } from '../reporters/common.js';
import { plural } from '../text.js';
import type { Io } from './io.js';
import { usageError } from './messages.js';

/*
 * The evidence side of `payready merge`: shard bundles are read and verified with `payready
 * verify`'s code before anything of them is used, their signing keys compared, and the verified
 * files handed to the merged bundle. Nothing here redacts: shard bundles were redacted at their
 * run's exit (src/runner/exit.ts), and the merged report is made of their redacted reports.
 */

/** Where a shard's report is inside its bundle. */
const BUNDLED_REPORT = 'reports/report.json';
/** Media types of the fixed files, which a manifest does not list. */
const FIXED_MEDIA_TYPES: Readonly<Record<string, string>> = { 'manifest.json': 'application/json', 'manifest.sig': 'application/octet-stream', 'public-key.pem': 'application/x-pem-file' };

/** A bundle given to merge, verified: its files, and the report it carries. */
export interface VerifiedBundle {
  /** The path as given. */
  file: string;
  /** What verification found (ok), with every file's bytes. */
  verification: Verification & { files: ReadonlyMap<string, Buffer> };
  /** The bundle's `reports/report.json` text. */
  reportText: string;
}

/** True when the file starts like a gzip stream (an evidence bundle) rather than a report.json. */
export async function isBundleFile(path: string): Promise<boolean> {
  let file;
  try {
    file = await openRegularFile(path, FILE_LIMITS.bundle);
  } catch {
    // Unreadable: the report loader names the problem.
    return false;
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await file.handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await file.handle.close();
  }
}

/**
 * Reads and verifies a bundle given to merge (the signature with the key inside it, every file
 * against the manifest). A bundle that fails is a usage error naming it, the shard it says it is,
 * and what failed: merge takes in verified shards only.
 */
export async function openVerifiedBundle(file: string, io: Io): Promise<VerifiedBundle> {
  const { verifyBundle } = await import('../evidence/verify.js');
  let opened;
  try {
    opened = await openRegularFile(resolve(io.cwd, file), FILE_LIMITS.bundle);
  } catch (err) {
    if (err instanceof FileReadError) throw usageError('fileUnreadable', { path: file, why: err.message });
    throw err;
  }
  let verification: Verification;
  try {
    verification = await verifyBundle(opened.handle.createReadStream({ autoClose: false }), { keepFiles: true });
  } finally {
    await opened.handle.close();
  }
  const files = verification.files ?? new Map<string, Buffer>();
  const reportBytes = files.get(BUNDLED_REPORT);
  if (!verification.ok) {
    const shown = verification.problems.slice(0, 3).map((p) => `${p.kind} ${visible(p.file)}: ${visible(p.detail)}`);
    const more = verification.problems.length - shown.length;
    throw usageError('shardBundleUnverified', { file, shard: claimedShard(reportBytes), problems: `${shown.join('; ')}${more > 0 ? `; and ${plural(more, 'more problem')}` : ''}` });
  }
  if (!reportBytes) throw usageError('bundleWithoutReport', { file, report: BUNDLED_REPORT });
  return { file, verification: { ...verification, files }, reportText: reportBytes.toString('utf8') };
}

/** ` (shard i/n)` as an unverified bundle's report claims it, to name the shard in an error; empty when it says nothing readable. */
function claimedShard(report: Buffer | undefined): string {
  try {
    const shard = (JSON.parse(report?.toString('utf8') ?? '') as { shard?: Partial<ShardInfo> }).shard;
    return Number.isInteger(shard?.index) && Number.isInteger(shard?.count) ? ` (shard ${shard!.index}/${shard!.count})` : '';
  } catch {
    return '';
  }
}

/** A verified shard bundle and its shard report, in shard order. */
export interface ShardBundle {
  /** The bundle, verified. */
  bundle: VerifiedBundle;
  /** Its report (a shard report). */
  report: Report & { shard: ShardInfo };
}

/**
 * Checks the shards were signed alike, and refuses (naming the shard) one that was not: with
 * `--sign-key`, every shard must be signed with that very key (the merged bundle claims the
 * team's origin for every file it carries, and a shard signed by anything else would borrow
 * it); without, shards signed with the team's key must all share one key. Shards signed with
 * ephemeral keys (integrity only) merge only into a bundle that is itself integrity only.
 * Returns the words for the terminal.
 */
export async function checkShardKeys(shards: readonly ShardBundle[], signing: { key: SigningKey; path?: string }): Promise<string> {
  const { fingerprint } = await import('../evidence/sign.js');
  const short = (sha: string): string => `sha256 ${sha.slice(0, 16)}...`;
  let reference: { sha: string; what: string } | undefined;
  if (signing.key.kind === 'provided') reference = { sha: fingerprint(signing.key.privateKey), what: `the key of --sign-key ${signing.path ?? ''}` };
  for (const { bundle, report } of shards) {
    const manifest = bundle.verification.manifest!;
    const sha = bundle.verification.keySha256 ?? '';
    const kind = manifest.signature.key;
    if (!reference && kind === 'provided') reference = { sha, what: `the key that signed shard ${report.shard.index}/${report.shard.count} (${bundle.file})` };
    if (reference && (kind !== 'provided' || sha !== reference.sha)) {
      throw usageError('shardKeyDiffers', {
        file: bundle.file,
        index: report.shard.index,
        count: report.shard.count,
        what: kind === 'ephemeral' ? 'an ephemeral key made for its run' : `another key (${short(sha)})`,
        reference: `${reference.what} (${short(reference.sha)})`,
      });
    }
  }
  return reference ? `every shard signed with one key (${short(reference.sha)})` : 'each shard signed with an ephemeral key made for its run (integrity only)';
}

/** A verified shard bundle as the merged bundle takes it in: its files under `shards/<index>/`, and its provenance. */
export async function mergedShard({ bundle, report }: ShardBundle, cwd: string): Promise<MergedShard> {
  const { sha256 } = await import('../evidence/bundle.js');
  const { verification } = bundle;
  const manifest = verification.manifest!;
  const fixed = Object.keys(FIXED_MEDIA_TYPES);
  const files = [
    ...fixed.map((path) => ({ path, mediaType: FIXED_MEDIA_TYPES[path]! })),
    ...manifest.files.map((f) => ({ path: f.path, mediaType: f.mediaType ?? 'application/octet-stream' })),
  ].map((f) => ({ ...f, data: verification.files.get(f.path)! }));
  const provenance: ShardProvenance = {
    index: report.shard.index,
    count: report.shard.count,
    source: displayPath(resolve(cwd, bundle.file), cwd),
    path: `shards/${report.shard.index}`,
    manifestSha256: sha256(verification.files.get('manifest.json')!),
    publicKeySha256: verification.keySha256!,
    key: manifest.signature.key,
    verdict: report.verdict,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    hostname: manifest.host.hostname,
    verification: { ok: true, signature: 'valid', filesChecked: verification.checked },
  };
  return { provenance, files, ...(manifest.suite.bundled ? { suite: manifest.suite.bundled } : {}) };
}
