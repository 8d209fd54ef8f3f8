import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputError, ensureDir, openJsonl, placeOutput, writeFileAtomic } from '../../src/evidence/write.js';

/*
 * Outputs never replace what is not a regular file. Every special file here lives in a temp
 * folder (a FIFO, a symbolic link to a character device): the real /dev/null is never a target.
 */

let dir = '';
const readers: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'payready-write-'));
});
afterEach(() => {
  // A reader still waiting (the test failed before writing) is stopped, by its own pid.
  for (const child of readers.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A reader on a FIFO in a child process (`cat`), so the test's own event loop is never blocked; resolves with what it read. */
function readFifo(path: string): Promise<string> {
  const child = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'ignore'] });
  readers.push(child);
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((resolve) => child.on('close', () => resolve(text)));
}

describe('outputs', () => {
  it('a regular file is replaced atomically, a missing one created with its folders, no temporary file left', async () => {
    writeFileSync(join(dir, 'report.json'), 'old');
    await writeFileAtomic(join(dir, 'report.json'), 'new');
    await writeFileAtomic(join(dir, 'a', 'b', 'junit.xml'), '<x/>');
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'a', 'b', 'junit.xml'), 'utf8')).toBe('<x/>');
    expect(readdirSync(dir).sort()).toEqual(['a', 'report.json']);
  });

  it('a symbolic link to a character device stays a link, and the device is written in place', async () => {
    symlinkSync('/dev/null', join(dir, 'null-link'));
    await writeFileAtomic(join(dir, 'null-link'), 'discarded');
    expect(lstatSync(join(dir, 'null-link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'null-link'))).toBe('/dev/null');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(dir)).toEqual(['null-link']);
  });

  it('a symbolic link to a regular file stays a link; the file it points to is replaced', async () => {
    writeFileSync(join(dir, 'real.json'), 'old');
    symlinkSync('real.json', join(dir, 'link.json'));
    await writeFileAtomic(join(dir, 'link.json'), 'new');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.json'), 'utf8')).toBe('new');
  });

  it('a FIFO stays a FIFO and its reader gets the data; a FIFO nobody reads is refused, never waited on', async () => {
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(writeFileAtomic(fifo, 'lost')).rejects.toThrow(new OutputError('it is a FIFO that nothing reads: start its reader first, or write to a file'));
    const read = readFifo(fifo);
    // The reader opens the FIFO in its own time: retry until it is there.
    for (let i = 0; ; i++) {
      try {
        await writeFileAtomic(fifo, '{"verdict":"READY"}\n');
        break;
      } catch (error) {
        if (i > 200 || !(error instanceof OutputError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    expect(await read).toBe('{"verdict":"READY"}\n');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['report.fifo']);
  });

  it('- and /dev/stdout go to the given standard output; a directory or a socket is refused', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let text = '';
    stdout.on('data', (d: Buffer) => (text += d.toString()));
    await writeFileAtomic('-', 'one\n', { stdout, stderr });
    await writeFileAtomic('/dev/stdout', 'two\n', { stdout, stderr });
    expect(text).toBe('one\ntwo\n');
    await expect(placeOutput(dir)).rejects.toThrow('it is a directory');
  });

  it('a folder under a regular file or under /proc is an error naming it, at once (recursive mkdir would spin for ever on /proc)', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(ensureDir(join(dir, 'file', 'out'))).rejects.toThrow(`${join(dir, 'file')} is a file, not a folder`);
    await expect(ensureDir('/proc/payready-nowhere/out')).rejects.toThrow('cannot create the folder /proc/payready-nowhere: the file system does not allow it');
    await expect(writeFileAtomic(join(dir, 'file', 'report.json'), '{}')).rejects.toThrow(`${join(dir, 'file')} is a file, not a folder`);
  });

  it('a JSONL log bound for a device is spooled beside the outputs, delivered on commit, readable for the bundle, then removed', async () => {
    symlinkSync('/dev/null', join(dir, 'log-link'));
    const spool = join(dir, 'out');
    const log = await openJsonl(join(dir, 'log-link'), { spoolDir: spool });
    log.write(JSON.stringify({ checkId: 'a', method: 'GET' }));
    await log.commit();
    expect((await log.contents()).toString()).toBe('{"checkId":"a","method":"GET"}\n');
    await log.discard();
    expect(readdirSync(spool)).toEqual([]);
    expect(lstatSync(join(dir, 'log-link')).isSymbolicLink()).toBe(true);
  });
});
