import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileReadError, readRegularFile } from '../src/files.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'payready-files-'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync('/dev/zero', join(dir, 'zero'));
  mkdirSync(join(dir, 'folder'));
  writeFileSync(join(dir, 'small.txt'), 'x'.repeat(1024));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(path: string, maxBytes = 4096): Promise<FileReadError> {
  const error = await readRegularFile(path, maxBytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FileReadError);
  return error as FileReadError;
}

describe('readRegularFile', () => {
  it('refuses a FIFO at once (no writer needed: it never waits) and a character device (never reads /dev/zero)', async () => {
    expect(await failure(join(dir, 'fifo'))).toMatchObject({ reason: 'not-a-file', message: 'it is a FIFO (named pipe); payready reads regular files only' });
    expect(await failure(join(dir, 'zero'))).toMatchObject({ reason: 'not-a-file', message: 'it is a character device; payready reads regular files only' });
    expect(await failure(join(dir, 'folder'))).toMatchObject({ reason: 'not-a-file', message: 'it is a directory; payready reads regular files only' });
  });

  it('names a missing file, and one under a regular file, without the absolute path', async () => {
    expect(await failure(join(dir, 'nope'))).toMatchObject({ reason: 'missing', message: 'no such file' });
    expect(await failure(join(dir, 'small.txt', 'x'))).toMatchObject({ reason: 'unreadable', message: 'a parent is not a directory' });
  });

  it('caps the size: at the cap it reads, one byte over it refuses', async () => {
    expect((await readRegularFile(join(dir, 'small.txt'), 1024)).length).toBe(1024);
    expect(await failure(join(dir, 'small.txt'), 1023)).toMatchObject({ reason: 'too-large', message: 'it is larger than 1023 bytes' });
    expect(await failure(join(dir, 'small.txt'), 512)).toMatchObject({ message: 'it is larger than 512 bytes' });
  });

  it('does not trust a size of 0: a /proc file is read up to the cap', async () => {
    const status = await readRegularFile('/proc/self/status', 1024 * 1024);
    expect(status.toString('utf8')).toMatch(/^Name:/);
    expect(await failure('/proc/self/status', 16)).toMatchObject({ reason: 'too-large' });
  });
});
