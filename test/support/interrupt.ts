import type { Interrupt } from '../../src/cli/interrupt.js';

/** An interrupt under the test's control: in-process CLI runs get no real signal. */
export function manualInterrupt(): Interrupt & { fire(signal: NodeJS.Signals): void } {
  const controller = new AbortController();
  const listeners: ((s: NodeJS.Signals) => void)[] = [];
  let received: NodeJS.Signals | undefined;
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    onInterrupt: (listener) => void (received ? listener(received) : listeners.push(listener)),
    // In-process runs are never ended the hard way.
    onHardExit: () => () => undefined,
    dispose: () => undefined,
    fire(signal) {
      received = signal;
      controller.abort();
      for (const listener of listeners) listener(signal);
    },
  };
}
