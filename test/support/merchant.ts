import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterFile } from './after-file.js';

/** The reference merchant's entry point (examples/merchant/). */
export const MERCHANT_SERVER = fileURLToPath(new URL('../../examples/merchant/server.js', import.meta.url));

/** A running reference merchant. */
export interface MerchantProcess {
  /** e.g. `http://127.0.0.1:41234` (what it printed). */
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Stops it (SIGTERM) and waits for the exit; idempotent. */
  stop(): Promise<void>;
}

const running = new Set<MerchantProcess>();

afterFile(async () => {
  await Promise.all([...running].map((merchant) => merchant.stop()));
});

/**
 * Starts `node examples/merchant/server.js` with exactly `env` (plus PATH and PORT=0) and resolves
 * once it printed `listening on <url>`; stopped after the test file at the latest.
 */
export function startMerchant(env: Record<string, string>): Promise<MerchantProcess> {
  const child: ChildProcess = spawn(process.execPath, [MERCHANT_SERVER], {
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const merchant: MerchantProcess = {
    url: '',
    output: () => output,
    stop: async () => {
      running.delete(merchant);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  running.add(merchant);
  return new Promise<MerchantProcess>((resolve, reject) => {
    let started = false;
    const fail = (why: string): void => {
      clearTimeout(timer);
      void merchant.stop();
      reject(new Error(`${why}:\n${output}`));
    };
    const timer = setTimeout(() => fail('the merchant did not start in 10 s'), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /^listening on (http:\/\/\S+)$/m.exec(output)?.[1];
      if (url && !started) {
        started = true;
        clearTimeout(timer);
        resolve({ ...merchant, url });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code, signal) => {
      if (!started) fail(`the merchant exited (${code ?? signal ?? '?'}) before listening`);
    });
  });
}
