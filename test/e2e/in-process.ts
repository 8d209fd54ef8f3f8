import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { afterFile } from '../support/after-file.js';
import { manualInterrupt } from '../support/interrupt.js';
import { cliEnv, ROOT, type CliResult } from './helpers.js';

/** A stream that keeps what is written to it, as a child's piped stdout would. */
function capture(): { stream: PassThrough; text: () => Promise<string> } {
  const stream = new PassThrough();
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => (text += chunk));
  // Everything written has been read once the stream has ended.
  const ended = once(stream, 'end');
  return {
    stream,
    text: async () => {
      stream.end();
      await ended;
      return text;
    },
  };
}

/** Runs still going; a test that timed out leaves its run behind. */
const running = new Map<ReturnType<typeof manualInterrupt>, Promise<unknown>>();

// Interrupts what is still running after the file, as Ctrl-C would (the run stops its sandbox and
// removes its temp files), and waits for it: nothing outlives the test file that started it.
afterFile(async () => {
  for (const interrupt of running.keys()) interrupt.fire('SIGINT');
  await Promise.allSettled(running.values());
});

/**
 * Runs `payready args...` in this process, through the CLI's main() with injected io (the same
 * code bin/payready.js runs, with the same CI-like environment runCli gives a child), and
 * resolves with what runCli would: exit code, stdout and stderr.
 *
 * For tests whose subject is what a command does (its verdict, report, files), not the process:
 * a spawned CLI costs about half a CPU-second importing the CLI before it does anything, and
 * this process has it loaded already. Tests of the process itself (exit on signals, bin/
 * payready.js, what a CI recipe runs) keep spawning with runCli.
 */
export async function runInProcess(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const interrupt = manualInterrupt();
  const run = main(args, { stdout: stdout.stream, stderr: stderr.stream, env: options.env ?? cliEnv(), cwd: options.cwd ?? ROOT, interrupt });
  running.set(interrupt, run);
  let code: number;
  try {
    code = await run;
  } finally {
    running.delete(interrupt);
  }
  return { code, signal: null, stdout: await stdout.text(), stderr: await stderr.text() };
}
