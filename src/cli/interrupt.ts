/**
 * SIGINT/SIGTERM/SIGHUP caught from the first moment of the process (bin/payready.js installs this
 * before loading anything), so an interrupt at any point of a run still ends with a report marked
 * incomplete and exit 130/143/129 instead of the default abrupt death. SIGHUP is a closed terminal
 * (the window running `payready sandbox`): dying of it would leave the sandbox's temp folder, its
 * CA file and request log, behind.
 */
export interface Interrupt {
  /** Aborts when the first SIGINT, SIGTERM or SIGHUP arrives. */
  readonly signal: AbortSignal;
  /** Which signal arrived, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Called once when a signal arrives (the CLI prints a line). */
  onInterrupt(listener: (signal: NodeJS.Signals) => void): void;
  /** Stops listening (the process then exits normally). */
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Listens for SIGINT, SIGTERM and SIGHUP on `target` (the process). */
export function listenForInterrupt(target: Pick<NodeJS.Process, 'on' | 'off'> = process): Interrupt {
  const controller = new AbortController();
  const listeners: ((signal: NodeJS.Signals) => void)[] = [];
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = signal;
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
    dispose() {
      for (const signal of SIGNALS) target.off(signal, handler);
    },
  };
}
