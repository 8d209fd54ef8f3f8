import type { CheckContext, CheckType, Clock, IntegrationHandle, Prepared } from '../checks/types.js';
import type { InteractionLog } from '../model/interactions.js';
import type { Outcome, ProgressUpdate } from '../model/outcome.js';
import { formatSeconds } from '../net/errors.js';
import type { HttpTransport } from '../net/http.js';
import type { CheckSpec } from '../suite/types.js';
import { sleep } from '../sleep.js';
import { resolveParams } from './plan.js';
import type { RunPlan, Validate } from './types.js';

const MAX_BACKOFF_MS = 5_000;

/** What the attempt stage runs a check with; built once per run. */
export interface AttemptScope {
  /** The run being run. */
  plan: RunPlan;
  /** Aborts the run (Ctrl-C). */
  runSignal: AbortSignal;
  /** Clock. */
  clock: Clock;
  /** The run's HTTP transport (recording every call). */
  transport: HttpTransport;
  /** The run's interaction log (checks read its aggregates). */
  interactions: InteractionLog;
  /** Validates resolved parameters. */
  validate: Validate;
  /** Captured values of finished checks, by check id (for `${checks.x.y}`). */
  captures: Record<string, Record<string, unknown>>;
  /** Debug lines; the caller routes them through the exit. */
  debug: (line: string) => void;
  /** Shows a line to a person at the terminal (through the exit), when one is there. */
  prompt?: (message: string) => void;
  /** The merchant's system under test, when the suite has one. */
  integration?: IntegrationHandle;
  /** Reports a running check's progress (through the exit). */
  progress: (checkId: string, update: ProgressUpdate) => void;
  /** Runs of checks the run stopped waiting for (aborted): still cleaning up. */
  abandoned: Promise<unknown>[];
  /** A check's `ctx.wait`: the run notes the quiet (see run.ts) and sleeps. */
  wait: (checkId: string, ms: number, signal: AbortSignal) => Promise<void>;
  /** What the types' `prepare` started in a quiet moment, by check id. */
  preparing: Map<string, Promise<Prepared | undefined>>;
}

/** A check's final outcome and how it came to be. */
export interface Attempted {
  /** The last attempt's outcome. */
  outcome: Outcome;
  /** Attempts made. */
  attempts: number;
  /** When the first attempt started (ISO). */
  startedAt: string;
  /** From the first attempt's start to the last one's end, in milliseconds. */
  durationMs: number;
}

/**
 * Stage 2, attempt: runs one check until it passes, warns or skips, or its retries are spent,
 * with exponential backoff between attempts (none once the run is aborted).
 */
export async function attemptCheck(spec: CheckSpec, type: CheckType, scope: AttemptScope): Promise<Attempted> {
  const startedAt = scope.clock.now().toISOString();
  const t0 = scope.clock.monotonic();
  let outcome: Outcome;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    outcome = await attemptOnce(spec, type, scope);
    const retry = (outcome.status === 'fail' || outcome.status === 'error') && attempts <= spec.retries && !scope.runSignal.aborted;
    if (!retry) break;
    scope.debug(`${spec.id}: attempt ${attempts} ${outcome.status}: ${outcome.summary}; retrying`);
    await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempts - 1)), scope.runSignal);
  }
  return { outcome, attempts, startedAt, durationMs: scope.clock.monotonic() - t0 };
}

/**
 * One attempt under the check's timeout: resolves the parameters, builds the check's context and
 * races its run against the timeout and the run's abort. A run that loses the race is kept in
 * `abandoned`, so the run can give it a moment to clean up; an exception is an error outcome.
 */
async function attemptOnce(spec: CheckSpec, type: CheckType, scope: AttemptScope): Promise<Outcome> {
  const { runSignal } = scope;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(Object.assign(new Error('check timed out'), { name: 'TimeoutError' })), spec.timeoutMs);
  const signal = AbortSignal.any([runSignal, controller.signal]);
  const timedOut = (): Outcome => ({ status: 'error', summary: `timed out after ${formatSeconds(spec.timeoutMs)}` });
  try {
    const resolved = await resolveParams(spec, type, scope.plan, scope.captures, scope.validate);
    if (!resolved.ok) return { status: 'error', cause: 'setup', summary: resolved.summary };
    const ctx = checkContext(spec, signal, scope, await scope.preparing.get(spec.id));
    const aborted = new Promise<Outcome>((resolve) => {
      const onAbort = (): void => resolve(controller.signal.aborted && !runSignal.aborted ? timedOut() : { status: 'error', summary: 'interrupted before the check finished' });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const running = type.run(resolved.params as never, ctx);
    const outcome = await Promise.race([running, aborted]);
    if (signal.aborted) scope.abandoned.push(running.catch(() => undefined));
    return outcome;
  } catch (err) {
    scope.debug(`${spec.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (controller.signal.aborted && !runSignal.aborted) return timedOut();
    return { status: 'error', summary: `the check failed unexpectedly: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** What a check type is given: its signal, HTTP client, target and the run's shared pieces. */
function checkContext(spec: CheckSpec, signal: AbortSignal, scope: AttemptScope, prepared: Prepared | undefined): CheckContext {
  const { plan } = scope;
  return {
    checkId: spec.id,
    signal,
    timeoutMs: spec.timeoutMs,
    http: scope.transport.forCheck(spec.id, signal, spec.timeoutMs),
    target: plan.target,
    baseDir: plan.suite.dir,
    allowLive: plan.suite.allowLive,
    ...(plan.suite.liveMaxAmount !== undefined ? { liveMaxAmount: plan.suite.liveMaxAmount } : {}),
    interactions: scope.interactions,
    clock: scope.clock,
    log: { debug: (line) => scope.debug(`${spec.id}: ${line}`) },
    ...(scope.prompt ? { prompt: scope.prompt } : {}),
    ...(scope.integration ? { integration: scope.integration } : {}),
    progress: (update) => {
      if (!signal.aborted) scope.progress(spec.id, update);
    },
    wait: (ms) => scope.wait(spec.id, ms, signal),
    ...(prepared ? { prepared } : {}),
  };
}
