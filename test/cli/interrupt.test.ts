import { afterAll, describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listenForInterrupt } from '../../src/cli/interrupt.js';
import { ROOT } from '../e2e/helpers.js';

/** A process stand-in that signals can be sent to, and a record of how it was ended. */
function fakeProcess(graceMs = 40) {
  const target = new EventEmitter();
  const exits: [NodeJS.Signals, number][] = [];
  const warnings: string[] = [];
  const interrupt = listenForInterrupt({
    target: target as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    graceMs,
    exit: (signal, code) => void exits.push([signal, code]),
    warn: (line) => void warnings.push(line),
  });
  return { send: (signal: NodeJS.Signals) => target.emit(signal, signal), interrupt, exits, warnings };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('interrupt: a hard deadline after the first signal (issue 12)', () => {
  it('[signals/hard-deadline] the first signal aborts and tells the listeners; the process is ended only if the graceful path has not, after the grace time', async () => {
    const p = fakeProcess();
    const heard: string[] = [];
    p.interrupt.onInterrupt((s) => heard.push(s));
    const written: string[] = [];
    p.interrupt.onHardExit(() => written.push('partial report'));
    p.send('SIGTERM');
    expect(p.interrupt.signal.aborted).toBe(true);
    expect(p.interrupt.received).toBe('SIGTERM');
    expect(heard).toEqual(['SIGTERM']);
    expect(p.exits).toEqual([]);
    await sleep(200);
    expect(written).toEqual(['partial report']);
    expect(p.exits).toEqual([['SIGTERM', 143]]);
    expect(p.warnings.join('')).toMatch(/^payready: still stopping 0\.04 s after SIGTERM: stopped without finishing \(the partial report is written\)\n$/);
  });

  it('[signals/second-signal] a second signal ends the process at once, with the first signal\'s status', () => {
    const p = fakeProcess(60_000);
    const written: string[] = [];
    p.interrupt.onHardExit(() => written.push('partial report'));
    p.send('SIGINT');
    expect(p.exits).toEqual([]);
    p.send('SIGTERM');
    expect(written).toEqual(['partial report']);
    expect(p.exits).toEqual([['SIGINT', 130]]);
    expect(p.warnings.join('')).toMatch(/^payready: SIGTERM again: /);
    p.send('SIGTERM');
    expect(p.exits).toHaveLength(1);
  });

  it('a graceful path that finishes (dispose) leaves the process alone; an unregistered writer is not called; a failing writer does not stop the exit', async () => {
    const done = fakeProcess();
    done.send('SIGINT');
    done.interrupt.dispose();
    await sleep(150);
    expect(done.exits).toEqual([]);

    const p = fakeProcess();
    const calls: string[] = [];
    const off = p.interrupt.onHardExit(() => calls.push('gone'));
    off();
    p.interrupt.onHardExit(() => {
      throw new Error('disk full');
    });
    p.interrupt.onHardExit(() => calls.push('second writer'));
    p.send('SIGTERM');
    p.send('SIGTERM');
    expect(calls).toEqual(['second writer']);
    expect(p.exits).toEqual([['SIGTERM', 143]]);
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('endProcess: a read that never returns does not keep the process alive', () => {
  it('[signals/blocked-read] a process blocked reading a FIFO (a worker thread held for ever) ends on SIGTERM with status 143', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payready-fifo-'));
    dirs.push(dir);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // process.exit() would wait for the blocked thread for ever: that is what endProcess avoids.
    const script = `
      import { readFile } from 'node:fs/promises';
      const { listenForInterrupt } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/interrupt.js')).href)});
      listenForInterrupt({ graceMs: 100 });
      setTimeout(() => process.stdout.write('blocked\\n'), 200);
      await readFile(${JSON.stringify(fifo)});`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(guard);
    // Killed by SIGTERM itself (default action restored): a shell reports 143, like exit(143).
    expect({ code, signal }, stderr).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stderr).toMatch(/still stopping 0\.1 s after SIGTERM/);
  }, 20_000);

  it("ending by the signal still runs the process's 'exit' listeners (a browser's temp folder is removed by one)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'payready-fifo-'));
    dirs.push(dir);
    const fifo = join(dir, 'fifo');
    const mark = join(dir, 'exit-listener-ran');
    execFileSync('mkfifo', [fifo]);
    const script = `
      import { readFile } from 'node:fs/promises';
      import { writeFileSync } from 'node:fs';
      const { listenForInterrupt } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/cli/interrupt.js')).href)});
      listenForInterrupt({ graceMs: 100 });
      process.on('exit', (code) => writeFileSync(${JSON.stringify(mark)}, String(code)));
      setTimeout(() => process.stdout.write('blocked\\n'), 200);
      await readFile(${JSON.stringify(fifo)});`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.kill('SIGINT');
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    clearTimeout(guard);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGINT' });
    expect(readFileSync(mark, 'utf8')).toBe('130');
  }, 20_000);
});
