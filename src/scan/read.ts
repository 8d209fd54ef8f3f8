import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

/**
 * Streams a file's text for the scanners in fixed-size chunks (constant memory whatever the file
 * size), gunzipping `.gz` files when asked. What the scanners get is always UTF-8 (or ASCII):
 * UTF-16 files (a byte-order mark, or the zero-byte pattern of UTF-16 text) are decoded, and a
 * run of NUL bytes at the start (what logrotate's `copytruncate` leaves when the writer keeps its
 * offset) is skipped; long NUL runs further on (holes a crash leaves) reach the scanners, which
 * pass over them like any byte that is not a digit. A file is binary, and skipped, when short NUL
 * runs or control bytes text does not hold appear near its start. A plain log without a NUL byte
 * near its start takes the same path as ever, chunk for chunk.
 */

/** Bytes read at a time: large enough for the scanners' loops to dominate, small enough to stay flat. */
export const CHUNK_BYTES = 1024 * 1024;

/** How much of the start of a file is searched for a NUL byte (git's `buffer_is_binary` looks at 8000). */
const BINARY_PROBE_BYTES = 8000;

/** A run of at least this many NUL bytes is padding or a hole in a text file; a shorter one is binary structure. */
const NUL_RUN_BYTES = 16;

/** How to read. */
export interface ReadOptions {
  /** Decompress files whose name ends in `.gz`. */
  gunzip: boolean;
  /** Aborts between chunks. */
  signal?: AbortSignal;
}

/** How a text file's bytes were encoded (the chunks handed over are UTF-8 whatever it was). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** A file opened for scanning. */
export type OpenedFile =
  | {
      /** Text: its (decompressed, decoded) bytes, chunk by chunk. */
      kind: 'text';
      /** The encoding the file was read in. */
      encoding: TextEncoding;
      /** NUL bytes skipped at the start of the file (copytruncate padding). */
      leadingNuls: number;
      /** The chunks, UTF-8; iterate once. */
      chunks: AsyncGenerator<Buffer>;
    }
  | {
      /** Binary (NUL and control bytes near the start) or unreadable: not scanned. */
      kind: 'binary' | 'unreadable';
      /** Why it is unreadable, in words. */
      reason?: string;
    };

/** True when a file of this name is read through gunzip (with `gunzip: true`). */
export function isGzipName(name: string): boolean {
  return /\.gz$/i.test(name);
}

/** What the first bytes of a file's content say about it. */
export type Sniffed = { kind: 'binary' } | { kind: 'text'; encoding: TextEncoding; /** Bytes of byte-order mark to drop. */ bom: number };

/**
 * Classifies the start of a file's content (after any leading NUL bytes). `offset` is where
 * `head` starts in the file: UTF-16 code units start at even offsets.
 */
export function sniffText(head: Uint8Array, offset = 0): Sniffed {
  const probe = head.subarray(0, BINARY_PROBE_BYTES);
  const bom = utf16Bom(probe);
  if (bom) return { kind: 'text', encoding: bom, bom: 2 };
  if (!probe.includes(0)) return { kind: 'text', encoding: 'utf-8', bom: 0 };
  // UTF-16 text of mostly Latin characters has a zero in every other byte: the high byte, second
  // in little-endian, first in big-endian.
  let even = 0;
  let odd = 0;
  // Long runs of zeros are padding or a hole (copytruncate, a crash), not part of the text;
  // short ones are what binary formats are made of.
  let padding = 0;
  let short = 0;
  let structured = false;
  let run = 0;
  for (let i = 0; i <= probe.length; i++) {
    if (i < probe.length && probe[i] === 0) {
      run += 1;
      continue;
    }
    if (run >= NUL_RUN_BYTES) padding += run;
    else short += run;
    // UTF-16 text has at most three zeros in a row (a U+0000 between Latin characters).
    if (run >= 4 && run < NUL_RUN_BYTES) structured = true;
    if (run < 4) {
      for (let k = i - run; k < i; k++) {
        if ((offset + k) % 2 === 0) even += 1;
        else odd += 1;
      }
    }
    run = 0;
  }
  const text = probe.length - padding;
  const major = Math.max(even, odd);
  if (!structured && text >= 8 && major * 8 >= text && Math.min(even, odd) * 8 <= major) {
    return { kind: 'text', encoding: even > odd ? 'utf-16be' : 'utf-16le', bom: 0 };
  }
  if (short > 0) return { kind: 'binary' };
  // Text with holes, unless the bytes around them hold the control bytes binary formats do.
  for (const c of probe) if ((c >= 1 && c <= 6) || (c >= 14 && c <= 25) || (c >= 28 && c <= 31)) return { kind: 'binary' };
  return { kind: 'text', encoding: 'utf-8', bom: 0 };
}

/** Bytes of the start of a file `isPlainStart` needs (fewer when the file is shorter). */
export const PLAIN_PROBE_BYTES = BINARY_PROBE_BYTES;

/**
 * True when a file starting with `head` is read as it is, byte for byte (no NUL byte near the
 * start, no UTF-16 byte-order mark): the common case, which needs no decoding or skipping.
 */
export function isPlainStart(head: Uint8Array): boolean {
  return !head.subarray(0, BINARY_PROBE_BYTES).includes(0) && !utf16Bom(head);
}

/** The UTF-16 byte-order mark `head` starts with, if any. */
function utf16Bom(head: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Opens a file and reads the start of it to decide whether (and how) it is text. */
export async function openForScan(path: string, options: ReadOptions): Promise<OpenedFile> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const stream: Readable = options.gunzip && isGzipName(path) ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  // A failure on the file stream (EACCES) must reach the iterator of the gunzip stream too.
  if (stream !== file) file.once('error', (err) => stream.destroy(err));
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const close = (): void => {
    file.destroy();
    stream.destroy();
  };
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
    // The common case, unchanged: no NUL byte and no byte-order mark at the start.
    if (first.done || isPlainStart(first.value)) {
      return { kind: 'text', encoding: 'utf-8', leadingNuls: 0, chunks: chunksFrom(first.done ? [] : [first.value], iterator, close, options.signal) };
    }
    const start = await skipLeadingNuls(first.value, iterator, options.signal);
    if (!start.head) return { kind: 'text', encoding: 'utf-8', leadingNuls: start.offset, chunks: chunksFrom([], iterator, close, options.signal) };
    // Enough of the content to judge it, however small the chunks.
    const content = start.head;
    const head = [content];
    let length = content.length;
    while (length < BINARY_PROBE_BYTES) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      length += next.value.length;
    }
    const sniffed = sniffText(head.length === 1 ? content : Buffer.concat(head), start.offset);
    if (sniffed.kind === 'binary') {
      close();
      return { kind: 'binary' };
    }
    head[0] = head[0]!.subarray(sniffed.bom);
    // A UTF-16 code unit starts at an even offset: give back the zero byte of the first one.
    const givenBack = sniffed.encoding !== 'utf-8' && start.offset % 2 === 1 ? 1 : 0;
    if (givenBack) head.unshift(Buffer.alloc(1));
    const chunks = chunksFrom(head, iterator, close, options.signal);
    return { kind: 'text', encoding: sniffed.encoding, leadingNuls: start.offset - givenBack, chunks: sniffed.encoding === 'utf-8' ? chunks : decodeUtf16(chunks, sniffed.encoding) };
  } catch (err) {
    close();
    return { kind: 'unreadable', reason: describeReadError(err) };
  }
}

/** Zeros to compare chunks against (memcmp speed, not a loop over bytes). */
let zeros: Buffer | undefined;

/** Reads past the NUL bytes a file starts with: the content from the first other byte (none when it holds nothing else), and where that is. */
async function skipLeadingNuls(first: Buffer, rest: AsyncIterator<Buffer>, signal?: AbortSignal): Promise<{ head?: Buffer; offset: number }> {
  zeros ??= Buffer.alloc(64 * 1024);
  let offset = 0;
  let chunk = first;
  for (;;) {
    let i = 0;
    while (i < chunk.length) {
      const end = Math.min(chunk.length, i + zeros.length);
      if (!chunk.subarray(i, end).equals(zeros.subarray(0, end - i))) break;
      i = end;
    }
    while (i < chunk.length && chunk[i] === 0) i += 1;
    if (i < chunk.length) return { head: chunk.subarray(i), offset: offset + i };
    offset += chunk.length;
    signal?.throwIfAborted();
    const next = await rest.next();
    if (next.done) return { offset };
    chunk = next.value;
  }
}

async function* chunksFrom(head: Buffer[], rest: AsyncIterator<Buffer>, close: () => void, signal?: AbortSignal): AsyncGenerator<Buffer> {
  try {
    for (const chunk of head) if (chunk.length > 0) yield chunk;
    for (;;) {
      signal?.throwIfAborted();
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    close();
  }
}

/** UTF-16 chunks in, UTF-8 chunks out (a code unit or surrogate pair split across chunks is kept whole). */
async function* decodeUtf16(chunks: AsyncGenerator<Buffer>, encoding: 'utf-16le' | 'utf-16be'): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding);
  try {
    for await (const chunk of chunks) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) yield Buffer.from(text, 'utf8');
    }
    const tail = decoder.decode();
    if (tail) yield Buffer.from(tail, 'utf8');
  } finally {
    await chunks.return(undefined);
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
