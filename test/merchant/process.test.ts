import { freePort } from '../conformance/server-process.js';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MerchantProcess, MerchantStartError, type MerchantCommand } from '../../src/merchant/process.js';
import { tempDir } from '../support/temp.js';

/**
 * The merchant's process as `integration:` start runs it: a shell command in its own process
 * group, ready when its URL answers below 500, its output kept, stopped with the whole group.
 */

// A tiny shop: answers 200 on every path once listening, prints a line, and starts a grandchild
// (a `sleep`) so stopping must reach the whole process group. Writes its pids to a file.
const SHOP = `
const http = require('node:http');
const { spawn } = require('node:child_process');
const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
require('node:fs').writeFileSync(process.env.PIDS, JSON.stringify([process.pid, sleeper.pid]));
http.createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening on ' + process.env.PORT));
`;

const started: MerchantProcess[] = [];
afterEach(async () => {
  for (const merchant of started.splice(0)) await merchant.stop();
});


/** Whether `pid` runs (a zombie waiting for a container's init to reap it has stopped running). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function command(overrides: Partial<MerchantCommand> = {}): Promise<MerchantCommand & { pids: string }> {
  const dir = tempDir('payready-merchant-');
  const port = await freePort();
  const pids = join(dir, 'pids.json');
  return {
    command: `node -e "$SHOP_SOURCE"`,
    cwd: dir,
    env: { PORT: String(port), PIDS: pids, SHOP_SOURCE: SHOP },
    ready: `http://127.0.0.1:${port}/health`,
    timeoutMs: 10_000,
    reuseExisting: false,
    pids,
    ...overrides,
  };
}

describe('MerchantProcess', () => {
  it('starts the command, waits for its URL, keeps its output, and stops its whole process group', async () => {
    const spec = await command();
    const merchant = await MerchantProcess.start(spec, process.env);
    started.push(merchant);
    expect(merchant.started).toBe(true);
    expect(merchant.allOutput()).toMatch(/listening on \d+/);
    const mark = merchant.mark();
    expect(merchant.outputSince(mark)).toBe('');
    const [shell, sleeper] = JSON.parse(readFileSync(spec.pids, 'utf8')) as [number, number];
    expect(alive(sleeper)).toBe(true);
    await merchant.stop();
    expect(alive(shell)).toBe(false);
    expect(alive(sleeper)).toBe(false);
  });

  it('a command that exits before it is ready is a start error quoting its last output', async () => {
    const spec = await command({ command: 'echo "STRIPE_SECRET_KEY is not set" >&2; exit 3' });
    const error = await MerchantProcess.start(spec, process.env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerchantStartError);
    expect((error as Error).message).toMatch(/exited with code 3 before http:\/\/127\.0\.0\.1:\d+\/health answered; its last output:\n {2}STRIPE_SECRET_KEY is not set/);
  });

  it('a command that never answers is a start error after the timeout, and is stopped', async () => {
    const spec = await command({ command: 'echo started; exec sleep 600', timeoutMs: 600 });
    const error = await MerchantProcess.start(spec, process.env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerchantStartError);
    expect((error as Error).message).toMatch(/did not answer on .* within 1 s \(raise integration\.start\.timeout, or fix ready:\); its last output:\n {2}started/);
  });

  it('reuseExisting: a system already answering is used and nothing is started', async () => {
    const server: Server = createServer((req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const spec = await command({ ready: `http://127.0.0.1:${port}/`, reuseExisting: true, command: 'exit 1' });
      const merchant = await MerchantProcess.start(spec, process.env);
      expect(merchant.started).toBe(false);
      expect(existsSync(spec.pids)).toBe(false);
      await merchant.stop();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('without reuseExisting, a system already answering is a start error, not silently judged', async () => {
    const server: Server = createServer((req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const spec = await command({ ready: `http://127.0.0.1:${port}/health` });
      const error = await MerchantProcess.start(spec, process.env).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/already answers before the merchant's command started: something else is running there; stop it, or set integration\.start\.reuseExisting: true/);
      expect(existsSync(spec.pids)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a shell that exits before the shop is ready takes what it started in the background with it', async () => {
    const spec = await command({ command: 'sleep 600 & echo "[$!]" > "$PIDS"; exit 0' });
    const error = await MerchantProcess.start(spec, process.env).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MerchantStartError);
    expect((error as Error).message).toMatch(/exited with code 0 before .* answered \(it must stay in the foreground: `docker compose up`, not `up -d`\)/);
    const [sleeper] = JSON.parse(readFileSync(spec.pids, 'utf8')) as [number];
    const deadline = Date.now() + 2000;
    while (alive(sleeper) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(alive(sleeper)).toBe(false);
  });

  it('an aborted wait stops the command', async () => {
    const spec = await command({ command: 'exec sleep 600' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const error = await MerchantProcess.start(spec, process.env, controller.signal).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/interrupted/);
  });
});
