import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * Streams a file's bytes for the scanners in fixed-size chunks (constant memory whatever the file
 * size), gunzipping `.gz` files when asked, and tells binary files apart the way git does.
 */

/** Bytes read at a time: large enough for the scanners' loops to dominate, small enough to stay flat. */
export const CHUNK_BYTES = 1024 * 1024;

/** How much of the start of a file is searched for a NUL byte (git's `buffer_is_binary` looks at 8000). */
const BINARY_PROBE_BYTES = 8000;

/** How to read. */
export interface ReadOptions {
  /** Decompress files whose name ends in `.gz`. */
  gunzip: boolean;
  /** Aborts between chunks. */
  signal?: AbortSignal;
}

/** A file opened for scanning. */
export type OpenedFile =
  | {
      /** Text: its (decompressed) bytes, chunk by chunk. */
      kind: 'text';
      /** The chunks; iterate once. */
      chunks: AsyncGenerator<Buffer>;
    }
  | {
      /** Binary (a NUL byte near the start) or unreadable: not scanned. */
      kind: 'binary' | 'unreadable';
      /** Why it is unreadable, in words. */
      reason?: string;
    };

/** True when a file of this name is read through gunzip (with `gunzip: true`). */
export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}

/** True when `head` (the start of a file) holds a NUL byte: a binary file. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, BINARY_PROBE_BYTES).includes(0);
}

/** Opens a file and reads its first chunk to decide whether it is text. */
export async function openForScan(path: string, options: ReadOptions): Promise<OpenedFile> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const stream: Readable = options.gunzip && isGzipName(path) ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  // A failure on the file stream (EACCES) must reach the iterator of the gunzip stream too.
  if (stream !== file) file.once('error', (err) => stream.destroy(err));
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (err) {
    file.destroy();
    stream.destroy();
    return { kind: 'unreadable', reason: describeReadError(err) };
  }
  if (!first.done && looksBinary(first.value)) {
    file.destroy();
    stream.destroy();
    return { kind: 'binary' };
  }
  return { kind: 'text', chunks: chunksFrom(first, iterator, stream, file, options.signal) };
}

async function* chunksFrom(first: IteratorResult<Buffer>, rest: AsyncIterator<Buffer>, stream: Readable, file: Readable, signal?: AbortSignal): AsyncGenerator<Buffer> {
  try {
    if (first.done) return;
    yield first.value;
    for (;;) {
      signal?.throwIfAborted();
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    file.destroy();
    stream.destroy();
  }
}

/** A read failure in words (a corrupt `.gz`, a permission problem). */
export function describeReadError(err: unknown): string {
  const code = err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : '';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it disappeared while scanning';
  if (code.startsWith('Z_')) return 'not a valid gzip file';
  return err instanceof Error ? err.message : String(err);
}

/** One line of text and its 1-based number. */
export interface NumberedLine {
  /** The line without its line break. */
  text: string;
  /** 1-based line number. */
  line: number;
}

/**
 * Splits chunks into lines. A line longer than `maxLineBytes` (minified code, a data blob) is
 * handed over in pieces of at most that size, so memory stays bounded.
 */
export async function* readLines(chunks: AsyncIterable<Buffer>, maxLineBytes = CHUNK_BYTES): AsyncGenerator<NumberedLine> {
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    let data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
      yield { text: data.toString('utf8', start, end), line };
      line += 1;
      start = nl + 1;
    }
    data = data.subarray(start);
    while (data.length > maxLineBytes) {
      yield { text: data.toString('utf8', 0, maxLineBytes), line };
      data = data.subarray(maxLineBytes);
    }
    carry = Buffer.from(data);
  }
  if (carry.length > 0) yield { text: carry.toString('utf8'), line };
}
