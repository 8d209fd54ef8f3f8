/**
 * SIGINT/SIGTERM/SIGHUP caught from the first moment of the process (bin/payready.js installs this
 * before loading anything), so an interrupt at any point of a run still ends with a report marked
 * incomplete and exit 130/143/129 instead of the default abrupt death. SIGHUP is a closed terminal
 * (the window running `payready sandbox`): dying of it would leave the sandbox's temp folder, its
 * CA file and request log, behind.
 *
 * The first signal aborts the run and lets the command finish gracefully (running checks are
 * aborted, every report written). That path gets a deadline: if it has not ended the process
 * `graceMs` after the signal (something ignored the abort: a read that blocks, a loop), or when a
 * second signal arrives, the hard exit runs what was registered with `onHardExit` (synchronous
 * writes of what the run knows so far) and ends the process with the signal's status anyway.
 */
export interface Interrupt {
  /** Aborts when the first SIGINT, SIGTERM or SIGHUP arrives. */
  readonly signal: AbortSignal;
  /** Which signal arrived, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Called once when a signal arrives (the CLI prints a line). */
  onInterrupt(listener: (signal: NodeJS.Signals) => void): void;
  /**
   * Registers what to write if the process must end before the graceful path does: synchronous
   * and quick (a partial report). Returns a function that unregisters it.
   */
  onHardExit(writer: () => void): () => void;
  /** Stops listening (the process then exits normally). */
  dispose(): void;
}

/** How the graceful path is bounded, and how the process ends. */
export interface InterruptOptions {
  /** Where signals come from (default: the process). */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** How long the graceful path gets after the first signal, in ms (default 1.5 s). */
  graceMs?: number;
  /** Ends the process with the signal's status (default: `endProcess`). */
  exit?: (signal: NodeJS.Signals, code: number) => void | Promise<void>;
  /** Says on stderr why the process ends the hard way. */
  warn?: (line: string) => void;
}

/** The graceful path's time after a first signal: the whole exit stays within two seconds. */
export const GRACE_MS = 1_500;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** The exit status for a signal: 130 for SIGINT, 129 for SIGHUP, 143 for SIGTERM (128 + its number, as shells report). */
export function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143;
}

/** Listens for SIGINT, SIGTERM and SIGHUP on the process (or `options.target`). */
export function listenForInterrupt(options: InterruptOptions = {}): Interrupt {
  const target = options.target ?? process;
  const graceMs = options.graceMs ?? GRACE_MS;
  const exit = options.exit ?? endProcess;
  const warn = options.warn ?? ((line: string) => void process.stderr.write(line));
  const controller = new AbortController();
  const listeners: ((signal: NodeJS.Signals) => void)[] = [];
  const writers = new Set<() => void>();
  let received: NodeJS.Signals | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let ended = false;

  const hardExit = (why: string): void => {
    if (ended || !received) return;
    ended = true;
    clearTimeout(deadline);
    for (const write of writers) {
      try {
        write();
      } catch {
        // Whatever could not be written stays unwritten: ending now is what was asked.
      }
    }
    warn(`payready: ${why}: stopped without finishing${writers.size > 0 ? ' (the partial report is written)' : ''}\n`);
    // Fire and forget: called from a signal handler; endProcess ends the process and never rejects.
    void exit(received, exitCodeFor(received));
  };

  const handler = (signal: NodeJS.Signals): void => {
    if (received) {
      hardExit(`${signal} again`);
      return;
    }
    received = signal;
    deadline = setTimeout(() => hardExit(`still stopping ${graceMs / 1000} s after ${signal}`), graceMs);
    controller.abort();
    for (const listener of listeners) listener(signal);
  };
  for (const signal of SIGNALS) target.on(signal, handler);
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    onInterrupt(listener) {
      if (received) listener(received);
      else listeners.push(listener);
    },
    onHardExit(writer) {
      writers.add(writer);
      return () => void writers.delete(writer);
    },
    dispose() {
      clearTimeout(deadline);
      for (const signal of SIGNALS) target.off(signal, handler);
    },
  };
}

/**
 * Request kinds that hold a libuv worker thread. `process.exit()` joins those threads, and one
 * blocked in a read that never returns (a FIFO without a writer, a hung network mount) would keep
 * the process alive for ever, whatever signal arrives.
 */
const THREAD_POOL_REQUESTS: ReadonlySet<string> = new Set(['FSReqCallback', 'FSReqPromise', 'GetAddrInfoReqWrap', 'GetNameInfoReqWrap', 'FileHandleCloseReq']);

/** True while a request holds (or waits for) a worker thread. */
function threadPoolBusy(): boolean {
  return process.getActiveResourcesInfo().some((kind) => THREAD_POOL_REQUESTS.has(kind));
}

/**
 * Ends the process with `code` after `signal`. Requests still on the thread pool (a log being
 * closed, a temporary folder removed) get up to `settleMs` to finish; one that does not (a read
 * that never returns) would make `process.exit()` wait for ever, so the process then ends by the
 * signal itself, its default action restored, which a shell or CI runner reports as the same
 * status (128 + the signal's number: 130, 143).
 */
export async function endProcess(signal: NodeJS.Signals, code: number, settleMs = 300): Promise<void> {
  const started = performance.now();
  while (threadPoolBusy() && performance.now() - started < settleMs) await new Promise((resolve) => setTimeout(resolve, 5));
  if (threadPoolBusy()) {
    // Dying of the signal skips the 'exit' listeners that `process.exit()` would call: they are
    // what kills a browser still starting and removes its temp folder (src/checks/ui/browser.ts),
    // synchronous by contract, so they run here first.
    for (const listener of process.listeners('exit')) {
      try {
        listener(code);
      } catch {
        // ending now is what was asked
      }
    }
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code);
}
