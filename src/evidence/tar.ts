import { Header, Pack, Parser, ReadEntry } from 'tar';
import { gunzipSync, gzipSync } from 'node:zlib';

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

/**
 * Reads every regular file of a gzipped tar into memory. Absolute paths, `..`, backslashes,
 * links, devices and duplicate paths are refused (listed, never returned), so nothing outside
 * the bundle can be named or shadowed.
 */
export async function readTarGz(bytes: Buffer): Promise<{ files: TarFile[]; refused: RefusedEntry[] }> {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes, { maxOutputLength: MAX_TOTAL_BYTES });
  } catch (err) {
    throw new Error(`not a readable .tar.gz (${(err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'larger than 1 GiB unpacked' : 'gzip data is corrupt'})`);
  }
  const files: TarFile[] = [];
  const refused: RefusedEntry[] = [];
  const seen = new Set<string>();
  let count = 0;
  const warnings: string[] = [];
  const parser = new Parser({
    strict: false,
    onwarn: (_code: string, message: string | Error) => warnings.push(typeof message === 'string' ? message : message.message),
    onReadEntry: (entry: ReadEntry) => {
      count += 1;
      const path = entry.path;
      const reason = count > MAX_ENTRIES ? 'too many entries' : unsafePath(path) ?? unsafeType(entry.type);
      if (reason || seen.has(path)) {
        refused.push({ path, reason: reason ?? 'duplicate entry: a later copy would replace the first when extracted' });
        entry.resume();
        return;
      }
      seen.add(path);
      if (entry.type === 'Directory') {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => files.push({ path, data: Buffer.concat(chunks) }));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', () => resolve());
    parser.on('error', reject);
    parser.end(tar);
  });
  if (files.length === 0 && refused.length === 0) throw new Error(`not a readable tar archive${warnings[0] ? ` (${warnings[0]})` : ''}`);
  return { files, refused };
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
