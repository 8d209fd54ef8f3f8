import type { Finding, Measurement } from '../model/outcome.js';
import { formatBytes } from '../net/http.js';
import { describeReadError, openForScan } from './read.js';
import { walkFiles, type WalkOptions, type WalkedFile } from './walk.js';
import { plural } from '../text.js';

/**
 * The loop both file scanners share: walk, skip binary and oversized files, stream each text file
 * to the scanner, count what was read. What a scanner looks for is its own business.
 */

/** How to scan. */
export interface ScanOptions extends WalkOptions {
  /** Read `.gz` files through gunzip (pan-scan: rotated logs). */
  gunzip: boolean;
  /** Skip files larger than this on disk (bytes); no limit when absent. */
  maxFileBytes?: number;
  /** Monotonic clock in milliseconds (the run's). */
  now: () => number;
}

/** What was read. */
export interface ScanStats {
  /** Text files scanned. */
  files: number;
  /** Bytes scanned (after decompression). */
  bytes: number;
  /** Files skipped as binary. */
  binary: number;
  /** Files skipped for their size. */
  tooLarge: number;
  /** Files that could not be read, with the reason. */
  unreadable: { name: string; reason: string }[];
  /** Wall time of the scan in milliseconds. */
  durationMs: number;
}

/** Scans every text file the patterns name; `visit` consumes the file's chunks and returns the bytes it read. */
export async function scanFiles(patterns: readonly string[], options: ScanOptions, visit: (file: WalkedFile, chunks: AsyncGenerator<Buffer>) => Promise<void>): Promise<ScanStats> {
  const started = options.now();
  const stats: ScanStats = { files: 0, bytes: 0, binary: 0, tooLarge: 0, unreadable: [], durationMs: 0 };
  for await (const file of walkFiles(patterns, options)) {
    options.signal?.throwIfAborted();
    if (options.maxFileBytes !== undefined && file.size > options.maxFileBytes) {
      stats.tooLarge += 1;
      continue;
    }
    const opened = await openForScan(file.path, { gunzip: options.gunzip, ...(options.signal ? { signal: options.signal } : {}) });
    if (opened.kind !== 'text') {
      if (opened.kind === 'binary') stats.binary += 1;
      else stats.unreadable.push({ name: file.name, reason: opened.reason ?? 'unreadable' });
      continue;
    }
    let bytes = 0;
    const source = opened.chunks;
    const counted = (async function* () {
      for await (const chunk of source) {
        bytes += chunk.length;
        yield chunk;
      }
    })();
    try {
      await visit(file, counted);
    } catch (err) {
      if (options.signal?.aborted) throw err;
      // A corrupt .gz or a file removed mid-scan: note it, keep what was found, go on.
      stats.unreadable.push({ name: file.name, reason: describeReadError(err) });
    }
    stats.files += 1;
    stats.bytes += bytes;
  }
  stats.durationMs = options.now() - started;
  return stats;
}

/** The measurements every file scanner reports. */
export function scanMeasurements(stats: ScanStats): Measurement[] {
  const seconds = stats.durationMs / 1000;
  return [
    { name: 'files scanned', value: stats.files, unit: 'count' },
    { name: 'bytes scanned', value: stats.bytes, unit: 'B' },
    { name: 'scan time', value: stats.durationMs, unit: 'ms' },
    { name: 'throughput', value: seconds > 0 ? stats.bytes / 1e6 / seconds : 0, unit: 'MB/s' },
    { name: 'binary files skipped', value: stats.binary, unit: 'count' },
    ...(stats.tooLarge > 0 ? [{ name: 'large files skipped', value: stats.tooLarge, unit: 'count' }] : []),
    ...(stats.unreadable.length > 0 ? [{ name: 'unreadable files', value: stats.unreadable.length, unit: 'count' }] : []),
  ];
}

/** `12 files, 3.4 MB` (and what was skipped) for a summary line. */
export function describeScan(stats: ScanStats): string {
  const parts = [plural(stats.files, 'file'), formatBytes(stats.bytes)];
  if (stats.binary > 0) parts.push(`${stats.binary} binary skipped`);
  if (stats.tooLarge > 0) parts.push(`${stats.tooLarge} too large skipped`);
  return parts.join(', ');
}

/** `logs/app.log:12`. */
export function where(finding: Finding): string {
  return `${finding.file ?? '?'}${finding.line !== undefined ? `:${finding.line}` : ''}`;
}

/** The note on files that could not be read, for a summary; empty when there were none. */
export function unreadableNote(stats: ScanStats): string {
  const [first] = stats.unreadable;
  if (!first) return '';
  const more = stats.unreadable.length > 1 ? ` and ${stats.unreadable.length - 1} more` : '';
  return `could not read ${first.name} (${first.reason})${more}`;
}
