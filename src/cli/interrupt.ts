/**
 * SIGINT/SIGTERM caught from the first moment of the process (bin/payready.js installs this before
 * loading anything), so an interrupt at any point of a run still ends with a report marked
 * incomplete and exit 130/143 instead of the default abrupt death.
 */
export interface Interrupt {
  /** Aborts when the first SIGINT or SIGTERM arrives. */
  readonly signal: AbortSignal;
  /** Which signal arrived, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Called once when a signal arrives (the CLI prints a line). */
  onInterrupt(listener: (signal: NodeJS.Signals) => void): void;
  /** Stops listening (the process then exits normally). */
  dispose(): void;
}

/** Listens for SIGINT and SIGTERM on `target` (the process). */
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
  target.on('SIGINT', handler);
  target.on('SIGTERM', handler);
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
      target.off('SIGINT', handler);
      target.off('SIGTERM', handler);
    },
  };
}
