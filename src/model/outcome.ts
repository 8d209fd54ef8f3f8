/*
 * What a check concludes (and how far it is while it runs), in the words every part of a run
 * shares: the runner judges and records it, reporters and the evidence bundle render it, `diff` and
 * `merge` compare it. Imports nothing.
 */

import type { MessageRef } from './messages.js';

/** What a check concluded. `fail`: the target does not meet the requirement; `error`: the check could not decide. */
export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

/** How much a check matters for the verdict. */
export type Severity = 'blocker' | 'major' | 'minor' | 'info';

/** Every status, in the order reports count them. */
export const STATUSES: readonly Status[] = ['pass', 'fail', 'warn', 'skip', 'error'];

/** Every severity, from the one that matters most. */
export const SEVERITIES: readonly Severity[] = ['blocker', 'major', 'minor', 'info'];

/**
 * Why an `error` could not decide, when the answer is the team's own configuration rather than the
 * target: the suite's credentials refused (`invalid_client`), a path the API does not have (404/405
 * on a configured endpoint), a request body the provider's spec rejects, a CA file that is missing,
 * parameters that do not resolve. A run blocked only by such errors exits 2 ("fix the suite"),
 * not 1 ("the target is not ready").
 */
export type Cause = 'setup';

/** Comparison operators shared by every check type (one table, see `src/model/operators.ts`). */
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

/** What a check type's `run()` returns. The runner adds id, timing, attempts and redaction to make a result (`CheckResult`). */
export interface Outcome {
  /** The check's conclusion. */
  status: Status;
  /** One line a person can act on, e.g. "TLS 1.0 accepted: disable TLS 1.0 and 1.1 on api.example.com:443". */
  summary: string;
  /** Which entry of the check type's messages table `summary` was made from, and its values. */
  message?: MessageRef;
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

/** How far a long-running check is (a load phase), for live progress on a terminal. */
export interface ProgressUpdate {
  /** Short text, e.g. "1,200/2,000 requests, 4,321 req/s". */
  message: string;
  /** Share done, 0 to 1, when known. */
  fraction?: number;
}
