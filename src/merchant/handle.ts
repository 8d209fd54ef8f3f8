import type { IntegrationConfig } from '../checks/integration/config.js';
import type { IntegrationHandle } from '../checks/types.js';
import { MerchantProcess } from './process.js';

/** The merchant as the run gives it to `integration` checks, and how to stop it afterwards. */
export interface Merchant {
  handle: IntegrationHandle;
  /** Stops the process payready started (nothing when it reused or reached a running system). */
  stop(): Promise<void>;
  /** Kills it at once, synchronously (the process is exiting hard). */
  killNow(): void;
}

/**
 * Wraps the resolved `integration:` section: the merchant's command is started on the first
 * check's `ready()` (a run with no integration check starts nothing), and a failed start is
 * remembered so every later check reports the same cause without trying again.
 */
export function merchantFor(config: IntegrationConfig, env: Record<string, string | undefined>, signal: AbortSignal): Merchant {
  let starting: Promise<MerchantProcess | undefined> | undefined;
  let process: MerchantProcess | undefined;
  const handle: IntegrationHandle = {
    config,
    ready: async () => {
      starting ??= config.start ? MerchantProcess.start(config.start, env, signal) : Promise.resolve(undefined);
      process = await starting;
    },
    outputMark: () => process?.mark() ?? 0,
    outputSince: (mark) => process?.outputSince(mark) ?? '',
  };
  return {
    handle,
    killNow: () => process?.killNow(),
    stop: async () => {
      const started = await starting?.catch(() => undefined);
      await started?.stop();
    },
  };
}
