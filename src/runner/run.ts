import type { LookupFunction } from 'node:net';
import { loadCheckType } from '../checks/index.js';
import { getPath } from '../checks/shared/assert.js';
import type { CheckContext, CheckType, Clock, Target } from '../checks/types.js';
import type { ProgressUpdate, Artifact, Outcome } from '../model/outcome.js';
import { Redactor } from '../evidence/redact.js';
import { credentialsIn } from '../net/credentials.js';
import { HttpTransport } from '../net/http.js';
import { formatSeconds } from '../net/errors.js';
import { interpolate } from '../suite/interpolate.js';
import { credentialEnvNames } from '../suite/secrets.js';
import { validateParams } from '../suite/schema.js';
import type { CheckSpec, Suite } from '../suite/types.js';
import { InteractionLog } from '../model/interactions.js';
import {
  REPORT_SCHEMA_VERSION,
  computeVerdict,
  countStatuses,
  scoreSections,
  waiverState,
  type CheckResult,
  type FailOn,
  type Report,
} from '../model/report.js';
import { selectChecks, type Selection } from './select.js';
import { sleep } from '../sleep.js';

/** Receives progress as the run goes (the terminal reporter is one). */
export interface RunListener {
  /** Before the first check, with every check that will appear in the report. */
  onRunStart?(info: { suite: Suite; target: Target; checks: CheckSpec[] }): void;
  /** When a check's first attempt starts. */
  onCheckStart?(check: CheckSpec): void;
  /** While a long check runs (a load phase): how far it is. */
  onCheckProgress?(checkId: string, update: ProgressUpdate): void;
  /** When a check has its final result (including skips). */
  onCheckEnd?(result: CheckResult): void;
}

/** A suite bound to a resolved environment: what `runSuite` needs. */
export interface RunPlan {
  /** The validated suite. */
  suite: Suite;
  /** The resolved environment. */
  target: Target;
  /** True when the environment is the embedded sandbox. */
  embedded: boolean;
  /** Secret values by name (registered with the redactor before anything runs). */
  secrets: Record<string, string>;
  /** Environment variables for `${env.X}`. */
  env: Record<string, string | undefined>;
  /** Sandbox faults switched on (embedded runs), recorded in the report. */
  faults?: string[];
}

/** How to run. */
export interface RunOptions extends Selection {
  /** Checks running at once (default 8). */
  concurrency?: number;
  /** Gate for the verdict (default `major`). */
  failOn?: FailOn;
  /** Aborts the run (SIGINT/SIGTERM): running checks are aborted, the report is marked incomplete. */
  signal?: AbortSignal;
  /** Progress listeners. */
  listeners?: RunListener[];
  /** Clock (frozen in tests). */
  clock?: Clock;
  /** Name resolver (tests inject one; no real DNS). */
  lookup?: LookupFunction;
  /** Response body cap in bytes. */
  maxBodyBytes?: number;
  /** Version written into the report. */
  toolVersion: string;
  /** The run's redactor (created when absent). */
  redactor?: Redactor;
  /** Interaction log (created when absent); pipe it to a JSONL writer before the run. */
  interactions?: InteractionLog;
  /** Debug lines (already redacted). */
  debug?: (line: string) => void;
  /** Shows a line to a person at the terminal (only when one is there); given to checks as `ctx.prompt`, redacted. */
  prompt?: (message: string) => void;
  /** Where check types come from (default: the registry); tests pass their own. */
  loadType?: (name: string) => Promise<CheckType>;
  /** Validates resolved parameters (default: against the type's schema). */
  validate?: (type: CheckType, params: unknown) => Promise<{ ok: true; params: unknown } | { ok: false; message: string }>;
  /**
   * Receives, once the checks start, a function that returns the run as it stands: finished checks
   * as they ended, the others skipped as interrupted, the report incomplete. For a process that
   * must end before the run does (a second Ctrl-C, a check that ignores the abort).
   */
  snapshot?: (current: () => RunOutput) => void;
}

/** What a run produces: the report plus what does not belong in it (artifact bytes). */
export interface RunOutput {
  /** The report model. */
  report: Report;
  /** Artifacts per check id, text already redacted. */
  artifacts: Map<string, Artifact[]>;
  /** The interaction log (aggregates). */
  interactions: InteractionLog;
  /** The run's redactor, for anything written afterwards. */
  redactor: Redactor;
}

export const systemClock: Clock = { now: () => new Date(), monotonic: () => performance.now() };

const MAX_BACKOFF_MS = 5_000;
/**
 * How long a finished run waits for checks it stopped waiting for (interrupted or timed out) to
 * clean up after themselves: a browser closing removes its temp profile, which the process
 * exiting under it would leave behind. A check that ignores its signal does not hold the run longer.
 */
const CLEANUP_GRACE_MS = 5_000;

/** Runs a suite: order from `needs`, bounded concurrency, per-check timeouts and retries. */
export async function runSuite(plan: RunPlan, options: RunOptions): Promise<RunOutput> {
  const clock = options.clock ?? systemClock;
  const redactor = options.redactor ?? new Redactor();
  for (const value of Object.values(plan.secrets)) redactor.add(value);
  const interactions = options.interactions ?? new InteractionLog();
  const transport = new HttpTransport(
    { ca: plan.target.ca, insecure: plan.target.insecure, lookup: options.lookup, maxBodyBytes: options.maxBodyBytes, isSecret: (value) => redactor.contains(value) },
    interactions,
  );
  const runSignal = options.signal ?? new AbortController().signal;
  const listeners = options.listeners ?? [];
  const emit = <K extends keyof RunListener>(event: K, ...args: Parameters<NonNullable<RunListener[K]>>): void => {
    for (const l of listeners) (l[event] as ((...a: typeof args) => void) | undefined)?.(...args);
  };
  const debug = (line: string): void => options.debug?.(redactor.redact(line));

  const { included, skipped } = selectChecks(plan.suite.checks, options);
  /** Runs of checks the run stopped waiting for (aborted): still cleaning up. */
  const abandoned: Promise<unknown>[] = [];
  const startedAt = clock.now();
  const runStart = clock.monotonic();
  const results = new Map<string, CheckResult>();
  const artifacts = new Map<string, Artifact[]>();
  const captures: Record<string, Record<string, unknown>> = {};
  const types = new Map<string, CheckType>();
  const loadType = options.loadType ?? loadCheckType;
  for (const type of new Set(included.map((c) => c.type))) types.set(type, await loadType(type));
  // An environment variable sent as a credential is one, declared under secrets: or not.
  for (const spec of included) for (const name of credentialEnvNames(spec.with, types.get(spec.type))) redactor.add(plan.env[name]);
  const validate = options.validate ?? validateParams;
  // Compile every parameter schema before the first check starts: compiling blocks the event
  // loop, and doing it mid-run would add to the latencies the running checks measure.
  for (const type of types.values()) await validate(type, {});

  emit('onRunStart', { suite: plan.suite, target: plan.target, checks: included });
  const startedIds = new Set<string>();

  const resultOf = (spec: CheckSpec, partial: Partial<CheckResult> & Pick<CheckResult, 'status' | 'summary'>, outcome?: Outcome): CheckResult => {
    const waiver = spec.waiver ? waiverState(spec.waiver, clock.now()) : undefined;
    const failed = partial.status === 'fail' || partial.status === 'error';
    const expiredNote = waiver && !waiver.active && failed ? ` (waiver expired on ${waiver.expires}: it no longer counts)` : '';
    return redactor.redactDeep({
      id: spec.id,
      type: spec.type,
      title: spec.title,
      section: spec.section,
      severity: spec.severity,
      tags: spec.tags,
      durationMs: 0,
      attempts: 0,
      measurements: outcome?.measurements ?? [],
      assertions: outcome?.assertions ?? [],
      findings: outcome?.findings ?? [],
      artifacts: [],
      waived: Boolean(waiver?.active && failed),
      ...(waiver ? { waiver } : {}),
      ...(partial.status === 'error' && outcome?.cause ? { cause: outcome.cause } : {}),
      // The message id travels with the summary it made (not when the runner reworded it).
      ...(outcome?.message && partial.summary === outcome.summary ? { message: outcome.message } : {}),
      ...partial,
      summary: `${partial.summary}${expiredNote}`,
    });
  };

  const finish = (spec: CheckSpec, partial: Partial<CheckResult> & Pick<CheckResult, 'status' | 'summary'>, outcome?: Outcome): void => {
    const result = resultOf(spec, partial, outcome);
    if (outcome?.artifacts?.length) {
      const stored = outcome.artifacts.map((a) => ({ ...a, data: typeof a.data === 'string' ? redactor.redact(a.data) : a.data }));
      artifacts.set(spec.id, stored);
      result.artifacts = stored.map((a) => ({
        name: a.name,
        mediaType: a.mediaType,
        bytes: typeof a.data === 'string' ? Buffer.byteLength(a.data) : a.data.byteLength,
        ...(a.description ? { description: redactor.redact(a.description) } : {}),
      }));
    }
    results.set(spec.id, result);
    emit('onCheckEnd', result);
  };

  const runOne = async (spec: CheckSpec): Promise<void> => {
    const type = types.get(spec.type)!;
    startedIds.add(spec.id);
    const firstStart = clock.now().toISOString();
    const t0 = clock.monotonic();
    emit('onCheckStart', spec);
    let outcome: Outcome | undefined;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      outcome = await attempt(spec, type);
      const retry = (outcome.status === 'fail' || outcome.status === 'error') && attempts <= spec.retries && !runSignal.aborted;
      if (!retry) break;
      debug(`${spec.id}: attempt ${attempts} ${outcome.status}: ${outcome.summary}; retrying`);
      await sleep(Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempts - 1)), runSignal);
    }
    if (runSignal.aborted && outcome.status === 'error') {
      outcome = { ...outcome, status: 'skip', summary: outcome.summary.startsWith('interrupted') ? outcome.summary : `interrupted: ${outcome.summary}` };
    }
    for (const secret of outcome.secrets ?? []) redactor.add(secret);
    // A token a server handed out (an http check on a token endpoint) is one, captured or not.
    for (const secret of credentialsIn(outcome.values)) redactor.add(secret);
    let status = outcome.status;
    let summary = attempts > 1 && status === 'pass' ? `${outcome.summary} (passed on attempt ${attempts})` : outcome.summary;
    if (status === 'pass' || status === 'warn') {
      const captured: Record<string, unknown> = {};
      for (const [name, capture] of Object.entries(spec.capture)) {
        const value = getPath(outcome.values ?? {}, capture.from);
        if (value === undefined) {
          status = 'error';
          summary = `could not capture "${name}": nothing at "${capture.from}" in the ${spec.type} result (${summary})`;
          break;
        }
        if (capture.secret) redactor.add(typeof value === 'string' ? value : JSON.stringify(value));
        captured[name] = value;
      }
      captures[spec.id] = captured;
    }
    finish(spec, { status, summary, startedAt: firstStart, durationMs: clock.monotonic() - t0, attempts, ...(runSignal.aborted && status === 'skip' ? { skippedBy: 'interrupt' as const } : {}) }, outcome);
  };

  const attempt = async (spec: CheckSpec, type: CheckType): Promise<Outcome> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(Object.assign(new Error('check timed out'), { name: 'TimeoutError' })), spec.timeoutMs);
    const signal = AbortSignal.any([runSignal, controller.signal]);
    try {
      let params: unknown;
      try {
        params = interpolate(spec.with, { env: plan.env, vars: plan.suite.variables, secrets: plan.secrets, target: plan.target.fields, checks: captures });
      } catch (err) {
        return { status: 'error', cause: 'setup', summary: `parameters could not be resolved: ${(err as Error).message}` };
      }
      const validated = await validate(type, params);
      if (!validated.ok) return { status: 'error', cause: 'setup', summary: `invalid parameters after interpolation: ${validated.message}` };
      if (!plan.target.sandbox && !plan.suite.allowLive) {
        // The loader refused these already; resolved parameters (a method from ${vars.x}) are judged again here.
        if (type.movesMoney) {
          return { status: 'error', cause: 'setup', summary: `refused: "${spec.type}" moves money and environment "${plan.target.name}" is not a sandbox (set allowLive: true in the suite to allow it)` };
        }
        const write = type.writes?.(validated.params as Record<string, unknown>)[0];
        if (write) {
          return { status: 'error', cause: 'setup', summary: `refused: ${write.method} ${write.url} is a write request and environment "${plan.target.name}" is not a sandbox (set allowLive: true in the suite to allow it)` };
        }
      }
      const ctx: CheckContext = {
        checkId: spec.id,
        signal,
        timeoutMs: spec.timeoutMs,
        http: transport.forCheck(spec.id, signal, spec.timeoutMs),
        target: plan.target,
        baseDir: plan.suite.dir,
        allowLive: plan.suite.allowLive,
        ...(plan.suite.liveMaxAmount !== undefined ? { liveMaxAmount: plan.suite.liveMaxAmount } : {}),
        redact: redactor,
        interactions,
        clock,
        log: { debug: (line) => debug(`${spec.id}: ${line}`) },
        ...(options.prompt ? { prompt: (message: string) => options.prompt?.(redactor.redact(message)) } : {}),
        progress: (update) => {
          if (!signal.aborted) emit('onCheckProgress', spec.id, { ...update, message: redactor.redact(update.message) });
        },
      };
      const aborted = new Promise<Outcome>((resolve) => {
        const onAbort = (): void => {
          const timedOut = controller.signal.aborted && !runSignal.aborted;
          resolve({ status: 'error', summary: timedOut ? `timed out after ${formatSeconds(spec.timeoutMs)}` : 'interrupted before the check finished' });
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
      const running = type.run(validated.params as never, ctx);
      const outcome = await Promise.race([running, aborted]);
      if (signal.aborted) abandoned.push(running.catch(() => undefined));
      return outcome;
    } catch (err) {
      debug(`${spec.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (controller.signal.aborted && !runSignal.aborted) return { status: 'error', summary: `timed out after ${formatSeconds(spec.timeoutMs)}` };
      return { status: 'error', summary: `the check failed unexpectedly: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      clearTimeout(timer);
    }
  };

  const failOn = options.failOn ?? 'major';
  const reportOf = (ordered: CheckResult[], incomplete: boolean): Report => {
    const warnings: string[] = [];
    if (plan.target.insecure) warnings.push(`TLS certificate verification is turned off for environment "${plan.target.name}" (insecure: true): results do not prove the certificate is valid.`);
    return redactor.redactDeep({
      schemaVersion: REPORT_SCHEMA_VERSION,
      tool: { name: 'payready', version: options.toolVersion },
      suite: { name: plan.suite.name, title: plan.suite.title, file: plan.suite.file, sha256: plan.suite.sha256 },
      environment: {
        name: plan.target.name,
        sandbox: plan.target.sandbox,
        embedded: plan.embedded,
        insecure: plan.target.insecure,
        ...(plan.target.baseUrl ? { baseUrl: plan.target.baseUrl } : {}),
        ...(plan.faults?.length ? { faults: plan.faults } : {}),
      },
      startedAt: startedAt.toISOString(),
      finishedAt: clock.now().toISOString(),
      durationMs: clock.monotonic() - runStart,
      verdict: computeVerdict(ordered, failOn, incomplete),
      failOn,
      summary: countStatuses(ordered),
      sections: scoreSections(ordered),
      results: ordered,
      warnings,
      incomplete,
    });
  };
  options.snapshot?.(() => {
    const ordered = included.map(
      (spec) =>
        results.get(spec.id) ??
        resultOf(spec, startedIds.has(spec.id) ? { status: 'skip', summary: 'interrupted before the check finished', skippedBy: 'interrupt' } : { status: 'skip', summary: 'not run: the run was interrupted', skippedBy: 'interrupt' }),
    );
    return { report: reportOf(ordered, true), artifacts, interactions, redactor };
  });

  await schedule(included, {
    concurrency: Math.max(1, options.concurrency ?? 8),
    signal: runSignal,
    isLast: (spec) => types.get(spec.type)?.runsLast === true,
    blockedBy: (spec) => {
      if (skipped.has(spec.id)) return { status: 'skip', summary: 'skipped by --skip', skippedBy: 'filter' };
      for (const need of spec.needs) {
        const dep = results.get(need);
        if (dep && (dep.status === 'fail' || dep.status === 'error' || dep.status === 'skip')) {
          return { status: 'skip', summary: `skipped: needs "${need}", which ${dep.status === 'skip' ? 'was skipped' : dep.status === 'fail' ? 'failed' : 'could not run'}`, skippedBy: 'dependency' };
        }
      }
      return undefined;
    },
    isDone: (id) => results.has(id),
    run: runOne,
    skip: (spec, why) => finish(spec, why),
  });

  const incomplete = runSignal.aborted;
  for (const spec of included) {
    if (!results.has(spec.id)) finish(spec, { status: 'skip', summary: 'not run: the run was interrupted', skippedBy: 'interrupt' });
  }
  if (abandoned.length > 0) {
    const cleanedUp = new AbortController();
    // Not awaited: the grace period below ends early when they settle (each one already caught).
    void Promise.all(abandoned).then(() => cleanedUp.abort());
    await sleep(CLEANUP_GRACE_MS, cleanedUp.signal);
  }
  await transport.close();

  const ordered = included.map((c) => results.get(c.id)!);
  return { report: reportOf(ordered, incomplete), artifacts, interactions, redactor };
}

interface Scheduler {
  concurrency: number;
  signal: AbortSignal;
  isLast(spec: CheckSpec): boolean;
  blockedBy(spec: CheckSpec): (Pick<CheckResult, 'status' | 'summary' | 'skippedBy'>) | undefined;
  isDone(id: string): boolean;
  run(spec: CheckSpec): Promise<void>;
  skip(spec: CheckSpec, why: Pick<CheckResult, 'status' | 'summary' | 'skippedBy'>): void;
}

/**
 * Starts each check once everything it needs is done, at most `concurrency` at a time. Checks
 * whose type runs last (a browser, a load phase, KPIs over the run's interactions) wait for all
 * others and then run one at a time, in suite order: each would skew the timings of whatever ran
 * beside it.
 */
async function schedule(checks: CheckSpec[], s: Scheduler): Promise<void> {
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
