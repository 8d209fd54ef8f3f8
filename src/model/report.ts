import { SEVERITIES, type Assertion, type Cause, type Finding, type Measurement, type Severity, type Status } from './outcome.js';
import type { MessageRef } from './messages.js';
import type { EndpointStatsJson } from './interactions.js';

/*
 * The report model every output is rendered from (terminal, files, evidence, `diff`, `merge`), and
 * the pure functions that judge it: gates, verdict, section scores.
 */

/** Version of the JSON report model; bumped on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;

/** The go-live verdict. */
export type Verdict = 'READY' | 'READY WITH WAIVERS' | 'NOT READY';

/** What makes a run NOT READY: a fail or error of a check at this severity or above; `none` never gates. */
export type FailOn = Severity | 'none';

/** An artifact's entry in the report (its bytes live in the evidence bundle). */
export interface ArtifactRef {
  /** File name within the check's evidence folder. */
  name: string;
  /** IANA media type. */
  mediaType: string;
  /** Size in bytes after redaction. */
  bytes: number;
  /** What it shows. */
  description?: string;
}

/** An accepted exception on a check. */
export interface Waiver {
  /** Why the failure is accepted. */
  reason: string;
  /** Who approved it. */
  approvedBy: string;
  /** ISO date (YYYY-MM-DD) after which the waiver no longer counts. */
  expires: string;
}

/** A waiver as it applied to this run. */
export interface WaiverState extends Waiver {
  /** True while the waiver has not expired on the run's date. */
  active: boolean;
}

/** The result of one check. */
export interface CheckResult {
  /** Check id. */
  id: string;
  /** Check type. */
  type: string;
  /** Title. */
  title: string;
  /** Guideline section. */
  section: string;
  /** Severity. */
  severity: Severity;
  /** Tags. */
  tags: string[];
  /** Final status. */
  status: Status;
  /** One actionable line. */
  summary: string;
  /** The messages-table entry `summary` was made from (its type's id and values), when the check gave one. */
  message?: MessageRef;
  /** With status `error`: `setup` when the suite's own configuration stopped the check (see `Cause`). */
  cause?: Cause;
  /** ISO time the first attempt started (absent when never started). */
  startedAt?: string;
  /** Wall time of all attempts in milliseconds. */
  durationMs: number;
  /** Attempts made (0 when skipped). */
  attempts: number;
  /** Numbers measured. */
  measurements: Measurement[];
  /** Comparisons made. */
  assertions: Assertion[];
  /** Located problems. */
  findings: Finding[];
  /** Evidence produced. */
  artifacts: ArtifactRef[];
  /** Waiver on this check, if any. */
  waiver?: WaiverState;
  /** True when a fail or error of this check is excused by an active waiver. */
  waived: boolean;
  /** Why a skipped check did not run: a filter, a dependency, an interruption, or the check itself. */
  skippedBy?: 'filter' | 'dependency' | 'interrupt' | 'check';
  /** Merged reports only: the check's result at each vantage point, by vantage name. */
  vantages?: Record<string, VantageResult>;
}

/** A check's result at one vantage point of a merged report. */
export interface VantageResult {
  /** Status there. */
  status: Status;
  /** Summary there. */
  summary: string;
  /** Wall time there in milliseconds. */
  durationMs: number;
  /** Whether an active waiver excused it there. */
  waived: boolean;
}

/** One vantage point (a run from one place, e.g. a CI job in one region) of a merged report. */
export interface Vantage {
  /** Name given on `payready merge` (or derived from the file name). */
  name: string;
  /** That run's verdict. */
  verdict: Verdict;
  /** That run's start. */
  startedAt: string;
  /** That run's end. */
  finishedAt: string;
  /** Environment it targeted. */
  environment: string;
  /** SHA-256 of the suite file it ran. */
  suiteSha256: string;
  /** True when that run was interrupted. */
  incomplete: boolean;
}

/** Calls a run made, per check id and `METHOD /endpoint/template`, with their latency histograms. */
export type InteractionTotals = Record<string, Record<string, EndpointStatsJson>>;

/**
 * A check a sharded run leaves to `payready merge` because it judges the calls of the whole run
 * (a `kpi` check): what merge needs to run it over every shard's calls, its parameters resolved.
 */
export interface DeferredCheck {
  /** Check id. */
  id: string;
  /** Check type. */
  type: string;
  /** Title. */
  title: string;
  /** Guideline section. */
  section: string;
  /** Guideline items it proves as written. */
  proves?: string[];
  /** Severity. */
  severity: Severity;
  /** Tags. */
  tags: string[];
  /** Ids it runs after: merge skips it when one of them did not pass, as a run would. */
  needs: string[];
  /** Its parameters, resolved when the shard ran. */
  with: Record<string, unknown>;
  /** Timeout in milliseconds. */
  timeoutMs: number;
  /** Extra attempts after a fail or error. */
  retries: number;
  /** Waiver, when any. */
  waiver?: Waiver;
}

/** What a shard's report (`payready run --shard i/n`) says about the split, for `payready merge`. */
export interface ShardInfo {
  /** This shard, 1-based. */
  index: number;
  /** Shards in the run. */
  count: number;
  /** SHA-256 of the suite file every shard must have run. */
  suiteSha256: string;
  /** `--only`, `--skip` and `--tag` of the run: every shard must have been given the same. */
  selection: { only: string[]; skip: string[]; tags: string[] };
  /** Every check of the whole (unsharded) run, in suite order: the merged report's order. */
  order: string[];
  /** The checks this shard ran (its results). */
  checks: string[];
  /** Checks left to merge (same in every shard). */
  deferred: DeferredCheck[];
  /** The calls this shard's checks made, with latency histograms: merge judges KPIs over every shard's. */
  interactions: InteractionTotals;
}

/** One shard of a merged sharded run. */
export interface ShardRun {
  /** Shard index, 1-based. */
  index: number;
  /** That shard's own verdict (over its checks only). */
  verdict: Verdict;
  /** Its start. */
  startedAt: string;
  /** Its end. */
  finishedAt: string;
  /** True when it was interrupted. */
  incomplete: boolean;
}

/** Pass count and total of one guideline section. */
export interface SectionScore {
  /** Checks that passed, or whose failure an active waiver excuses. A `warn` is not a pass. */
  passed: number;
  /** Checks that ended in `warn` (an attestation template, a certificate close to expiry): not passed. */
  warned: number;
  /** Checks that count for the section (filtered-out checks do not). */
  total: number;
}

/** The versioned report model every format is rendered from. */
export interface Report {
  /** Model version. */
  schemaVersion: number;
  /** The tool that wrote it. */
  tool: { name: string; version: string };
  /** Suite identity. */
  suite: { name: string; title: string; file: string; sha256: string };
  /** Environment the run targeted. */
  environment: { name: string; sandbox: boolean; embedded: boolean; insecure: boolean; baseUrl?: string; faults?: string[] };
  /** ISO start time. */
  startedAt: string;
  /** ISO end time. */
  finishedAt: string;
  /** Wall time in milliseconds. */
  durationMs: number;
  /** Go-live verdict. */
  verdict: Verdict;
  /** The gate the verdict was computed with. */
  failOn: FailOn;
  /** Count per status. */
  summary: Record<Status, number>;
  /** Score per guideline section, keys sorted numerically. */
  sections: Record<string, SectionScore>;
  /** One entry per check, in suite order. */
  results: CheckResult[];
  /** Things a reviewer must know about how the run was made (TLS verification off, ephemeral key...). */
  warnings: string[];
  /** True when the run was interrupted (Ctrl-C, SIGTERM) before every check finished. */
  incomplete: boolean;
  /** Merged reports only (`payready merge`): the runs merged, one per vantage point. */
  vantages?: Vantage[];
  /** A shard's report only (`payready run --shard i/n`): the split and the calls `merge` needs. */
  shard?: ShardInfo;
  /** Merged shard reports only: the shards, and every check's calls with latency histograms. */
  shards?: { count: number; suiteSha256: string; runs: ShardRun[]; interactions: InteractionTotals };
}

const RANK: Record<Severity, number> = { blocker: 3, major: 2, minor: 1, info: 0 };

/** True when a result at this severity counts against the gate. */
export function gates(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'none' && RANK[severity] >= RANK[failOn];
}

/** Accepted `--fail-on` values. */
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'none'];

/** Whether a waiver still counts on `today` (YYYY-MM-DD, inclusive). */
export function waiverState(waiver: Waiver, today: Date): WaiverState {
  const day = today.toISOString().slice(0, 10);
  return { ...waiver, active: waiver.expires >= day };
}

/** READY, READY WITH WAIVERS or NOT READY. An incomplete run is never ready. */
export function computeVerdict(results: CheckResult[], failOn: FailOn, incomplete: boolean): Verdict {
  if (incomplete) return 'NOT READY';
  let waived = false;
  for (const r of results) {
    if ((r.status !== 'fail' && r.status !== 'error') || !gates(r.severity, failOn)) continue;
    if (!r.waived) return 'NOT READY';
    waived = true;
  }
  return waived ? 'READY WITH WAIVERS' : 'READY';
}

/**
 * The results that make a run NOT READY: fails and errors at or above the gate, not waived.
 */
export function blockingResults(results: readonly CheckResult[], failOn: FailOn): CheckResult[] {
  return results.filter((r) => (r.status === 'fail' || r.status === 'error') && gates(r.severity, failOn) && !r.waived);
}

/**
 * True when a NOT READY run is blocked only by setup errors (the suite's credentials refused, a
 * path the API does not have...): the team's configuration is broken, not the target. The CLI
 * exits 2 then, so CI can tell "our setup is broken" from "the provider is not ready" (exit 1).
 */
export function blockedOnlyBySetup(report: Pick<Report, 'verdict' | 'incomplete' | 'results' | 'failOn'>): boolean {
  if (report.verdict !== 'NOT READY' || report.incomplete) return false;
  const blocking = blockingResults(report.results, report.failOn);
  return blocking.length > 0 && blocking.every((r) => r.status === 'error' && r.cause === 'setup');
}

/** Counts per status. */
export function countStatuses(results: CheckResult[]): Record<Status, number> {
  const summary: Record<Status, number> = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0 };
  for (const r of results) summary[r.status] += 1;
  return summary;
}

/**
 * Pass count per guideline section; checks removed by a filter do not count. A warning is counted
 * apart, never as passed: a section proven only by an attestation template is not proven.
 */
export function scoreSections(results: CheckResult[]): Record<string, SectionScore> {
  const sections: Record<string, SectionScore> = {};
  for (const r of results) {
    if (r.skippedBy === 'filter') continue;
    const score = (sections[r.section] ??= { passed: 0, warned: 0, total: 0 });
    score.total += 1;
    if (r.status === 'pass' || r.waived) score.passed += 1;
    else if (r.status === 'warn') score.warned += 1;
  }
  return Object.fromEntries(Object.entries(sections).sort(([a], [b]) => compareSections(a, b)));
}

/** Orders "1.2" before "1.10" before "2.1". */
export function compareSections(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.localeCompare(b);
}
