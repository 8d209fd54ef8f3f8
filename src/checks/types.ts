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
 * behaviour (`run`), so `payready validate` loads no check's run code.
 */
export type CheckMeta = Omit<CheckType, 'messages' | 'run'>;

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
