import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Redactor } from './redact.js';

/** A temporary name next to `path`, so the final rename stays on one file system (atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.payready-tmp-${basename(path)}-${randomBytes(4).toString('hex')}`);
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
      await rename(temp, path);
    },
    async discard() {
      await closed().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
