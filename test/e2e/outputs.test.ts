import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliBounded, stackTraceIn, tempDir, type CliResult } from './helpers.js';

/*
 * Where `run` writes: --out must be a folder that can exist (else a usage error, at once), and
 * reports and logs aimed at a FIFO, a link to a character device or `-` are written there, never
 * replaced by a regular file. Special files live in a temp folder; /dev/null itself is never a target.
 */

let dir = '';
let server: Server;
const readers: ChildProcess[] = [];

beforeAll(async () => {
  dir = tempDir('payready-outputs-');
  server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  writeFileSync(
    join(dir, 'suite.yaml'),
    ['suite: outputs', 'title: Outputs', 'environments:', '  local:', `    baseUrl: http://127.0.0.1:${port}`, 'checks:', '  - id: health', '    type: http', '    section: "1.1"', '    with:', '      url: ${target.baseUrl}/health', ''].join('\n'),
  );
  writeFileSync(join(dir, 'a-file'), '');
});

afterAll(async () => {
  for (const child of readers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in the temp folder; a hang or a spin fails the test, it does not outlive it. */
function cli(args: string[]): Promise<CliResult> {
  return runCliBounded(args, { cwd: dir });
}

describe('--out and outputs that are not regular files', () => {
  it('[files/out-folder] --out under a regular file, or under /proc, is a usage error naming the folder (exit 2), not a bug or a spin', async () => {
    const underFile = await cli(['run', 'suite.yaml', '--out', 'a-file/report']);
    expect(underFile.code, underFile.stderr).toBe(2);
    expect(underFile.stderr).toBe('error: cannot create --out a-file/report: a-file is a file, not a folder\n');
    const underProc = await cli(['run', 'suite.yaml', '--out', '/proc/payready-nowhere/report']);
    expect(underProc.code, underProc.stderr).toBe(2);
    expect(underProc.stderr).toBe('error: cannot create --out /proc/payready-nowhere/report: cannot create the folder /proc/payready-nowhere: the file system does not allow it\n');
    for (const r of [underFile, underProc]) expect(stackTraceIn(r.stderr)).toBeUndefined();
  });

  it('[files/special-outputs] --log to a FIFO, a report to a link to a character device and another to -: each written there, none replaced', async () => {
    const fifo = join(dir, 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('/dev/null', join(dir, 'junit-link'));
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    readers.push(reader);
    let logged = '';
    reader.stdout!.on('data', (d: Buffer) => (logged += d.toString()));
    const readerDone = new Promise<void>((resolve) => reader.on('close', () => resolve()));

    const run = await cli(['run', 'suite.yaml', '-q', '--out', 'out', '--log', 'log.fifo', '--reporter', 'junit=junit-link', '--reporter', 'markdown=-']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    await readerDone;
    // The interaction log reached the FIFO's reader, and the FIFO is still one.
    expect(logged.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([expect.objectContaining({ checkId: 'health', method: 'GET', status: 200 })]);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(join(dir, 'junit-link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'junit-link'))).toBe('/dev/null');
    expect(run.stdout).toMatch(/^## payready: .*READY/m);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'))).toMatchObject({ verdict: 'READY' });
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.json']);
    expect(readdirSync(dir).filter((name) => name.startsWith('.payready-tmp'))).toEqual([]);
  });

  it('a FIFO nobody reads is refused with a usage error; the reports are still written', async () => {
    const fifo = join(dir, 'orphan.fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await cli(['run', 'suite.yaml', '-q', '--out', 'out2', '--log', 'orphan.fifo']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toBe('error: cannot write --log orphan.fifo: it is a FIFO that nothing reads: start its reader first, or write to a file\n');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(join(dir, 'out2'))).toEqual(['report.json']);
  });
});
