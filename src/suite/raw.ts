import type { IntegrationSection } from '../checks/integration/config.js';
import type { Severity } from '../model/outcome.js';
import type { ProviderName } from '../providers/names.js';
import { embeddedProvider } from './embedded.js';
import { CUSTOM_FIELDS_KEY, ENVIRONMENT_FLAGS } from './environment-keys.js';
import type { SecretSpec } from './types.js';
import type { Waiver } from '../model/report.js';

/*
 * The suite as written, once it has passed the suite schema: these types restate that schema
 * (see schema-build.ts) for the semantic checks and normalisation that follow validation.
 */

/** `capture:` entry: a path (shorthand) or `{ from, secret }`. */
export type RawCapture =
  | string
  | {
      /** Path into the outcome values. */
      from: string;
      /** Redact the captured value. */
      secret?: boolean;
    };

/** One entry of `checks:` as written. */
export interface RawCheck {
  /** Unique kebab-case id. */
  id: string;
  /** Registered check type. */
  type: string;
  /** Human title (default: the id). */
  title?: string;
  /** Guideline section. */
  section: string;
  /** Guideline item ids it proves, each one its type can evidence (default: those of `section` it can). */
  proves?: string[];
  /** Severity (default: defaults.severity, else major). */
  severity?: Severity;
  /** Tags. */
  tags?: string[];
  /** Explicit dependencies. */
  needs?: string[];
  /** Duration: "10s" or milliseconds. */
  timeout?: number | string;
  /** Extra attempts. */
  retries?: number;
  /** Type parameters, raw. */
  with?: Record<string, unknown>;
  /** Values to capture. */
  capture?: Record<string, RawCapture>;
  /** Accepted exception. */
  waiver?: Waiver;
}

/** One entry of `environments:` as written: flags, known target fields, and the suite's own `fields:`. */
export interface RawEnvironment {
  /** Started by payready (the built-in sandbox); `{ provider }` names the API it speaks (default payready's own). */
  embedded?: boolean | { provider?: ProviderName };
  /** Money-moving checks may run here. */
  sandbox?: boolean;
  /** TLS verification off. */
  insecure?: boolean;
  /** Extra CA file(s). */
  ca?: string | string[];
  /** The suite's own values, read as `${target.<name>}` like the known fields. */
  fields?: Record<string, string | number | boolean>;
  /** A known target field (`TARGET_FIELDS`: baseUrl, host, port, tokenUrl, ...): string, number or boolean. */
  [field: string]: unknown;
}

/** `defaults:` as written. */
export interface RawDefaults {
  /** Environment used without `--env`. */
  environment?: string;
  /** Default timeout. */
  timeout?: number | string;
  /** Default retries. */
  retries?: number;
  /** Default severity. */
  severity?: Severity;
}

/** The whole suite as written. */
export interface RawSuite {
  /** Name. */
  suite: string;
  /** Title. */
  title: string;
  /** Named targets. */
  environments: Record<string, RawEnvironment>;
  /** `${vars.x}` values. */
  variables?: Record<string, unknown>;
  /** `${secrets.x}` sources. */
  secrets?: Record<string, SecretSpec>;
  /** Defaults. */
  defaults?: RawDefaults;
  /** Allow money-moving checks on live targets. */
  allowLive?: boolean;
  /** Amount cap on live targets. */
  liveMaxAmount?: number;
  /** The team's own system under test (`integration` checks). */
  integration?: IntegrationSection;
  /** The checks. */
  checks: RawCheck[];
}

/** The fields of an environment (what `${target.x}` reads): its known target fields and its own `fields:`, without the flags. */
export function environmentFields(environment: RawEnvironment): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(environment)) {
    if (key === CUSTOM_FIELDS_KEY || (ENVIRONMENT_FLAGS as readonly string[]).includes(key)) continue;
    fields[key] = value;
  }
  // The loader refuses a custom name that is also a known key, so nothing is overwritten here.
  for (const [key, value] of Object.entries(environment.fields ?? {})) fields[key] = value;
  return fields;
}

/** Whether money-moving checks may run in this environment (default: embedded ones may). */
export function isSandbox(environment: RawEnvironment): boolean {
  return environment.sandbox ?? embeddedProvider(environment.embedded) !== undefined;
}
