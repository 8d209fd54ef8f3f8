import type { LookupFunction } from 'node:net';
import type { CheckType, Clock, IntegrationHandle, Target } from '../checks/types.js';
import type { InteractionLog } from '../model/interactions.js';
import type { Artifact, ProgressUpdate } from '../model/outcome.js';
import type { CheckResult, FailOn, Report } from '../model/report.js';
import type { CheckSpec, Suite } from '../suite/types.js';
import type { RunExit } from './exit.js';
import type { Selection } from './select.js';
import type { ShardSpec } from './shard.js';

/** Receives progress as the run goes (the terminal reporter is one); every event arrives through the run's exit, redacted. */
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
  /** Secret values by name (learned by the exit before anything runs). */
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
  /**
   * `--shard i/n`: run only this shard's checks (shard.ts), leave the checks that judge the whole
   * run to `payready merge`, and keep in the report what merge needs (the split, every call's totals).
   */
  shard?: ShardSpec;
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
  /** The run's exit, everything leaving the run passes through it (created when absent). */
  exit?: RunExit;
  /** Interaction log (created when absent); pipe it through the exit to a JSONL writer before the run. */
  interactions?: InteractionLog;
  /** Debug lines (they arrive redacted). */
  debug?: (line: string) => void;
  /** Shows a line to a person at the terminal (only when one is there); given to checks as `ctx.prompt`, redacted. */
  prompt?: (message: string) => void;
  /** The team's own system under test (the suite's `integration:` section), given to checks as `ctx.integration`. */
  integration?: IntegrationHandle;
  /** Where check types come from (default: the registry); tests pass their own. */
  loadType?: (name: string) => Promise<CheckType>;
  /** Validates resolved parameters (default: against the type's schema). */
  validate?: Validate;
  /**
   * Receives, once the checks start, a function that returns the run as it stands: finished checks
   * as they ended, the others skipped as interrupted, the report incomplete. For a process that
   * must end before the run does (a second Ctrl-C, a check that ignores the abort).
   */
  snapshot?: (current: () => RunOutput) => void;
}

/** Validates a check's resolved parameters against its type. */
export type Validate = (type: CheckType, params: unknown) => Promise<{ ok: true; params: unknown } | { ok: false; message: string }>;

/** What a run produces: the report plus what does not belong in it (artifact bytes). */
export interface RunOutput {
  /** The report model, passed through the exit. */
  report: Report;
  /** Artifacts per check id, passed through the exit. */
  artifacts: Map<string, Artifact[]>;
  /** The interaction log (aggregates). */
  interactions: InteractionLog;
  /** The run's exit, for everything written afterwards (rendered reports, the bundle). */
  exit: RunExit;
}
