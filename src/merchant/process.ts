import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';

/** How to start the merchant's system (the resolved `integration.start`). */
export interface MerchantCommand {
  /** Shell command line. */
  command: string;
  /** Absolute working directory. */
  cwd: string;
  /** Variables added to `baseEnv`. */
  env: Record<string, string>;
  /** URL polled until it answers below 500. */
  ready: string;
  /** Milliseconds to wait for `ready`. */
  timeoutMs: number;
  /** Use a system already answering on `ready` instead of starting one. */
  reuseExisting: boolean;
}

/** The merchant could not be started or did not become ready: the suite's setup, not the target. */
export class MerchantStartError extends Error {
  override readonly name = 'MerchantStartError';
}

// Output kept per process: enough for every order of a run, bounded so a chatty shop cannot fill memory.
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
const POLL_MS = 100;
const STOP_GRACE_MS = 5000;
const GROUP_GRACE_MS = 2000;
const TAIL_LINES = 15;

/**
 * The merchant's process as payready runs it, in the shape Playwright's `webServer` made familiar:
 * started with a shell in its own process group, ready once its URL answers, its output (stdout and
 * stderr interleaved) kept for evidence and for the card-number scan, stopped with SIGTERM and then
 * SIGKILL to the whole group.
 */
export class MerchantProcess {
  private child: ChildProcess | undefined;
  private output = '';
  private dropped = 0;
  private exited: { code: number | null; signal: string | null } | undefined;
  private exitWaiters: (() => void)[] = [];

  private constructor(readonly command: MerchantCommand) {}

  /**
   * Starts the command (or finds the system already running when `reuseExisting`) and resolves once
   * `ready` answers; throws `MerchantStartError` with the cause and the last output lines.
   */
  static async start(command: MerchantCommand, baseEnv: Record<string, string | undefined>, signal?: AbortSignal): Promise<MerchantProcess> {
    const merchant = new MerchantProcess(command);
    if (await answers(command.ready)) {
      if (command.reuseExisting) return merchant;
      // Starting ours would fail on a taken port, or worse, the checks would judge whatever answers there.
      throw new MerchantStartError(`${command.ready} already answers before the merchant's command started: something else is running there; stop it, or set integration.start.reuseExisting: true to use it`);
    }
    merchant.spawn(baseEnv);
    await merchant.waitReady(signal);
    return merchant;
  }

  /** Whether payready started a process (false when an existing system was reused). */
  get started(): boolean {
    return this.child !== undefined;
  }

  /** How much output there is so far: a mark for `outputSince`. */
  mark(): number {
    return this.dropped + this.output.length;
  }

  /** Output printed since `mark` (what was dropped for the size bound is left out). */
  outputSince(mark: number): string {
    return this.output.slice(Math.max(0, mark - this.dropped));
  }

  /** Everything kept. */
  allOutput(): string {
    return this.output;
  }

  /** Stops the process group: SIGTERM, then SIGKILL after a grace period. Idempotent. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    this.kill('SIGTERM');
    const done = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), STOP_GRACE_MS);
    });
    if ((await Promise.race([done, late])) === 'late') {
      this.kill('SIGKILL');
      await done;
    }
    clearTimeout(timer);
    // The shell has gone; what it started may still be finishing its own shutdown. Give the group
    // a moment, then kill what is left, so nothing outlives the run.
    const deadline = performance.now() + GROUP_GRACE_MS;
    while (this.groupAlive() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    this.kill('SIGKILL');
  }

  /** Whether any process of the group still exists (a zombie counts until it is reaped). */
  private groupAlive(): boolean {
    const pid = this.child?.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** Kills the process group at once (a hard exit has no time to wait), the shell gone or not. */
  killNow(): void {
    if (this.child) this.kill('SIGKILL');
  }

  private spawn(baseEnv: Record<string, string | undefined>): void {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(baseEnv)) if (value !== undefined) env[name] = value;
    Object.assign(env, this.command.env);
    // Its own process group (detached), so stopping it stops what the shell started too.
    const child = spawn(this.command.command, { cwd: this.command.cwd, env, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output += chunk.toString('utf8');
      if (this.output.length > MAX_OUTPUT_BYTES) {
        const cut = this.output.length - MAX_OUTPUT_BYTES;
        this.output = this.output.slice(cut);
        this.dropped += cut;
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (error) => {
      this.output += `\n[payready] could not start: ${error.message}\n`;
    });
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      for (const resolve of this.exitWaiters.splice(0)) resolve();
    });
  }

  private kill(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  private async waitReady(signal?: AbortSignal): Promise<void> {
    const deadline = performance.now() + this.command.timeoutMs;
    while (performance.now() < deadline) {
      if (signal?.aborted) {
        await this.stop();
        throw new MerchantStartError('interrupted while waiting for the merchant to start');
      }
      if (this.exited) {
        // What it started in the background must not outlive the failed start.
        this.killNow();
        // Exit code 0 before ready: a command that put the shop in the background and returned.
        const daemonized = this.exited.code === 0;
        const how = this.exited.signal ? `was killed by ${this.exited.signal}` : `exited with code ${this.exited.code}`;
        throw new MerchantStartError(`the merchant's command \`${this.command.command}\` ${how} before ${this.command.ready} answered${daemonized ? ' (it must stay in the foreground: `docker compose up`, not `up -d`)' : ''}${this.tail()}`);
      }
      if (await answers(this.command.ready)) return;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await this.stop();
    throw new MerchantStartError(`the merchant's command \`${this.command.command}\` did not answer on ${this.command.ready} within ${Math.round(this.command.timeoutMs / 1000)} s (raise integration.start.timeout, or fix ready:)${this.tail()}`);
  }

  /** The last lines of output, for an error message. */
  private tail(): string {
    // Enough lines for a stack trace's first line (Node prints the cause above ~10 lines of trace).
    const lines = this.output.trimEnd().split('\n').slice(-TAIL_LINES).join('\n  ');
    return lines ? `; its last output:\n  ${lines}` : '; it printed nothing';
  }
}

/** Whether `url` gives any HTTP answer below 500 (Playwright's rule for a ready webServer). */
async function answers(url: string): Promise<boolean> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
    await res.body.dump();
    return res.statusCode < 500;
  } catch {
    return false;
  }
}
