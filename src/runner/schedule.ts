import type { CheckSpec } from '../suite/types.js';
import type { Blocked } from './judge.js';

/** What the scheduler asks of the run. */
export interface Scheduler {
  /** Checks running at once. */
  concurrency: number;
  /** The run's abort: no check starts after it. */
  signal: AbortSignal;
  /** Whether a check runs after all others, alone. */
  isLast(spec: CheckSpec): boolean;
  /** Why a check whose needs are done does not start, if it does not. */
  blockedBy(spec: CheckSpec): Blocked | undefined;
  /** Whether a check has its result. */
  isDone(id: string): boolean;
  /** Runs a check to its result. */
  run(spec: CheckSpec): Promise<void>;
  /** Records a check that does not start. */
  skip(spec: CheckSpec, why: Blocked): void;
}

/**
 * Starts each check once everything it needs is done, at most `concurrency` at a time. Checks
 * whose type runs last (a browser, a load phase, KPIs over the run's interactions) wait for all
 * others and then run one at a time, in suite order: each would skew the timings of whatever ran
 * beside it.
 */
export async function schedule(checks: CheckSpec[], s: Scheduler): Promise<void> {
  const known = new Set(checks.map((c) => c.id));
  const pending = [...checks];
  const running = new Map<string, Promise<void>>();
  const aborted = abortPromise(s.signal);
  while (pending.length > 0 && !s.signal.aborted) {
    const needsDone = (spec: CheckSpec): boolean => spec.needs.every((id) => !known.has(id) || s.isDone(id));
    // A last check starts alone: nothing running, and no other check able to start (one that
    // needs a last check waits for it).
    const othersReady = pending.some((c) => !s.isLast(c) && needsDone(c));
    let progressed = false;
    for (let i = 0; i < pending.length && running.size < s.concurrency; ) {
      const spec = pending[i]!;
      const ready = needsDone(spec) && (!s.isLast(spec) || (!othersReady && running.size === 0));
      if (!ready) {
        i += 1;
        continue;
      }
      pending.splice(i, 1);
      progressed = true;
      const blocked = s.blockedBy(spec);
      if (blocked) {
        s.skip(spec, blocked);
        continue;
      }
      const task = s.run(spec).finally(() => running.delete(spec.id));
      running.set(spec.id, task);
    }
    if (running.size > 0) await Promise.race([...running.values(), aborted]);
    else if (!progressed) break; // nothing runnable: the loader rejects cycles, so this is defensive
  }
  // After an interrupt, wait for running checks: each resolves promptly since its signal aborted.
  await Promise.all(running.values());
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
