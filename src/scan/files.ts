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
  /** Bytes scanned (after decompression, and as UTF-8 for UTF-16 files). */
  bytes: number;
  /** Files skipped as binary, by display name. */
  binary: string[];
  /** Text files read as UTF-16 (decoded). */
  utf16: number;
  /** Text files that start with NUL padding (skipped). */
  nulPadded: number;
  /** Files skipped for their size. */
  tooLarge: number;
  /** Files that could not be read, with the reason. */
  unreadable: { name: string; reason: string }[];
  /** Wall time of the scan in milliseconds. */
  durationMs: number;
}

/** Counters of a scan that has read nothing yet. */
export function emptyScanStats(): ScanStats {
  return { files: 0, bytes: 0, binary: [], utf16: 0, nulPadded: 0, tooLarge: 0, unreadable: [], durationMs: 0 };
}

/** Scans every text file the patterns name; `visit` consumes the file's chunks and returns the bytes it read. */
export async function scanFiles(patterns: readonly string[], options: ScanOptions, visit: (file: WalkedFile, chunks: AsyncGenerator<Buffer>) => Promise<void>): Promise<ScanStats> {
  const started = options.now();
  const stats = emptyScanStats();
  for await (const file of walkFiles(patterns, options)) {
    options.signal?.throwIfAborted();
    if (options.maxFileBytes !== undefined && file.size > options.maxFileBytes) {
      stats.tooLarge += 1;
      continue;
    }
    await scanFile(file, options, stats, visit);
  }
  stats.durationMs = options.now() - started;
  return stats;
}

/** Opens one walked file, skips it when binary or unreadable, and streams it to `visit`, counting into `stats`. */
export async function scanFile(file: WalkedFile, options: ScanOptions, stats: ScanStats, visit: (file: WalkedFile, chunks: AsyncGenerator<Buffer>) => Promise<void>): Promise<void> {
  const opened = await openForScan(file.path, { gunzip: options.gunzip, ...(options.signal ? { signal: options.signal } : {}) });
  if (opened.kind !== 'text') {
    if (opened.kind === 'binary') stats.binary.push(file.name);
    else stats.unreadable.push({ name: file.name, reason: opened.reason ?? 'unreadable' });
    return;
  }
  if (opened.encoding !== 'utf-8') stats.utf16 += 1;
  if (opened.leadingNuls > 0) stats.nulPadded += 1;
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

/** The measurements every file scanner reports. */
export function scanMeasurements(stats: ScanStats): Measurement[] {
  const seconds = stats.durationMs / 1000;
  return [
    { name: 'files scanned', value: stats.files, unit: 'count' },
    { name: 'bytes scanned', value: stats.bytes, unit: 'B' },
    { name: 'scan time', value: stats.durationMs, unit: 'ms' },
    { name: 'throughput', value: seconds > 0 ? stats.bytes / 1e6 / seconds : 0, unit: 'MB/s' },
    { name: 'binary files skipped', value: stats.binary.length, unit: 'count' },
    ...(stats.utf16 > 0 ? [{ name: 'UTF-16 files decoded', value: stats.utf16, unit: 'count' }] : []),
    ...(stats.nulPadded > 0 ? [{ name: 'files with leading NUL padding', value: stats.nulPadded, unit: 'count' }] : []),
    ...(stats.tooLarge > 0 ? [{ name: 'large files skipped', value: stats.tooLarge, unit: 'count' }] : []),
    ...(stats.unreadable.length > 0 ? [{ name: 'unreadable files', value: stats.unreadable.length, unit: 'count' }] : []),
  ];
}

/** Binary files named in a summary at most (the findings list them all). */
const NAMED_IN_SUMMARY = 3;

/** `12 files, 3.4 MB` and what was skipped, for a summary line: binary files counted, named, or left to the caller to say. */
export function describeScan(stats: ScanStats, binary: 'count' | 'name' | 'omit' = 'count'): string {
  const parts = [plural(stats.files, 'file'), formatBytes(stats.bytes)];
  if (stats.binary.length > 0 && binary !== 'omit') parts.push(`${stats.binary.length} binary skipped${binary === 'name' ? ` (${listNames(stats.binary)})` : ''}`);
  if (stats.tooLarge > 0) parts.push(`${stats.tooLarge} too large skipped`);
  return parts.join(', ');
}

/** `a.bin, b.bin, c.bin and 4 more`. */
export function listNames(names: readonly string[], max = NAMED_IN_SUMMARY): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Binary files listed as findings at most (all are counted). */
export const MAX_BINARY_FINDINGS = 1000;

/** One note per file skipped as binary, so a reader sees exactly what was not scanned. */
export function binaryFindings(stats: ScanStats): Finding[] {
  return stats.binary.slice(0, MAX_BINARY_FINDINGS).map((file) => ({
    rule: 'scan/binary-skipped',
    level: 'note' as const,
    message: 'not scanned: binary (NUL and control bytes near the start; not UTF-8, UTF-16 or NUL-padded text)',
    file,
  }));
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
