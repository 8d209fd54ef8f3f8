import { closeSync, constants, createWriteStream, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';

/*
 * Where outputs go. A report, log or bundle replaces a regular file atomically (a temporary file
 * beside it, then a rename: never half-written). A rename replaces whatever is at the path, so it
 * is used only over a regular file or nothing: a character device (/dev/null, a terminal) or a
 * FIFO is written in place, `-` and /dev/stdout go to this process's own standard output, and
 * anything else (a directory, a socket) is refused. Folders are created one level at a time, so
 * a path that cannot exist (under a regular file, under /proc) is an error at once.
 */

/** An output that cannot be written, with the reason in words (the caller names the path). */
export class OutputError extends Error {
  override readonly name = 'OutputError';
}

/** Where one output goes. */
export type OutputPlace =
  /** Replaced atomically: `path` is the regular file (a link's target, when the path is a link) or a missing path. */
  | { kind: 'file'; path: string }
  /** A character device or FIFO, written in place. */
  | { kind: 'device'; path: string }
  /** This process's standard output or error. */
  | { kind: 'stream'; stream: Writable };

/** Standard streams for `-`, /dev/stdout and /dev/stderr. */
export interface StdStreams {
  /** Standard output. */
  stdout: Writable;
  /** Standard error. */
  stderr: Writable;
}

const STDOUT_NAMES = new Set(['-', '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']);
const STDERR_NAMES = new Set(['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2']);

/** Every temporary name handed out, so a process ending the hard way can remove what is left. */
const temporaries = new Set<string>();

/** A temporary name next to `path`, so the final rename stays on one file system (atomic). */
export function tempPathFor(path: string): string {
  const temp = join(dirname(path), `.payready-tmp-${basename(path)}-${randomBytes(4).toString('hex')}`);
  temporaries.add(temp);
  return temp;
}

/** Removes the temporary files still there (writes cut short by a hard exit); synchronous. */
export function removeTemporariesSync(): void {
  for (const temp of temporaries) rmSync(temp, { force: true });
  temporaries.clear();
}

/**
 * `writeFileAtomic` for a process about to end (no event loop turn left): synchronous. Only a
 * regular file (or a missing one) is replaced; anything else (a device, a FIFO) is left alone.
 */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  if (!isRegularOrMissing(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
    temporaries.delete(temp);
  }
}

function isRegularOrMissing(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return true;
  }
}

/**
 * Decides where `path` (absolute, or `-`) is written; creates its folder when it is a new file.
 * Throws OutputError for what cannot be written.
 */
export async function placeOutput(path: string, std?: StdStreams, show?: (path: string) => string): Promise<OutputPlace> {
  if (std && STDOUT_NAMES.has(path)) return { kind: 'stream', stream: std.stdout };
  if (std && STDERR_NAMES.has(path)) return { kind: 'stream', stream: std.stderr };
  if (path === '-') throw new OutputError('"-" (standard output) is not available here');
  let link;
  try {
    link = await lstat(path);
  } catch (error) {
    if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw new OutputError(reason(error));
    await ensureDir(dirname(path), show);
    return { kind: 'file', path };
  }
  let info = link;
  if (link.isSymbolicLink()) {
    try {
      info = await stat(path);
    } catch (error) {
      throw new OutputError(code(error) === 'ENOENT' ? 'it is a symbolic link to nothing' : reason(error));
    }
  }
  // Through a link the file it points to is replaced, and the link stays.
  if (info.isFile()) return { kind: 'file', path: link.isSymbolicLink() ? await realpath(path) : path };
  if (info.isCharacterDevice() || info.isFIFO()) return { kind: 'device', path };
  if (info.isDirectory()) throw new OutputError('it is a directory');
  throw new OutputError(`it is ${info.isSocket() ? 'a socket' : info.isBlockDevice() ? 'a block device' : 'not a regular file'}; payready writes regular files, character devices (/dev/null) and FIFOs`);
}

/** Writes `data` to a place: atomically for a file, in place for a device or FIFO, to the stream for `-`. */
export async function writeTo(place: OutputPlace, data: string | Uint8Array): Promise<void> {
  if (place.kind === 'stream') return writeStream(place.stream, data);
  if (place.kind === 'device') {
    const handle = await openInPlace(place.path);
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
    return;
  }
  const temp = tempPathFor(place.path);
  try {
    await writeFile(temp, data);
    await rename(temp, place.path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** Writes a file safely: atomically over a regular file or nothing, in place on a device or FIFO (see `placeOutput`). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, std?: StdStreams, show?: (path: string) => string): Promise<void> {
  await writeTo(await placeOutput(path, std, show), data);
}

/**
 * Creates `dir` and its missing parents one level at a time. Node's recursive mkdir loops for
 * ever on a parent that exists but refuses children (/proc), and names no culprit under a
 * regular file; this names the folder that cannot be made, or the file in the way.
 */
export async function ensureDir(dir: string, show: (path: string) => string = (p) => p): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw new OutputError(`${show(current)} is a file, not a folder`);
      break;
    } catch (error) {
      if (error instanceof OutputError) throw error;
      if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw new OutputError(`cannot reach the folder ${show(current)}: ${reason(error)}`);
      const parent = dirname(current);
      if (parent === current) throw new OutputError(`cannot reach the folder ${show(current)}`);
      missing.push(current);
      current = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      if (code(error) === 'EEXIST' && (await stat(folder).catch(() => undefined))?.isDirectory()) continue;
      const why = code(error) === 'ENOENT' ? 'the file system does not allow it' : reason(error);
      throw new OutputError(`cannot create the folder ${show(folder)}: ${why}`);
    }
  }
}

/** A JSONL file written line by line and put into place by `commit()`. */
export interface JsonlWriter {
  /**
   * Appends one line (without its line break). A run's lines come from its exit
   * (`RunExit.interactionLines`), serialised and redacted: the writer writes what it is given.
   */
  write(line: string): void;
  /** Flushes and puts the log into place (a rename, or a copy to a device, FIFO or standard output). */
  commit(): Promise<void>;
  /** The committed log's bytes (for the evidence bundle), wherever it went. */
  contents(): Promise<Buffer>;
  /** Drops the temporary file (on failure, and after `contents()` for a log that went to a device). */
  discard(): Promise<void>;
  /**
   * For a process about to end: puts what reached the file so far in place, cut after its last
   * whole line (lines still queued in memory are lost); synchronous. Nothing after commit/discard.
   */
  salvageSync(): void;
}

/** Lines are batched into writes of about this many characters (a load phase logs thousands a second)... */
const JSONL_BATCH = 64 * 1024;
/** ...or written this many milliseconds after the first line of a batch, whichever comes first. */
const JSONL_FLUSH_MS = 100;

/**
 * Opens a streamed JSONL writer; nothing appears at `path` until `commit()`. A log bound for a
 * device, FIFO or standard output is spooled in `spoolDir` (the run's output folder) and copied
 * there on commit.
 */
export async function openJsonl(path: string, options: { spoolDir?: string; std?: StdStreams; show?: (path: string) => string } = {}): Promise<JsonlWriter> {
  const place = await placeOutput(path, options.std, options.show);
  const spoolDir = place.kind === 'file' ? dirname(place.path) : options.spoolDir;
  if (!spoolDir) throw new OutputError('it is not a regular file, and there is no folder to keep the log in until the run ends');
  if (place.kind !== 'file') await ensureDir(spoolDir, options.show);
  const temp = tempPathFor(place.kind === 'file' ? place.path : join(spoolDir, 'interactions.jsonl'));
  const stream: WriteStream = createWriteStream(temp, { flags: 'w' });
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let committed = false;
  let settled = false;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '' || stream.closed || stream.destroyed) return;
    stream.write(pending);
    pending = '';
  };
  const closed = (): Promise<void> =>
    new Promise((resolve, reject) => {
      flush();
      if (stream.closed) return resolve();
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  return {
    write(line) {
      pending += `${line}\n`;
      if (pending.length >= JSONL_BATCH) flush();
      // Still streamed: a line reaches the file within JSONL_FLUSH_MS; one write per request would cost more than the request.
      else timer ??= setTimeout(flush, JSONL_FLUSH_MS).unref();
    },
    async commit() {
      await closed();
      settled = true;
      if (place.kind === 'file') await rename(temp, place.path);
      else if (place.kind === 'device') {
        const handle = await openInPlace(place.path);
        try {
          await copyFile(temp, (chunk) => writeAll(handle, chunk));
        } finally {
          await handle.close();
        }
      } else {
        const stream = place.stream;
        await copyFile(temp, (chunk) => writeStream(stream, Buffer.from(chunk)));
      }
      committed = true;
    },
    async contents() {
      return readFile(place.kind === 'file' && committed ? place.path : temp);
    },
    async discard() {
      settled = true;
      await closed().catch(() => undefined);
      await rm(temp, { force: true });
    },
    salvageSync() {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Writes still queued fail once the stream is gone: that is the point, not an error to raise.
      stream.on('error', () => undefined);
      stream.destroy();
      try {
        truncateToLastLine(temp);
        // A log bound for a device or standard output stays in the spool folder: no event loop turn is left to copy it.
        if (place.kind === 'file' && isRegularOrMissing(place.path)) renameSync(temp, place.path);
      } catch {
        // not opened yet, or gone: there is nothing to keep
      } finally {
        if (place.kind === 'file') rmSync(temp, { force: true });
      }
    },
  };
}

/** Cuts a file after its last line break (a line half written by a stream stopped mid-way). */
function truncateToLastLine(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    const block = Buffer.alloc(64 * 1024);
    let end = fstatSync(fd).size;
    while (end > 0) {
      const start = Math.max(0, end - block.length);
      const read = readSync(fd, block, 0, end - start, start);
      const nl = block.subarray(0, read).lastIndexOf(10);
      if (nl !== -1) {
        ftruncateSync(fd, start + nl + 1);
        return;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a character device or FIFO for writing without waiting: first without blocking (a FIFO
 * nobody reads is refused with ENXIO instead of hanging), then, a reader being there, blocking,
 * so writes simply wait for it to read.
 */
async function openInPlace(path: string): Promise<FileHandle> {
  let probe;
  try {
    probe = await open(path, constants.O_WRONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    if (code(error) === 'ENXIO') throw new OutputError('it is a FIFO that nothing reads: start its reader first, or write to a file');
    throw new OutputError(reason(error));
  }
  try {
    return await open(path, constants.O_WRONLY | (constants.O_NOCTTY ?? 0));
  } finally {
    await probe.close();
  }
}

/** Why an output could not be written, in words: an OutputError's reason or a file-system error's; undefined for anything else (a bug). */
export function outputProblem(error: unknown): string | undefined {
  if (error instanceof OutputError) return error.message;
  return code(error) ? reason(error) : undefined;
}

/** Hands `path` to `write` in chunks (a log can be hundreds of MB: never read whole). */
async function copyFile(path: string, write: (chunk: Buffer) => Promise<void>): Promise<void> {
  const input = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(256 * 1024);
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      await write(buffer.subarray(0, bytesRead));
    }
  } finally {
    await input.close();
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let at = 0; at < chunk.length; ) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
}

function writeStream(stream: Writable, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

function code(error: unknown): string {
  return error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : '';
}

function reason(error: unknown): string {
  const reasons: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a parent is not a directory',
    ENOENT: 'no such directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left',
    ELOOP: 'too many symbolic links',
    EPIPE: 'the reader went away',
  };
  return reasons[code(error)] ?? (code(error) || 'unwritable');
}
