import type { HttpClient } from '../net/http.js';
import type { Redactor } from '../evidence/redact.js';
import type { InteractionLog } from '../runner/interactions.js';

/** What a check concluded. `fail`: the target does not meet the requirement; `error`: the check could not decide. */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** How much a check matters for the verdict. */
export type Severity = 'blocker' | 'major' | 'minor' | 'info';

export const STATUSES: readonly Status[] = ['pass', 'fail', 'warn', 'skip', 'error'];

/**
 * Why an `error` could not decide, when the answer is the team's own configuration rather than the
 * target: the suite's credentials refused (`invalid_client`), a path the API does not have (404/405
 * on a configured endpoint), a request body the provider's spec rejects, a CA file that is missing,
 * parameters that do not resolve. A run blocked only by such errors exits 2 ("fix the suite"),
 * not 1 ("the target is not ready").
 */
export type Cause = 'setup';
export const SEVERITIES: readonly Severity[] = ['blocker', 'major', 'minor', 'info'];

/** A JSON Schema object (draft 2020-12), kept loose so schemas can be written as `as const` literals. */
export type JsonSchema = { readonly [key: string]: unknown };

/** Comparison operators shared by every check type (one table, see `src/checks/assert.ts`). */
export type Operator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'in'
  | 'notIn'
  | 'matches'
  | 'contains'
  | 'exists'
  | 'absent'
  | 'type';

/** One comparison a check made, kept so a reviewer can see what was expected and what was seen. */
export interface Assertion {
  /** What was compared, e.g. `status` or `body.amount.value`. */
  name: string;
  /** How it was compared. */
  operator: Operator;
  /** The value the suite (or the check type's rule) asked for. */
  expected: unknown;
  /** The value observed on the target. */
  actual: unknown;
  /** Whether the comparison held. */
  passed: boolean;
  /** Optional explanation shown when the assertion fails. */
  message?: string;
}

/** A number with a unit, e.g. `{ name: 'connect', value: 1.8, unit: 'ms' }`. */
export interface Measurement {
  /** What was measured. */
  name: string;
  /** The value, never rounded to whole milliseconds. */
  value: number;
  /** Unit: ms, s, B, Mbps, %, req/s, days, count. */
  unit: string;
}

/** A located problem a scanner found (a file line, a header, a certificate). */
export interface Finding {
  /** Rule identifier, e.g. `pan/visa` or `headers/hsts-missing`. */
  rule: string;
  /** What is wrong, in words; never contains the secret or card number itself. */
  message: string;
  /** How bad this finding is. */
  level: 'error' | 'warning' | 'note';
  /** File the finding is in, relative to the suite directory when possible. */
  file?: string;
  /** 1-based line number within `file`. */
  line?: number;
  /** 1-based column within `line`. */
  column?: number;
  /** Stable identity of the finding (a hash, never the secret itself): allow lists and code scanning match on it. */
  fingerprint?: string;
}

/** A piece of evidence produced by a check (transcript, certificate chain, screenshot). */
export interface Artifact {
  /** File name inside the check's evidence folder, e.g. `chain.pem`. */
  name: string;
  /** IANA media type, e.g. `application/x-pem-file`, `image/png`. */
  mediaType: string;
  /** Content; text artifacts are redacted before they are stored, binary ones are stored as produced. */
  data: string | Uint8Array;
  /** One line on what this artifact shows. */
  description?: string;
}

/** What `run()` returns. The runner adds id, timing, attempts and redaction to make a result. */
export interface Outcome {
  /** The check's conclusion. */
  status: Status;
  /** One line a person can act on, e.g. "TLS 1.0 accepted: disable TLS 1.0 and 1.1 on api.example.com:443". */
  summary: string;
  /** With `status: 'error'`: `setup` when the suite's own configuration, not the target, stopped the check. */
  cause?: Cause;
  /** Comparisons made, in order. */
  assertions?: Assertion[];
  /** Numbers measured. */
  measurements?: Measurement[];
  /** Located problems found. */
  findings?: Finding[];
  /** Evidence artifacts. */
  artifacts?: Artifact[];
  /** Values a suite's `capture:` may read by path, e.g. `{ status, headers, body }`. */
  values?: Record<string, unknown>;
  /** Values that must be redacted everywhere from now on (tokens the check obtained). */
  secrets?: string[];
}

/** The environment a suite runs against, after interpolation. */
export interface Target {
  /** Environment name, e.g. `sandbox`. */
  name: string;
  /** True when the environment is a sandbox where money-moving checks may run. */
  sandbox: boolean;
  /** Base URL of the provider's API when the environment declares one. */
  baseUrl?: string;
  /** PEM text of extra trusted certificate authorities (e.g. the embedded sandbox's CA). */
  ca?: string[];
  /** True when the suite explicitly turned TLS verification off for this environment. */
  insecure: boolean;
  /** Every field of the environment (strings, numbers, booleans), for `${target.x}`. */
  fields: Record<string, unknown>;
}

/** Debug log of a check; lines are redacted and only shown with `--verbose`. */
export interface CheckLog {
  debug(message: string): void;
}

/** The shared monotonic and wall clock (frozen in reporter tests). */
export interface Clock {
  /** Wall-clock time. */
  now(): Date;
  /** Monotonic milliseconds with sub-millisecond precision. */
  monotonic(): number;
}

/** How far a long-running check is (a load phase), for live progress on a terminal. */
export interface ProgressUpdate {
  /** Short text, e.g. "1,200/2,000 requests, 4,321 req/s". */
  message: string;
  /** Share done, 0 to 1, when known. */
  fraction?: number;
}

/** Everything a check type needs, injected by the runner. */
export interface CheckContext {
  /** Id of the check being run (for logs and interaction records). */
  checkId: string;
  /** Aborts on the check's timeout and on Ctrl-C; every I/O must honour it. */
  signal: AbortSignal;
  /** The check's timeout in milliseconds (what `signal` enforces). */
  timeoutMs: number;
  /** HTTP client bound to the target's trust settings; records every call in the interaction log. */
  http: HttpClient;
  /** The environment the suite runs against. */
  target: Target;
  /** Directory of the suite file: relative paths in parameters resolve against it. */
  baseDir: string;
  /** Whether money-moving checks may run against a non-sandbox target. */
  allowLive: boolean;
  /** Largest amount (minor units) a money-moving check may use against a live target. */
  liveMaxAmount?: number;
  /** The run's redactor (read-only use: checks hand secrets back through `Outcome.secrets`). */
  redact: Redactor;
  /** Every API interaction recorded so far in this run. */
  interactions: InteractionLog;
  /** Clock. */
  clock: Clock;
  /** Debug log. */
  log: CheckLog;
  /**
   * Shows a line to the person at the terminal and returns; present only when one is there (a TTY,
   * not CI). A check that needs a person (signing in to an authorization server) is `skip` without it.
   */
  prompt?: (message: string) => void;
  /** Reports progress of a long check; shown live on a terminal only (never printed by the check). */
  progress?(update: ProgressUpdate): void;
}

/** A write request a check would send: refused on a live target unless the suite says `allowLive: true`. */
export interface WriteRequest {
  /** The method, e.g. `POST`, or what is sent, e.g. `a card submitted on the checkout form at`. */
  method: string;
  /** The URL as given (unresolved at validation time). */
  url: string;
  /** The `with:` parameter that makes it a write (where validation errors point). */
  param: string;
}

/** A check type: metadata next to behaviour, one module per type (like an ESLint rule). */
export interface CheckType<P = Record<string, unknown>> {
  /** Registry key; equals the file name in `src/checks/`. */
  name: string;
  /** One line on what the type proves. */
  description: string;
  /**
   * Guideline items (ids from src/guidelines.ts, e.g. `2.1.a`) a check of this type can evidence.
   * A check proves only these: its `proves:` may name no other, and without `proves:` it proves
   * those of its own section. Items no probe can test belong to `attestation`.
   */
  items: readonly string[];
  /** JSON Schema of the `with:` parameters (draft 2020-12; `additionalProperties: false`). */
  schema: JsonSchema;
  /** Values exposed to `capture:` and what they hold. */
  values?: Readonly<Record<string, string>>;
  /** Whether this check moves money (refused on a non-sandbox target unless `allowLive`). */
  movesMoney?: boolean;
  /**
   * The write requests these parameters would send (POST, PUT, PATCH, DELETE, a card form): each
   * may move money, so each is refused on a non-sandbox target unless `allowLive`. Called by the
   * loader with the parameters as written (`${...}` unresolved, defaults not applied: an
   * unresolved method counts as a write) and by the runner with the resolved ones.
   */
  writes?(params: Readonly<Record<string, unknown>>): WriteRequest[];
  /** When the type sends write requests, in words, for `payready checks` and the docs. */
  writesWhen?: string;
  /**
   * Run after every other check of the suite, one at a time: KPIs over the run's interactions, and
   * work heavy enough to skew the timings of checks running beside it (a load phase, a browser).
   */
  runsLast?: boolean;
  /** An example `with:` block for docs and `payready init`. */
  example?: Record<string, unknown>;
  /** Do the check. Never print, never exit; throw only for bugs (the runner turns throws into `error`). */
  run(params: P, ctx: CheckContext): Promise<Outcome>;
}

/** Identity helper that keeps a check type's parameter type attached to its schema. */
export function defineCheck<P>(type: CheckType<P>): CheckType<P> {
  return type;
}
