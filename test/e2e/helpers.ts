import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterFile } from '../support/after-file.js';
import { tempDir as supportTempDir } from '../support/temp.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(ROOT, 'bin', 'payready.js');
/** The GitHub Action's entry script (action.yml runs it). */
const ACTION_ENTRY = join(ROOT, 'ci', 'github', 'action.js');

/** Result of one CLI run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A fresh temporary folder for a test's outputs, removed after the test file. */
export function tempDir(prefix = 'payready-e2e-'): string {
  return supportTempDir(prefix);
}

/** Environment for the CLI: CI-like (no TTY, no colour), no inherited payready variables. */
export function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PAYREADY_') && k !== 'FORCE_COLOR') env[k] = v;
  return { ...env, CI: 'true', NO_COLOR: '1', ...extra };
}

/** CLI processes still running; a test that timed out leaves its CLI behind. */
const running = new Map<ChildProcess, Promise<CliResult>>();

// Stops what is still running after the file with SIGTERM (the CLI then stops its sandbox and
// removes its temp files, as on Ctrl-C), so nothing outlives the test file that started it.
afterFile(async () => {
  for (const child of running.keys()) child.kill('SIGTERM');
  await Promise.all(running.values());
});

/** Spawns `bin/payready.js args...` and collects its output. */
export function spawnCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: options.env ?? cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  running.set(child, done);
  // Fire and forget: bookkeeping when the child closes (done never rejects).
  void done.then(() => running.delete(child));
  return { child, done };
}

/**
 * Runs one shell line of a CI recipe as written, with `sh -c` (what GitLab's runner and a GitHub
 * `run:` step do), `npx payready` pointing at this checkout's CLI instead of an installed one.
 */
export function runRecipeLine(line: string, options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const command = line.replace(/\bnpx payready\b/g, `"${process.execPath}" "${BIN}"`);
  const child = spawn('sh', ['-c', command], { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  running.set(child, done);
  // Fire and forget: bookkeeping when the child closes (done never rejects).
  void done.then(() => running.delete(child));
  return done;
}

/** Runs the CLI to completion. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}

/**
 * Runs the CLI to completion, killing it after `killAfterMs`: a hang or a spin then fails the
 * test instead of outliving it.
 */
export async function runCliBounded(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}, killAfterMs = 25_000): Promise<CliResult> {
  const { child, done } = spawnCli(args, options);
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  try {
    return await done;
  } finally {
    clearTimeout(killer);
  }
}

/** Every file under `dir`, recursively, with its bytes. */
export function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ path, bytes: readFileSync(path) });
  }
  return out;
}

/** Asserts no stack trace text is in `text` (lines like "    at fn (file.js:1:2)" or "TypeError:"). */
export function stackTraceIn(text: string): string | undefined {
  return /^\s+at .+:\d+:\d+\)?$/m.exec(text)?.[0] ?? /\b(?:TypeError|ReferenceError|SyntaxError|RangeError):/.exec(text)?.[0];
}

/** A result that is only the shipped attestation template's warning (expected on every demo run). */
export function isTemplateWarning(r: { type: string; status: string; message?: { id: string; data: Readonly<Record<string, unknown>> } }): boolean {
  return r.type === 'attestation' && r.status === 'warn' && r.message?.id === 'problems' && r.message.data.problem === 'templateSandbox';
}

/** Runs the action's entry script as GitHub's runner would: inputs as INPUT_*, the runner's files and variables set. */
export function runAction(inputs: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; outputs: Record<string, string>; summary: string; dir: string }> {
  const dir = tempDir('payready-action-');
  const outputFile = join(dir, 'github-output');
  const summaryFile = join(dir, 'step-summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env = cliEnv({ GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: dir });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [ACTION_ENTRY], { cwd: dir, env }, (error, stdout, stderr) => {
      const outputs: Record<string, string> = {};
      // The delimiter form GitHub documents: name<<DELIM, value lines, DELIM.
      for (const m of readFileSync(outputFile, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm)) outputs[m[1]!] = m[3]!;
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, outputs, summary: readFileSync(summaryFile, 'utf8'), dir });
    });
  });
}
