import { closeSync, createWriteStream, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Redactor } from './redact.js';

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
 * regular file (or a missing one) is replaced; anything else is left alone.
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

/** Writes a file atomically: a temporary file in the same folder, then a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** A JSONL file written line by line (redacted) and renamed into place by `commit()`. */
export interface JsonlWriter {
  /** Appends one redacted line. */
  write(entry: unknown): void;
  /** Flushes and renames the file into place. */
  commit(): Promise<void>;
  /** Drops the temporary file (on failure). */
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

/** Opens a streamed JSONL writer; nothing appears at `path` until `commit()`. */
export async function openJsonl(path: string, redactor: Redactor): Promise<JsonlWriter> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const stream: WriteStream = createWriteStream(temp, { flags: 'w' });
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '' || stream.closed) return;
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
  let settled = false;
  return {
    write(entry) {
      // Redacted before serialising (a secret JSON-escaped is another string), and the line once more.
      pending += `${redactor.redact(JSON.stringify(redactor.redactDeep(entry)))}\n`;
      if (pending.length >= JSONL_BATCH) flush();
      // Still streamed: a line reaches the file within JSONL_FLUSH_MS; one write per request would cost more than the request.
      else timer ??= setTimeout(flush, JSONL_FLUSH_MS).unref();
    },
    async commit() {
      await closed();
      settled = true;
      await rename(temp, path);
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
      stream.destroy();
      try {
        truncateToLastLine(temp);
        if (isRegularOrMissing(path)) renameSync(temp, path);
      } catch {
        // not opened yet, or gone: there is nothing to keep
      } finally {
        rmSync(temp, { force: true });
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
