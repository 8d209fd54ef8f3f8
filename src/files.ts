import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/*
 * Reading a file a user named (a suite, a secret, a CA, a key, a bundle, a report) without ever
 * hanging or filling memory. Opened with O_NONBLOCK, so a FIFO opens at once instead of waiting
 * for a writer for ever; judged with fstat on the open handle (no gap between the check and the
 * read for the file to be swapped); only regular files are read; the size is capped before
 * reading, and reading stops at the cap even if the file grows meanwhile (/dev/zero, a log being
 * written). One helper, so every caller gets the same guarantees and the same words.
 */

/** Size caps per kind of file, in bytes. */
export const FILE_LIMITS = {
  /** A secret (`secrets: { x: { file: ... } }`): a token or key, never more than a few KiB. */
  secret: 64 * 1024,
  /** A CA bundle (`ca:` of an environment, the tls check's `ca`): a few certificates. */
  ca: 1024 * 1024,
  /** A PEM key (`--sign-key`, `--pubkey`). */
  key: 64 * 1024,
  /** An evidence bundle given to `verify` (read as a stream; this caps the compressed file). */
  bundle: 1024 * 1024 * 1024,
  /** A report.json given to `diff` or `merge`. */
  report: 256 * 1024 * 1024,
  /** An OpenAPI document or JSON Schema file (Stripe's and Adyen's published documents are under 10 MB). */
  document: 64 * 1024 * 1024,
} as const;

/** Why a file could not be read; `message` is a reason in words, never an absolute path. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    /** `missing` lets callers word "add the file" differently from "fix the file". */
    readonly reason: 'missing' | 'not-a-file' | 'too-large' | 'unreadable',
    message: string,
  ) {
    super(message);
  }
}

/** "64 KiB", "1 MiB", "1 GiB". */
export function formatLimit(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** An open regular file: read it, stream it, and close it (always). */
export interface RegularFile {
  /** The handle (opened non-blocking, which changes nothing for a regular file). */
  handle: FileHandle;
  /** fstat of the handle. */
  stats: Stats;
}

/**
 * Opens `path` for reading when it is a regular file no larger than `maxBytes`; anything else
 * (missing, a directory, a FIFO, a device, a socket, too large) is a FileReadError. Never blocks.
 */
export async function openRegularFile(path: string, maxBytes: number): Promise<RegularFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw fromErrno(error);
  }
  try {
    const stats = await handle.stat();
    const kind = notRegular(stats);
    if (kind) throw new FileReadError('not-a-file', `it is ${kind}; payready reads regular files only`);
    if (stats.size > maxBytes) throw new FileReadError('too-large', `it is larger than ${formatLimit(maxBytes)}`);
    return { handle, stats };
  } catch (error) {
    await handle.close();
    throw error instanceof FileReadError ? error : fromErrno(error);
  }
}

/** Reads a whole regular file of at most `maxBytes` (see `openRegularFile`). */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const { handle, stats } = await openRegularFile(path, maxBytes);
  try {
    // One byte more than allowed tells a file that grew past the cap from one that ends at it.
    const buffer = Buffer.allocUnsafe(Math.min(maxBytes, stats.size || 64 * 1024) + 1);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new FileReadError('too-large', `it is larger than ${formatLimit(maxBytes)}`);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    throw error instanceof FileReadError ? error : fromErrno(error);
  } finally {
    await handle.close();
  }
}

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** An errno error in words (never the raw message: it would print an absolute path the user did not write). */
function fromErrno(error: unknown): FileReadError {
  const code = error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  if (code === 'ENOENT') return new FileReadError('missing', 'no such file');
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent is not a directory',
    ELOOP: 'too many symbolic links',
    ENXIO: 'no such device',
    EAGAIN: 'it would block (not a regular file)',
  };
  return new FileReadError(code === 'EISDIR' ? 'not-a-file' : 'unreadable', reasons[code] ?? (code ? `error ${code}` : 'unreadable'));
}
