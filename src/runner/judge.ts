import type { Clock } from '../checks/types.js';
import type { Outcome } from '../model/outcome.js';
import { waiverState, type CheckResult } from '../model/report.js';
import type { CheckSpec } from '../suite/types.js';
import type { Attempted } from './attempt.js';

/** A result's status and summary, plus whatever else the runner decided about it. */
export type Ruling = Partial<CheckResult> & Pick<CheckResult, 'status' | 'summary'>;

/** Why a check does not start: skipped by `--skip`, or a check it needs did not pass. */
export type Blocked = Pick<CheckResult, 'status' | 'summary' | 'skippedBy'>;

/**
 * Stage 4a, gates: whether a check may start. A check named by `--skip` is skipped; so is one
 * that needs a check that failed, could not run or was skipped itself.
 */
export function gate(spec: CheckSpec, results: ReadonlyMap<string, CheckResult>, skipped: ReadonlySet<string>): Blocked | undefined {
  if (skipped.has(spec.id)) return { status: 'skip', summary: 'skipped by --skip', skippedBy: 'filter' };
  for (const need of spec.needs) {
    const dep = results.get(need);
    if (dep && (dep.status === 'fail' || dep.status === 'error' || dep.status === 'skip')) {
      return { status: 'skip', summary: `skipped: needs "${need}", which ${dep.status === 'skip' ? 'was skipped' : dep.status === 'fail' ? 'failed' : 'could not run'}`, skippedBy: 'dependency' };
    }
  }
  return undefined;
}

/**
 * Stage 4b, status: what the attempts come to. A check that errored because the run was
 * interrupted is skipped as interrupted, not an error of the integration; a pass after retries
 * says on which attempt it passed.
 */
export function settle(attempted: Attempted, interrupted: boolean): { outcome: Outcome; ruling: Ruling } {
  let { outcome } = attempted;
  if (interrupted && outcome.status === 'error') {
    outcome = { ...outcome, status: 'skip', summary: outcome.summary.startsWith('interrupted') ? outcome.summary : `interrupted: ${outcome.summary}` };
  }
  const summary = attempted.attempts > 1 && outcome.status === 'pass' ? `${outcome.summary} (passed on attempt ${attempted.attempts})` : outcome.summary;
  return {
    outcome,
    ruling: {
      status: outcome.status,
      summary,
      startedAt: attempted.startedAt,
      durationMs: attempted.durationMs,
      attempts: attempted.attempts,
      ...(interrupted && outcome.status === 'skip' ? { skippedBy: 'interrupt' as const } : {}),
    },
  };
}

/**
 * Stage 4c, waivers: the check's result. A waiver in force turns a fail or error into a waived
 * one (it does not count against the verdict); an expired one counts, and the summary says since
 * when. The outcome's message id travels with the summary it made (not when the runner reworded it).
 */
export function judge(spec: CheckSpec, ruling: Ruling, outcome: Outcome | undefined, clock: Clock): CheckResult {
  const waiver = spec.waiver ? waiverState(spec.waiver, clock.now()) : undefined;
  const failed = ruling.status === 'fail' || ruling.status === 'error';
  const expiredNote = waiver && !waiver.active && failed ? ` (waiver expired on ${waiver.expires}: it no longer counts)` : '';
  return {
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
    ...(ruling.status === 'error' && outcome?.cause ? { cause: outcome.cause } : {}),
    ...(outcome?.message && ruling.summary === outcome.summary ? { message: outcome.message } : {}),
    ...ruling,
    summary: `${ruling.summary}${expiredNote}`,
  };
}
