import type { HttpClient } from '../net/http.js';
import type { InteractionLog } from '../model/interactions.js';
import type { Outcome, ProgressUpdate } from '../model/outcome.js';
import type { Messages } from '../model/messages.js';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { IntegrationConfig } from './integration/config.js';

/** A JSON Schema object (draft 2020-12), kept loose so schemas can be written as `as const` literals. */
export type JsonSchema = { readonly [key: string]: unknown };

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

/** Debug log of a check; lines leave through the run's exit (redacted) and are only shown with `--verbose`. */
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
  /** The team's own system under test, when the suite has an `integration:` section. */
  integration?: IntegrationHandle;
  /**
   * Waits `ms`, or less when the check is stopped (it resolves either way: check `signal` after),
   * telling the run the check is idle meanwhile and that nothing it measures depends on the pause
   * (a Retry-After being waited out). While every running check waits so, with time to spare, and
   * no check is left to start but those that run last, the run lets those set up (`prepare`).
   */
  wait(ms: number): Promise<void>;
  /** What the type's `prepare` started for this check in a quiet moment of the run (a browser launching). */
  prepared?: Prepared;
}

/** What `prepare` is given: less than a check's context, since the check has not started. */
export interface PrepareContext {
  /** Id of the check being prepared. */
  checkId: string;
  /** Aborts on Ctrl-C: whatever was started stops. */
  signal: AbortSignal;
  /** The check's timeout in milliseconds (for a launch that may hang). */
  timeoutMs: number;
  /** Debug log. */
  log: CheckLog;
}

/** Set-up a check type started ahead of its check's turn (`CheckType.prepare`). */
export interface Prepared {
  /**
   * Stops what was started, whether the check's run used it or not (it was skipped, the run was
   * interrupted); resolves once it is gone (a browser closed, its temporary profile removed).
   * The runner calls it once the checks are done; safe to call again.
   */
  release(): Promise<void>;
}

/** The merchant's system as `integration` checks reach it (started by the CLI on first use). */
export interface IntegrationHandle {
  /** The `integration:` section, resolved. */
  config: IntegrationConfig;
  /** Starts the merchant once (when the suite says how) and resolves when it answers; rejects with a sentence saying why not. */
  ready(): Promise<void>;
  /** A mark in the merchant's output, for `outputSince`. */
  outputMark(): number;
  /** What the merchant printed since `mark` (empty when payready did not start it). */
  outputSince(mark: number): string;
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

/**
 * What the suite loader needs of a type (its `meta.ts`): everything but its messages and its
 * behaviour (`run`, `prepare`), so `payready validate` loads no check's run code.
 */
export type CheckMeta = Omit<CheckType, 'messages' | 'run' | 'prepare'>;

/** A check type: metadata next to behaviour, one module per type (like an ESLint rule). */
export interface CheckType<P = Record<string, unknown>> {
  /** Registry key; equals the folder name in `src/checks/`. */
  name: string;
  /** A few words naming what the type checks, e.g. `Security headers` (the title of its doc page). */
  title: string;
  /** One line on what the type proves. */
  description: string;
  /**
   * Every summary and finding message the type can produce (id -> status, template, fix). Results
   * carry the id and its data (`Outcome.message`); the type's doc page lists them with their fixes.
   */
  messages: Messages;
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
  /**
   * Starts slow set-up the check will need at its turn (launching a browser) in a quiet moment of
   * the run, so a check that runs last does not begin by waiting for it. The run calls it at most
   * once, when every running check is in `ctx.wait` with half a second or more left and no check
   * but those that run last is left to start: nothing measured runs beside it. It must not touch
   * the target. Given the `with:` parameters as written (`${...}` unresolved, defaults not
   * applied); `run` finds the result in `ctx.prepared`, or does the set-up itself when the run was
   * never quiet. Undefined when nothing can be prepared from these parameters.
   */
  prepare?(params: Readonly<Record<string, unknown>>, ctx: PrepareContext): Promise<Prepared | undefined>;
  /** An example `with:` block for docs and `payready init`. */
  example?: Record<string, unknown>;
  /** Do the check. Never print, never exit; throw only for bugs (the runner turns throws into `error`). */
  run(params: P, ctx: CheckContext): Promise<Outcome>;
}

/**
 * The parameters a schema describes, after validation: a property with a `default` is always
 * present (the runner validates with ajv `useDefaults`, so defaults are stated once, in the schema).
 */
export type ParamsOf<S extends JSONSchema> = FromSchema<S>;

/**
 * Defines a check type: its metadata, messages table and `run`, whose parameters are typed from the
 * schema (`run.ts` declares `type Params = ParamsOf<typeof meta.schema>`; write the schema `as const`).
 */
export function defineCheck<P>(type: CheckType<P>): CheckType<P> {
  return type;
}
