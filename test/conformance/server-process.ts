import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { afterFile } from '../support/after-file.js';

/**
 * Real third-party server programs (nginx, openssl s_server) run as child processes on loopback.
 * Each one is found on the PATH (or where Debian installs it), started on ports `freePort` picks,
 * started again on fresh ports when another process took one in between, and
 * stopped after the file.
 */

const running = new Set<ServerProcess>();

afterFile(async () => {
  await Promise.all([...running].map((server) => server.stop()));
});

/**
 * The path of `program`, or a clear error naming the Debian package that provides it (the test
 * fails, never skips: .ci/run installs the package).
 */
export function requireProgram(program: string, debianPackage: string): string {
  // /usr/sbin is not on every user's PATH, but Debian puts nginx there.
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/usr/bin'];
  const found = dirs.map((dir) => join(dir, program)).find(executable);
  if (found) return found;
  throw new Error(`these tests run the real ${program}, which is not installed: apt-get install ${debianPackage} (.ci/run installs it)`);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A loopback port that was free a moment ago, from this worker's own range (see PORTS_FROM). */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORTS_PER_WORKER; tries++) {
    const port = nextPort();
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port among the ${PORTS_PER_WORKER} of this test worker`);
}

/**
 * Ports a test hands to a program it starts, below the kernel's ephemeral range (Linux: 32768 and
 * up), each vitest worker its own slice. A port the kernel picked for `listen(0)` and released went
 * back to the pool it also draws outgoing connections' ports from: under a few workers' load tests
 * one was taken again before the program could listen (EADDRINUSE). Here no other worker and no
 * outgoing connection is handed the same port.
 */
const PORTS_FROM = 20_000;
const PORTS_PER_WORKER = 1_500;
const WORKER = Number(process.env['VITEST_POOL_ID'] ?? process.pid) % 8;
let offset = Math.floor(Math.random() * PORTS_PER_WORKER);

function nextPort(): number {
  offset = (offset + 1) % PORTS_PER_WORKER;
  return PORTS_FROM + WORKER * PORTS_PER_WORKER + offset;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** The program could not listen because another process took the port after `freePort`. */
export class AddressInUse extends Error {}

const ATTEMPTS = 5;

/**
 * Calls `start` with `count` free ports, and again with fresh ones while it throws
 * `AddressInUse` (a race with another test process that cannot be closed from here).
 */
export async function onFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const ports: number[] = [];
    while (ports.length < count) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    try {
      return await start(ports);
    } catch (err) {
      if (!(err instanceof AddressInUse) || attempt === ATTEMPTS) throw err;
    }
  }
}

/** A started server program. */
export interface ServerProcess {
  /** The child process. */
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after 2 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Spawns `command` and resolves once `ready()` says it is serving. Rejects with its output when it
 * exits first (`AddressInUse` when the output says the port was taken) or after 10 s.
 */
export function startProcess(command: string, args: string[], o: { name: string; ready: (output: string) => boolean }): Promise<ServerProcess> {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let exited = false;
  // 'close' comes after the exit and the last output; a program that could not be spawned only
  // emits 'error'.
  const exit = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      resolve();
    };
    child.once('close', done);
    child.once('error', done);
  });
  const server: ServerProcess = {
    child,
    output: () => output,
    async stop() {
      running.delete(server);
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exit;
        clearTimeout(timer);
      }
    },
  };
  running.add(server);
  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const poll = setInterval(() => {
      if (o.ready(output)) finish();
    }, 25);
    const timer = setTimeout(() => finish(new Error(`${o.name} did not start within 10 s: ${output.trim() || '(no output)'}`)), 10_000);
    const finish = (err?: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timer);
      if (!err) return resolve(server);
      // Not awaited: finish() is a synchronous event callback; stop() only waits for the exit and never rejects.
      void server.stop().then(() => reject(err));
    };
    child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
    child.once('error', (err) => finish(new Error(`${o.name} could not be started: ${err.message}`)));
    child.once('close', (code, signal) => {
      const words = `${o.name} exited (${signal ?? `code ${code}`}) before serving: ${output.trim() || '(no output)'}`;
      finish(/address already in use/i.test(output) ? new AddressInUse(words) : new Error(words));
    });
  });
}
