import { createHash } from 'node:crypto';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import type { Artifact } from '../model/outcome.js';
import type { Report } from '../model/report.js';
import { fingerprint, publicKeyPem, signBytes, type SigningKey } from './sign.js';
import { packTarGz, unsafePath, type TarFile } from './tar.js';

/** Version of the bundle layout and manifest; bumped on any incompatible change. */
export const BUNDLE_FORMAT_VERSION = 1;

/** Fixed names of the signature files (not listed in the manifest's `files`). */
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'public-key.pem';

/** Facts about the machine that ran the checks. */
export interface HostFacts {
  /** Host name. */
  hostname: string;
  /** OS platform, e.g. `linux`. */
  platform: string;
  /** OS release. */
  release: string;
  /** CPU architecture. */
  arch: string;
  /** Node.js version. */
  node: string;
  /** Logical CPUs. */
  cpus: number;
  /** Total memory in MiB. */
  memoryMiB: number;
}

/** One file of the bundle as the manifest lists it. */
export interface ManifestFile {
  /** Relative POSIX path inside the bundle. */
  path: string;
  /** SHA-256 of its bytes (hex). */
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** IANA media type. */
  mediaType: string;
}

/** `manifest.json`: what was run, where, with what result, and every file with its hash. */
export interface Manifest {
  /** Always `payready-evidence`. */
  format: 'payready-evidence';
  /** Layout version. */
  formatVersion: number;
  /** The tool that wrote it. */
  tool: Report['tool'];
  /** Suite identity (file as named, SHA-256 of its bytes) and where its copy is in the bundle. */
  suite: Report['suite'] & { bundled?: string };
  /** Environment the run targeted. */
  environment: Report['environment'];
  /** Run start (ISO). */
  startedAt: string;
  /** Run end (ISO). */
  finishedAt: string;
  /** The machine that ran the checks. */
  host: HostFacts;
  /** Go-live verdict. */
  verdict: Report['verdict'];
  /** Gate used. */
  failOn: Report['failOn'];
  /** Count per status. */
  summary: Report['summary'];
  /** True when the run was interrupted. */
  incomplete: boolean;
  /** How the manifest is signed: the signature itself is `manifest.sig`, the key `public-key.pem`. */
  signature: { algorithm: 'Ed25519'; key: SigningKey['kind']; publicKeySha256: string };
  /** Every other file of the bundle. */
  files: ManifestFile[];
  /**
   * A merged bundle only (`payready merge --evidence`): the shard bundles it was made from, each
   * verified before it was taken in, and kept whole under its `path` (its own manifest, signature
   * and key included, so the shard verifies again from inside the merged bundle).
   */
  shards?: ShardProvenance[];
}

/** Where a merged bundle's shard came from, and what its verification found. */
export interface ShardProvenance {
  /** Shard index, 1-based. */
  index: number;
  /** Shards in the run. */
  count: number;
  /** The shard bundle as given to `payready merge`. */
  source: string;
  /** The folder of the merged bundle that holds the shard bundle's files, e.g. `shards/1`. */
  path: string;
  /** SHA-256 of the shard's `manifest.json` (the bytes its signature covers). */
  manifestSha256: string;
  /** The shard's signing key: its fingerprint, and whether it was the team's or made for the shard's run. */
  publicKeySha256: string;
  /** `provided` (the team's `--sign-key`) or `ephemeral`. */
  key: SigningKey['kind'];
  /** The shard's verdict over its own checks. */
  verdict: Report['verdict'];
  /** The shard's run start (ISO). */
  startedAt: string;
  /** The shard's run end (ISO). */
  finishedAt: string;
  /** The machine that ran the shard. */
  hostname: string;
  /** What `payready merge` found when it verified the shard bundle (it refuses one that fails). */
  verification: { ok: true; signature: 'valid'; filesChecked: number };
}

/** Everything a bundle is made of. */
export interface BundleInput {
  /** The report (with its final warnings). */
  report: Report;
  /** Rendered reports by file name, e.g. `report.json`, `junit.xml`. */
  reports: { name: string; text: string; mediaType: string }[];
  /** The interaction log as written (JSONL). */
  interactions: Buffer;
  /** Artifacts per check id. */
  artifacts: ReadonlyMap<string, readonly Artifact[]>;
  /** The suite file's bytes and base name, when it should travel with the bundle. */
  suiteSource?: { name: string; bytes: Buffer };
  /** Other files for the bundle root (e.g. `coverage.json`). */
  extra?: { name: string; text: string; mediaType: string }[];
  /** Signing key. */
  key: SigningKey;
  /** Host facts (default: this machine). */
  host?: HostFacts;
}

/** Facts about this machine. */
export function hostFacts(): HostFacts {
  return { hostname: hostname(), platform: platform(), release: release(), arch: arch(), node: process.version, cpus: cpus().length, memoryMiB: Math.round(totalmem() / 1024 / 1024) };
}

/** The files of a bundle being built, and `add`, which gives each a path no other file (nor the manifest, signature or key) has. */
function bundleFiles(): { files: BundleFile[]; add: (path: string, data: string | Uint8Array, mediaType: string) => string } {
  const files: BundleFile[] = [];
  const used = new Set<string>([MANIFEST, SIGNATURE, PUBLIC_KEY]);
  const add = (path: string, data: string | Uint8Array, mediaType: string): string => {
    const unique = uniquePath(path, used);
    files.push({ path: unique, data: Buffer.from(data), mediaType });
    return unique;
  };
  return { files, add };
}

/**
 * Builds the evidence bundle: every file hashed into `manifest.json`, the manifest signed with
 * Ed25519, all packed as a reproducible .tar.gz. Returns the bytes (the caller writes them
 * atomically) and the manifest.
 *
 * Packs what it is given: a run's bundle parts pass through the run's exit first
 * (`RunExit.bundle` in src/runner/exit.ts), which redacts every file and every fact the manifest
 * is made of.
 */
export async function buildBundle(input: BundleInput): Promise<{ bytes: Buffer; manifest: Manifest }> {
  const { files, add } = bundleFiles();
  for (const r of input.reports) add(`reports/${r.name}`, r.text, r.mediaType);
  add('interactions.jsonl', input.interactions, 'application/jsonl');
  let bundled: string | undefined;
  if (input.suiteSource) bundled = add(`suite/${safeSegment(input.suiteSource.name)}`, input.suiteSource.bytes, 'application/yaml');
  for (const e of input.extra ?? []) add(e.name, e.text, e.mediaType);
  for (const result of input.report.results) {
    for (const artifact of input.artifacts.get(result.id) ?? []) {
      add(`artifacts/${safeSegment(result.id)}/${artifactPath(artifact.name)}`, artifact.data, artifact.mediaType);
    }
  }

  return sealBundle(input.report, files, input.key, input.host ?? hostFacts(), bundled);
}

/** A file of a bundle before it is packed. */
type BundleFile = TarFile & { mediaType: string };

/** The manifest over `files`, signed, and everything packed as a reproducible .tar.gz. */
async function sealBundle(report: Report, files: readonly BundleFile[], key: SigningKey, host: HostFacts, bundled: string | undefined, shards?: ShardProvenance[]): Promise<{ bytes: Buffer; manifest: Manifest }> {
  const manifest: Manifest = {
    format: 'payready-evidence',
    formatVersion: BUNDLE_FORMAT_VERSION,
    tool: report.tool,
    suite: { ...report.suite, ...(bundled ? { bundled } : {}) },
    environment: report.environment,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    host,
    verdict: report.verdict,
    failOn: report.failOn,
    summary: report.summary,
    incomplete: report.incomplete,
    signature: { algorithm: 'Ed25519', key: key.kind, publicKeySha256: fingerprint(key.privateKey) },
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.data), bytes: f.data.length, mediaType: f.mediaType })),
    ...(shards ? { shards } : {}),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature = signBytes(manifestBytes, key.privateKey);
  const entries: TarFile[] = [
    { path: MANIFEST, data: manifestBytes },
    { path: SIGNATURE, data: signature },
    { path: PUBLIC_KEY, data: Buffer.from(publicKeyPem(key.privateKey)) },
    ...files.map(({ path, data }) => ({ path, data })),
  ];
  const mtime = new Date(Date.parse(report.finishedAt) || 0);
  return { bytes: await packTarGz(entries, mtime), manifest };
}

/** One verified shard bundle, as `buildMergedBundle` takes it in. */
export interface MergedShard {
  /** Where it came from and what its verification found (`path` is where its files go). */
  provenance: ShardProvenance;
  /** Every file of the shard bundle as it was verified (its manifest, signature and key included), with the media type its manifest lists. */
  files: { path: string; data: Buffer; mediaType: string }[];
  /** Path of the shard's copy of the suite file inside its bundle, when it carries one. */
  suite?: string;
}

/** What the bundle of a merged sharded run is made of. */
export interface MergedBundleInput {
  /** The merged report. */
  report: Report;
  /** The merged report rendered, by file name (`report.json`, `junit.xml`...). */
  reports: { name: string; text: string; mediaType: string }[];
  /** The shard bundles, verified, in shard order. */
  shards: MergedShard[];
  /** Signing key of the merged bundle. */
  key: SigningKey;
  /** Host facts (default: this machine, where the merge ran). */
  host?: HostFacts;
}

/**
 * The evidence bundle of a merged sharded run: the merged report under `reports/`, and each
 * shard's bundle kept whole under `shards/<index>/` (its artifacts, interaction log, reports, suite
 * copy, and its own signed manifest), so every file is traceable to the shard that made it and no
 * two shards' names collide. The manifest records each shard's provenance (`shards`) and is signed
 * like a run's.
 *
 * Redacts nothing: it packs shard bundles that were redacted at their run's exit, and a report
 * merged from their redacted reports.
 */
export async function buildMergedBundle(input: MergedBundleInput): Promise<{ bytes: Buffer; manifest: Manifest }> {
  const { files, add } = bundleFiles();
  for (const r of input.reports) add(`reports/${r.name}`, r.text, r.mediaType);
  let bundled: string | undefined;
  for (const shard of input.shards) {
    for (const f of shard.files) {
      const path = add(`${shard.provenance.path}/${f.path}`, f.data, f.mediaType);
      // The suite is the same file in every shard (merge checks its SHA-256): the first shard's copy stands for the run's.
      if (bundled === undefined && f.path === shard.suite) bundled = path;
    }
  }
  return sealBundle(input.report, files, input.key, input.host ?? hostFacts(), bundled, input.shards.map((s) => s.provenance));
}

/** SHA-256 (hex). */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** An artifact name as a relative path: separators kept, empty, `.` and `..` segments dropped. */
function artifactPath(name: string): string {
  const parts = name.split(/[\\/]+/).filter((part) => part !== '' && part !== '.' && part !== '..').map(safeSegment);
  return parts.length > 0 ? parts.join('/') : 'artifact';
}

function safeSegment(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\\/:*?"<>|]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}

function uniquePath(path: string, used: Set<string>): string {
  if (unsafePath(path)) throw new Error(`refusing bundle path ${JSON.stringify(path)}`);
  let candidate = path;
  for (let n = 2; used.has(candidate); n++) candidate = path.replace(/(\.[^./]*)?$/, (ext) => `-${n}${ext}`);
  used.add(candidate);
  return candidate;
}
