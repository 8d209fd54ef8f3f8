import * as fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { IIN_ROWS } from './cards.js';
import { emptyScanStats, scanFile, type ScanOptions, type ScanStats } from './files.js';
import { panKernel, type KernelScannerClass } from './pan-kernel.js';
import { PanScanner, type PanHit } from './pan.js';
import { CHUNK_BYTES, PLAIN_PROBE_BYTES, describeReadError, isGzipName, isPlainStart } from './read.js';
import { walkFiles, type WalkedFile } from './walk.js';

/**
 * `pan-scan` over many or large files on every core: plain text files (no NUL near the start, no
 * UTF-16 byte-order mark, not gzipped) are cut into pieces that worker threads scan side by side;
 * everything else (UTF-16, NUL-padded, `.gz`, small inputs) is read in this thread exactly as
 * `scanFiles` reads it. Findings arrive in the order a single thread would give them (file by
 * file, by position), with their line numbers.
 *
 * A piece runs from a line start to a line start: from just after the first line break at or
 * after its nominal start - 1 (the file's start for the first piece), to just after the first line
 * break at or after the next piece's nominal start - 1. Neighbours compute the same boundary from
 * the same bytes without talking to each other, and a line break ends every run of digits, so a
 * card number across a nominal boundary is in exactly one piece, found once. A worker counts the
 * line breaks of its piece; the pieces before it give its first line number.
 */

/** How to scan. */
export interface PanScanOptions extends ScanOptions {
  /** Worker threads; fewer than 2 scans everything in this thread. Default: the cores available. */
  workers?: number;
  /** Below this many bytes of plain files in all, no pool is started (its start-up costs more than it saves). */
  poolMinBytes?: number;
  /** A plain file is cut into pieces of about this many bytes (at least one per worker when it is large). */
  pieceBytes?: number;
}

/** Defaults: a pool pays off from tens of megabytes; pieces small enough to keep every worker busy to the end. */
export const POOL_MIN_BYTES = 32 * 1024 * 1024;
export const PIECE_BYTES = 16 * 1024 * 1024;
/** A file smaller than this (per worker) is one piece. */
const MIN_SPLIT_BYTES = 4 * 1024 * 1024;

/** A stretch of a plain file, by nominal byte offsets (see the file comment). */
export interface Piece {
  /** Absolute path. */
  path: string;
  /** Nominal start (0 for the first piece). */
  from: number;
  /** Nominal end (the next piece's nominal start); ignored for the last piece, which runs to the end of the file. */
  to: number;
  /** The file's last piece. */
  last: boolean;
}

/** What scanning a piece found. */
interface PieceResult {
  /** Hits with line numbers and offsets relative to the piece. */
  hits: PanHit[];
  /** Line breaks in the piece. */
  newlines: number;
  /** Where the piece really starts (a line start). */
  start: number;
  /** Bytes scanned. */
  bytes: number;
  /** Why it could not be read. */
  error?: { code?: string; message: string };
}

/** The synchronous file calls a piece needs (node:fs, in whichever thread runs it). */
interface PieceFs {
  openSync(path: string, flags: string): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  closeSync(fd: number): void;
}

/**
 * Scans one piece with `buffer` as read buffer. Self-contained like `panKernel` (its source runs
 * in the workers): no references outside its body but its parameters and Node's globals.
 */
function scanPiece(fsm: PieceFs, Scanner: KernelScannerClass, piece: Piece, buffer: Buffer): PieceResult {
  const hits: PanHit[] = [];
  const fd = fsm.openSync(piece.path, 'r');
  try {
    let pos = piece.from;
    if (pos > 0) {
      // Start after the first line break at or after from - 1.
      pos -= 1;
      for (;;) {
        const n = fsm.readSync(fd, buffer, 0, buffer.length, pos);
        if (n === 0) return { hits, newlines: 0, start: pos, bytes: 0 };
        const nl = buffer.subarray(0, n).indexOf(10);
        if (nl !== -1) {
          pos += nl + 1;
          break;
        }
        pos += n;
      }
    }
    const start = pos;
    // A line that runs past the nominal end belongs to the piece before: nothing left here.
    if (!piece.last && start >= piece.to) return { hits, newlines: 0, start, bytes: 0 };
    const scanner = new Scanner((hit) => hits.push(hit));
    for (let done = false; !done; ) {
      const n = fsm.readSync(fd, buffer, 0, buffer.length, pos);
      if (n === 0) break;
      let take = n;
      if (!piece.last && pos + n > piece.to - 1) {
        // End after the first line break at or after to - 1.
        const nl = buffer.subarray(0, n).indexOf(10, Math.max(0, piece.to - 1 - pos));
        if (nl !== -1) {
          take = nl + 1;
          done = true;
        }
      }
      scanner.feed(buffer.subarray(0, take));
      pos += take;
    }
    scanner.end();
    return { hits, newlines: scanner.lines, start, bytes: pos - start };
  } finally {
    fsm.closeSync(fd);
  }
}

/** The workers' program: the kernel and `scanPiece`, from their own source text. */
function workerSource(): string {
  return [
    `'use strict';`,
    `const { parentPort, workerData } = require('node:worker_threads');`,
    `const fs = require('node:fs');`,
    `const Scanner = (${panKernel.toString()})(workerData.rows);`,
    `const scanPiece = ${scanPiece.toString()};`,
    `const buffer = Buffer.allocUnsafe(workerData.chunkBytes);`,
    `parentPort.on('message', ({ id, piece }) => {`,
    `  let result;`,
    `  try { result = scanPiece(fs, Scanner, piece, buffer); }`,
    `  catch (err) { result = { hits: [], newlines: 0, start: piece.from, bytes: 0, error: { code: err && err.code, message: String((err && err.message) || err) } }; }`,
    `  parentPort.postMessage({ id, result });`,
    `});`,
  ].join('\n');
}

interface Task {
  id: number;
  piece: Piece;
  resolve: (result: PieceResult) => void;
  reject: (err: unknown) => void;
}

/** Worker threads running pieces, first come first served. */
class PiecePool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Map<Worker, Task>();
  private nextId = 0;
  private failure: unknown;

  constructor(size: number) {
    const source = workerSource();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(source, { eval: true, workerData: { rows: IIN_ROWS, chunkBytes: CHUNK_BYTES } });
      worker.on('message', (message: { id: number; result: PieceResult }) => {
        const task = this.running.get(worker);
        this.running.delete(worker);
        if (task && task.id === message.id) task.resolve(message.result);
        this.idle.push(worker);
        this.pump();
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (this.running.has(worker)) this.fail(new Error(`a pan-scan worker exited (${code})`));
      });
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(piece: Piece): Promise<PieceResult> {
    return new Promise((resolve, reject) => {
      if (this.failure !== undefined) {
        reject(this.failure);
        return;
      }
      this.queue.push({ id: this.nextId++, piece, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const task = this.queue.shift()!;
      this.running.set(worker, task);
      worker.postMessage({ id: task.id, piece: task.piece });
    }
  }

  private fail(err: unknown): void {
    this.failure ??= err;
    for (const task of [...this.running.values(), ...this.queue.splice(0)]) task.reject(err);
    this.running.clear();
  }
}

/** One file of the plan: read in this thread, or in pieces by the pool. */
type Planned = { file: WalkedFile; pieces?: undefined } | { file: WalkedFile; pieces: Piece[] };

/**
 * Scans every file the patterns name for card numbers, calling `onHit` for each in file order and
 * by position (the order `scanFiles` with a `PanScanner` gives). Same counters as `scanFiles`.
 */
export async function scanPanFiles(patterns: readonly string[], options: PanScanOptions, onHit: (file: WalkedFile, hit: PanHit) => void): Promise<ScanStats> {
  const started = options.now();
  const stats = emptyScanStats();
  const files: WalkedFile[] = [];
  for await (const file of walkFiles(patterns, options)) {
    if (options.maxFileBytes !== undefined && file.size > options.maxFileBytes) stats.tooLarge += 1;
    else files.push(file);
  }
  const workers = Math.floor(options.workers ?? availableParallelism());
  const gzipped = (file: WalkedFile): boolean => options.gunzip && isGzipName(file.path);
  const plainBytes = files.reduce((sum, file) => sum + (gzipped(file) ? 0 : file.size), 0);
  const inThread = async (file: WalkedFile): Promise<void> =>
    scanFile(file, options, stats, async (_file, chunks) => {
      const scanner = new PanScanner((hit) => onHit(file, hit));
      for await (const chunk of chunks) scanner.feed(chunk);
      scanner.end();
    });

  if (workers < 2 || plainBytes < (options.poolMinBytes ?? POOL_MIN_BYTES)) {
    for (const file of files) {
      options.signal?.throwIfAborted();
      await inThread(file);
    }
    stats.durationMs = options.now() - started;
    return stats;
  }

  const plan: Planned[] = files.map((file) => (gzipped(file) || file.size === 0 || !plainStart(file.path) ? { file } : { file, pieces: cut(file, workers, options.pieceBytes ?? PIECE_BYTES) }));
  const pool = new PiecePool(workers);
  try {
    // Pieces go to the pool in file order, a few per worker ahead of the one being reported, so
    // results waiting their turn stay few (memory) and the workers never wait for this thread.
    const jobs = plan.flatMap((entry) => entry.pieces ?? []);
    const results: Promise<PieceResult>[] = [];
    const ahead = workers * 3;
    let consumed = 0;
    const submit = (): void => {
      while (results.length < jobs.length && results.length - consumed < ahead) {
        const result = pool.run(jobs[results.length]!);
        result.catch(() => undefined); // awaited in order below; a failure must not surface as unhandled meanwhile
        results.push(result);
      }
    };
    submit();
    for (const entry of plan) {
      options.signal?.throwIfAborted();
      if (!entry.pieces) {
        await inThread(entry.file);
        continue;
      }
      let lines = 0;
      let bytes = 0;
      let failed = false;
      for (let k = 0; k < entry.pieces.length; k++) {
        const result = await results[consumed]!;
        consumed += 1;
        submit();
        if (failed) continue;
        if (result.error) {
          // A file removed or cut short mid-scan: note it, keep what was found, go on.
          failed = true;
          stats.unreadable.push({ name: entry.file.name, reason: describeReadError(Object.assign(new Error(result.error.message), { code: result.error.code })) });
          continue;
        }
        for (const hit of result.hits) onHit(entry.file, { ...hit, line: hit.line + lines, offset: hit.offset + result.start });
        lines += result.newlines;
        bytes += result.bytes;
      }
      stats.files += 1;
      stats.bytes += bytes;
    }
  } finally {
    await pool.close();
  }
  stats.durationMs = options.now() - started;
  return stats;
}

/** The pieces of a plain file (see the file comment). */
export function cut(file: WalkedFile, workers: number, pieceBytes: number): Piece[] {
  const size = file.size;
  const count = Math.max(Math.ceil(size / pieceBytes), size >= workers * MIN_SPLIT_BYTES ? workers : 1);
  const pieces: Piece[] = [];
  for (let k = 0; k < count; k++) {
    pieces.push({ path: file.path, from: Math.round((k * size) / count), to: Math.round(((k + 1) * size) / count), last: k === count - 1 });
  }
  return pieces;
}

/** True when the file starts like text read byte for byte (what `openForScan` passes through unchanged). */
function plainStart(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    const head = Buffer.alloc(PLAIN_PROBE_BYTES);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n > 0 && isPlainStart(head.subarray(0, n));
  } catch {
    return false; // read in this thread, which reports why it cannot be
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
