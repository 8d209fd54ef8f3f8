import type { Clock } from '../checks/types.js';
import { InteractionLog } from '../model/interactions.js';
import type { Artifact, Outcome } from '../model/outcome.js';
import type { ArtifactRef, CheckResult } from '../model/report.js';
import { HttpTransport } from '../net/http.js';
import type { CheckSpec } from '../suite/types.js';
import { sleep } from '../sleep.js';
import { attemptCheck, type AttemptScope } from './attempt.js';
import { captureValues } from './capture.js';
import { RunExit } from './exit.js';
import { gate, judge, settle, type Ruling } from './judge.js';
import { planRun } from './plan.js';
import { buildReport } from './report.js';
import { schedule } from './schedule.js';
import type { RunOptions, RunOutput, RunPlan } from './types.js';

export type { RunListener, RunOptions, RunOutput, RunPlan } from './types.js';
export { RunExit } from './exit.js';

export const systemClock: Clock = { now: () => new Date(), monotonic: () => performance.now() };

/**
 * How long a finished run waits for checks it stopped waiting for (interrupted or timed out) to
 * clean up after themselves: a browser closing removes its temp profile, which the process
 * exiting under it would leave behind. A check that ignores its signal does not hold the run longer.
 */
const CLEANUP_GRACE_MS = 5_000;

/** The least time every running check must still be waiting for the run to count as quiet (set-up such as a browser's launch takes about that). */
const QUIET_MIN_MS = 500;

/**
 * Runs a suite, in stages: plan (select the checks, load their types, learn the secrets known
 * before the run, compile the schemas: plan.ts); then, for each check as the scheduler starts it
 * (order from `needs`, bounded concurrency, last checks alone: schedule.ts), attempt (retries,
 * timeout: attempt.ts), capture (secrets revealed, values for later checks: capture.ts) and judge
 * (gates, status, waivers: judge.ts); finally build the report (report.ts). Everything that leaves
 * the run (events, debug lines, prompts, artifacts, the report) leaves through its exit (exit.ts).
 */
export async function runSuite(plan: RunPlan, options: RunOptions): Promise<RunOutput> {
  const clock = options.clock ?? systemClock;
  const exit = options.exit ?? new RunExit();
  const interactions = options.interactions ?? new InteractionLog();
  const runSignal = options.signal ?? new AbortController().signal;
  const events = exit.events(options.listeners ?? []);
  const startedAt = clock.now();
  const runStart = clock.monotonic();
  const planned = await planRun(plan, options, exit);
  const { included, types } = planned;
  const transport = new HttpTransport(
    { ca: plan.target.ca, insecure: plan.target.insecure, lookup: options.lookup, maxBodyBytes: options.maxBodyBytes, isSecret: (value) => exit.holdsSecret(value) },
    interactions,
  );

  const results = new Map<string, CheckResult>();
  const artifacts = new Map<string, Artifact[]>();
  const startedIds = new Set<string>();
  const scope: AttemptScope = {
    plan,
    runSignal,
    clock,
    transport,
    interactions,
    validate: planned.validate,
    captures: {},
    debug: options.debug ? exit.lines(options.debug) : () => undefined,
    ...(options.prompt ? { prompt: exit.lines(options.prompt) } : {}),
    ...(options.integration ? { integration: options.integration } : {}),
    progress: (checkId, update) => events.onCheckProgress(checkId, update),
    abandoned: [],
    wait: async (checkId, ms, signal) => {
      waits.set(checkId, clock.monotonic() + ms);
      prepareIfQuiet();
      try {
        await sleep(ms, signal);
      } finally {
        waits.delete(checkId);
      }
    },
    preparing: new Map(),
  };

  // When each check now in `ctx.wait` stops waiting (monotonic ms), by check id.
  const waits = new Map<string, number>();
  const isLast = (spec: CheckSpec): boolean => types.get(spec.type)?.runsLast === true;
  const toPrepare = included.filter((spec) => types.get(spec.type)?.prepare && !planned.skipped.has(spec.id));
  /**
   * Calls the `prepare` of the checks that have one, once, when the run goes quiet: no check is left
   * to start but those that run last, and every running check is waiting (ctx.wait) with
   * QUIET_MIN_MS or more to go. Set-up then (a browser starting) runs beside nothing measured; a
   * run that never goes quiet leaves each check to do its own set-up at its turn.
   */
  const prepareIfQuiet = (): void => {
    if (toPrepare.length === 0 || scope.preparing.size > 0 || runSignal.aborted) return;
    if (included.some((spec) => !isLast(spec) && !startedIds.has(spec.id) && !results.has(spec.id) && !planned.skipped.has(spec.id))) return;
    const running = included.filter((spec) => startedIds.has(spec.id) && !results.has(spec.id));
    const now = clock.monotonic();
    if (running.length === 0 || running.some((spec) => (waits.get(spec.id) ?? now) - now < QUIET_MIN_MS)) return;
    for (const spec of toPrepare) {
      // Started already, or bound to be skipped (a need failed): nothing to prepare.
      if (startedIds.has(spec.id) || gate(spec, results, planned.skipped)) continue;
      const log = { debug: (line: string) => scope.debug(`${spec.id}: ${line}`) };
      const preparing = types
        .get(spec.type)!
        .prepare!(spec.with, { checkId: spec.id, signal: runSignal, timeoutMs: spec.timeoutMs, log })
        .catch((err: unknown) => {
          // Preparing saves time, nothing more: the check's run does the work itself.
          log.debug(`prepare failed: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        });
      scope.preparing.set(spec.id, preparing);
    }
  };

  /** Records a check's result, with its artifacts as they leave through the exit, and shows it. */
  const finish = (spec: CheckSpec, ruling: Ruling, outcome?: Outcome): void => {
    const result = judge(spec, ruling, outcome, clock);
    if (outcome?.artifacts?.length) {
      const kept = exit.artifacts(outcome.artifacts);
      artifacts.set(spec.id, kept);
      result.artifacts = kept.map(artifactRef);
    }
    results.set(spec.id, result);
    events.onCheckEnd(result);
    prepareIfQuiet();
  };

  /** One check through the stages: attempt, capture, judge. */
  const runCheck = async (spec: CheckSpec): Promise<void> => {
    startedIds.add(spec.id);
    events.onCheckStart(spec);
    const attempted = await attemptCheck(spec, types.get(spec.type)!, scope);
    const { outcome, ruling } = settle(attempted, runSignal.aborted);
    const captured = captureValues(spec, outcome, ruling.summary, exit);
    if (captured.values) scope.captures[spec.id] = captured.values;
    finish(spec, captured.failure === undefined ? ruling : { ...ruling, status: 'error', summary: captured.failure }, outcome);
  };

  /** The run as it leaves: the report (built now, through the exit) and the artifacts. */
  const output = (ordered: CheckResult[], incomplete: boolean): RunOutput => {
    const frame = { plan, toolVersion: options.toolVersion, failOn: options.failOn ?? 'major', startedAt, finishedAt: clock.now(), durationMs: clock.monotonic() - runStart };
    const report = buildReport(frame, ordered, incomplete);
    if (options.shard && planned.shard) {
      const mine = new Set(included.map((c) => c.id));
      report.shard = {
        index: options.shard.index,
        count: options.shard.count,
        suiteSha256: plan.suite.sha256,
        selection: { only: options.only ?? [], skip: options.skip ?? [], tags: options.tags ?? [] },
        ...planned.shard,
        checks: [...mine],
        interactions: interactions.toJSON(mine),
      };
    }
    return { report: exit.value(report), artifacts, interactions, exit };
  };

  events.onRunStart({ suite: plan.suite, target: plan.target, checks: included });
  options.snapshot?.(() =>
    output(
      included.map((spec) => results.get(spec.id) ?? judge(spec, startedIds.has(spec.id) ? INTERRUPTED : NOT_RUN, undefined, clock)),
      true,
    ),
  );
  await schedule(included, {
    concurrency: Math.max(1, options.concurrency ?? 8),
    signal: runSignal,
    isLast,
    blockedBy: (spec) => gate(spec, results, planned.skipped),
    isDone: (id) => results.has(id),
    run: runCheck,
    skip: (spec, why) => finish(spec, why),
  });

  const incomplete = runSignal.aborted;
  for (const spec of included) if (!results.has(spec.id)) finish(spec, NOT_RUN);
  // Prepared set-up is released whether its check used it or not: a browser nobody took is closed.
  await graceForAbandoned([...scope.abandoned, ...[...scope.preparing.values()].map((preparing) => preparing.then((prepared) => prepared?.release()))]);
  await transport.close();
  return output(
    included.map((c) => results.get(c.id)!),
    incomplete,
  );
}

/** A check that started and was cut short by an interrupt. */
const INTERRUPTED: Ruling = { status: 'skip', summary: 'interrupted before the check finished', skippedBy: 'interrupt' };
/** A check that never started because of an interrupt. */
const NOT_RUN: Ruling = { status: 'skip', summary: 'not run: the run was interrupted', skippedBy: 'interrupt' };

/** How the report lists an artifact (its bytes stay in the run output). */
function artifactRef(artifact: Artifact): ArtifactRef {
  return {
    name: artifact.name,
    mediaType: artifact.mediaType,
    bytes: typeof artifact.data === 'string' ? Buffer.byteLength(artifact.data) : artifact.data.byteLength,
    ...(artifact.description ? { description: artifact.description } : {}),
  };
}

/** Waits up to CLEANUP_GRACE_MS for runs the run stopped waiting for to finish cleaning up. */
async function graceForAbandoned(abandoned: Promise<unknown>[]): Promise<void> {
  if (abandoned.length === 0) return;
  const cleanedUp = new AbortController();
  void Promise.all(abandoned).then(() => cleanedUp.abort());
  await sleep(CLEANUP_GRACE_MS, cleanedUp.signal);
}
