// Shared helpers for `npm run bench`: timing whole processes side by side, medians, peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WORK = fileURLToPath(new URL('./.work/', import.meta.url));
export const BIN = fileURLToPath(new URL('../bin/payready.js', import.meta.url));
mkdirSync(WORK, { recursive: true });

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time (ms) of one synchronous process run. */
export function timeProcess(command, args, options = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== (options.expectStatus ?? 0)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr?.toString().slice(0, 500)}`);
  }
  return { ms, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/**
 * Runs several commands interleaved (A B C A B C ...) so machine noise hits them alike; returns
 * the median wall time of each.
 */
export function interleave(commands, runs) {
  const samples = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, j) => samples[j].push(timeProcess(c.command, c.args, c.options).ms));
  }
  return samples.map((s) => ({ median: median(s), samples: s.map((x) => Math.round(x * 10) / 10) }));
}

/** Peak RSS (MB) of a child process, read from /usr/bin/time when present, else from /proc polling. */
export function peakRssOf(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let peak = 0;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      try {
        const status = spawnSync('cat', [`/proc/${child.pid}/status`]).stdout.toString();
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
      } catch {
        /* process gone */
      }
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, peakMb: peak, stdout, stderr });
    });
  });
}

export function round(value, digits = 3) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const DRIVERS = fileURLToPath(new URL('./drivers/', import.meta.url));

/** Starts the sandbox (dist/) in a child process with `faults`; resolves with its target fields and a stop(). */
export function startSandboxProcess(faults = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${DRIVERS}sandbox.js`, ...faults], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) resolve({ fields: JSON.parse(line), stop: () => new Promise((done) => { child.once('close', done); child.kill('SIGTERM'); }) });
    });
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`sandbox driver exited ${code}`)));
  });
}

/** Runs one check type in a fresh process (bench/drivers/run-check.js); returns its JSON result and wall time. */
export function runCheckProcess(type, params, caFile) {
  const { ms, stdout } = timeProcess(process.execPath, [`${DRIVERS}run-check.js`, type, JSON.stringify(params), caFile]);
  return { wallMs: ms, ...JSON.parse(stdout.trim().split('\n').pop()) };
}
