import { Header, Pack, Parser, ReadEntry } from 'tar';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';

/** One file of an archive. */
export interface TarFile {
  /** Relative POSIX path inside the archive. */
  path: string;
  /** Content. */
  data: Buffer;
}

/** An entry a reader refused, and why. */
export interface RefusedEntry {
  /** The path as stored in the archive. */
  path: string;
  /** Why it was refused, in words. */
  reason: string;
}

/** Caps on what a reader accepts: a bundle is untrusted input until verified. */
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024;
const MAX_ENTRIES = 100_000;
/** What may follow the end-of-archive blocks: tar writers pad to a 10 KiB record; more is not a bundle. */
const MAX_TRAILING_BYTES = 1024 * 1024;

/**
 * A gzipped tar of `files`, byte-for-byte reproducible: entries in the order given, one mtime for
 * all, mode 0644, no owner names or ids (portable), and a gzip header without a timestamp.
 */
export async function packTarGz(files: readonly TarFile[], mtime: Date): Promise<Buffer> {
  const pack = new Pack({ portable: true });
  const chunks: Buffer[] = [];
  pack.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const file of files) {
    const entry = new ReadEntry(new Header({ path: file.path, mode: 0o644, size: file.data.length, mtime, type: 'File' }));
    pack.add(entry);
    entry.end(file.data);
  }
  pack.end();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

/** One entry of an archive as a scan saw it: its hash and size, and its bytes when kept. */
export interface ScannedEntry {
  /** Relative POSIX path inside the archive. */
  path: string;
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 of its bytes (hex). */
  sha256: string;
  /** The bytes, for entries `keep` asked for. */
  data?: Buffer;
}

/** What a scan found. */
export interface ScanResult {
  /** Regular files, in archive order. */
  entries: ScannedEntry[];
  /** Entries refused (unsafe paths, links, devices, duplicates, too large to keep). */
  refused: RefusedEntry[];
  /** Why reading stopped before the end of the archive (a size cap), if it did. */
  stopped?: string;
}

/** How a scan treats an archive. */
export interface ScanOptions {
  /** The most bytes of an entry to keep in memory (undefined: hash it and let the bytes go). */
  keep?: (path: string) => number | undefined;
  /** Cap on the unpacked size of the whole archive (default 1 GiB). */
  maxUnpackedBytes?: number;
  /**
   * Called when a kept entry is complete; may return a lower cap on the unpacked size (the size
   * a manifest declares): an archive that holds more is not the one declared, and reading stops.
   */
  onKept?: (entry: ScannedEntry & { data: Buffer }, unpackedSoFar: number) => number | undefined;
}

/**
 * Reads a gzipped tar as a stream, in bounded memory whatever it holds: each regular file is
 * hashed as it passes and only the entries `keep` names stay in memory. Reading stops, and says
 * why, once the archive unpacks past its cap (fixed, or the size its manifest declares) or an
 * entry's header announces more than is left: a gzip bomb costs neither memory nor a long wait.
 * Absolute paths, `..`, backslashes, links, devices and duplicate paths are refused (listed,
 * never returned), so nothing outside the bundle can be named or shadowed.
 */
export async function scanTarGz(input: Readable, options: ScanOptions = {}): Promise<ScanResult> {
  let cap = options.maxUnpackedBytes ?? MAX_TOTAL_BYTES;
  const entries: ScannedEntry[] = [];
  const refused: RefusedEntry[] = [];
  const seen = new Set<string>();
  const warnings: string[] = [];
  let count = 0;
  let unpacked = 0;
  let stopped: string | undefined;
  const gunzip = createGunzip();

  return new Promise<ScanResult>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      input.unpipe(gunzip);
      input.destroy();
      gunzip.destroy();
      if (error) return reject(error);
      if (!stopped && entries.length === 0 && refused.length === 0) return reject(new Error(`not a readable tar archive${warnings[0] ? ` (${warnings[0]})` : ''}`));
      resolve({ entries, refused, ...(stopped ? { stopped } : {}) });
    };
    const stop = (reason: string): void => {
      stopped ??= reason;
      finish();
    };

    const parser = new Parser({
      strict: false,
      onwarn: (_code: string, message: string | Error) => warnings.push(typeof message === 'string' ? message : message.message),
      onReadEntry: (entry: ReadEntry) => {
        count += 1;
        const path = entry.path;
        if (settled) return entry.resume();
        // Known from the header, before a byte of it is unpacked.
        if (entry.size > cap - unpacked) return stop(`${path} declares ${entry.size.toLocaleString('en-US')} bytes: the bundle would unpack to more than ${describeCap(cap)}`);
        const reason = count > MAX_ENTRIES ? 'too many entries' : unsafePath(path) ?? unsafeType(entry.type);
        if (reason || seen.has(path)) {
          refused.push({ path, reason: reason ?? 'duplicate entry: a later copy would replace the first when extracted' });
          return entry.resume();
        }
        seen.add(path);
        if (entry.type === 'Directory') return entry.resume();
        const hash = createHash('sha256');
        const limit = options.keep?.(path);
        const kept: Buffer[] | undefined = limit !== undefined ? [] : undefined;
        let bytes = 0;
        let tooLarge = false;
        entry.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          bytes += chunk.length;
          if (kept && !tooLarge) {
            if (bytes > limit!) tooLarge = true;
            else kept.push(chunk);
          }
        });
        entry.on('end', () => {
          if (settled) return;
          const scanned: ScannedEntry = { path, bytes, sha256: hash.digest('hex') };
          if (tooLarge) {
            refused.push({ path, reason: `larger than ${describeCap(limit!)}` });
            return;
          }
          if (kept) {
            const data = Buffer.concat(kept, bytes);
            scanned.data = data;
            const declared = options.onKept?.({ ...scanned, data }, unpacked);
            if (declared !== undefined && declared < cap) cap = declared;
          }
          entries.push(scanned);
        });
      },
    });
    parser.on('end', () => finish());
    parser.on('error', (error: Error) => finish(new Error(`not a readable tar archive (${error.message})`)));
    // Past the end-of-archive blocks the parser keeps every byte it is given (re-concatenated on each
    // write): nothing after the end is passed to it, and only the padding a tar writer adds may follow.
    let endedAt: number | undefined;
    parser.on('eof', () => (endedAt ??= unpacked));

    gunzip.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (unpacked === 0 && (isCompressed(chunk) ?? false)) return finish(new Error('not a readable tar archive (compressed twice)'));
      unpacked += chunk.length;
      if (unpacked > cap) return stop(`the bundle unpacks to more than ${describeCap(cap)}`);
      if (endedAt === undefined) parser.write(chunk);
      else if (unpacked - endedAt > MAX_TRAILING_BYTES) stop(`more than ${describeCap(MAX_TRAILING_BYTES)} of data after the end of the archive`);
    });
    gunzip.on('end', () => {
      if (!settled) parser.end();
    });
    gunzip.on('error', (error: NodeJS.ErrnoException) => finish(new Error(`not a readable .tar.gz (${error.code === 'Z_BUF_ERROR' ? 'it ends too early' : 'gzip data is corrupt'})`)));
    input.on('error', (error: NodeJS.ErrnoException) => finish(new Error(`the bundle could not be read (${error.code ?? error.message})`)));
    input.pipe(gunzip);
  });
}

/**
 * Every regular file of a gzipped tar with its bytes, for small archives (tests and tools that
 * must look inside); capped like `scanTarGz`, whose refusals it shares.
 */
export async function readTarGz(bytes: Buffer): Promise<{ files: TarFile[]; refused: RefusedEntry[] }> {
  const result = await scanTarGz(Readable.from([bytes]), { keep: () => MAX_TOTAL_BYTES });
  if (result.stopped) throw new Error(`not a readable .tar.gz (${result.stopped})`);
  return { files: result.entries.map((e) => ({ path: e.path, data: e.data ?? Buffer.alloc(0) })), refused: result.refused };
}

/** Gzip or zstd magic at the start of what should be a tar: the node-tar parser would unpack it again, past our count. */
function isCompressed(chunk: Buffer): boolean | undefined {
  if (chunk.length < 4) return undefined;
  return (chunk[0] === 0x1f && chunk[1] === 0x8b) || (chunk[0] === 0x28 && chunk[1] === 0xb5 && chunk[2] === 0x2f && chunk[3] === 0xfd);
}

function describeCap(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** Why a path may not appear in a bundle, or undefined when it is a plain relative path. */
export function unsafePath(path: string): string | undefined {
  if (path === '' || path.includes('\0')) return 'empty or binary path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'absolute path';
  if (path.includes('\\')) return 'backslash in path';
  if (path.split('/').includes('..')) return 'path leaves the bundle (..)';
  return undefined;
}

function unsafeType(type: string): string | undefined {
  if (type === 'File' || type === 'OldFile' || type === 'ContiguousFile' || type === 'Directory') return undefined;
  if (type === 'SymbolicLink' || type === 'Link') return `${type === 'Link' ? 'hard' : 'symbolic'} link`;
  return `entry of type ${type}`;
}
