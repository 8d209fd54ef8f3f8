import type { IntegrationSection } from '../checks/integration/config.js';
import type { Severity } from '../model/outcome.js';
import type { Waiver } from '../model/report.js';
import type { ProviderName } from '../providers/names.js';

/** A place in a suite file (1-based line and column). */
export interface SourceLocation {
  /** The suite file as the user named it (relative paths stay relative). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** Where a secret value comes from: only environment variables or files (vault-style mounts). */
export type SecretSpec = { env: string } | { file: string };

/** A named target of a suite, as written (values may still hold `${...}` references). */
export interface EnvironmentSpec {
  /** Key under `environments:`. */
  name: string;
  /** payready starts its built-in sandbox and fills the connection fields (baseUrl, host, port, ca...). */
  embedded: boolean;
  /** The API the embedded sandbox speaks (`embedded: { provider: stripe }`; `embedded: true` is payready); undefined when not embedded. */
  embeddedProvider?: ProviderName;
  /** Money-moving checks may run here. */
  sandbox: boolean;
  /** TLS verification turned off (explicit; reported as a warning). */
  insecure: boolean;
  /** Extra trusted CA file(s), relative to the suite directory. */
  ca: string[];
  /** Every other field (baseUrl, host, port, ...), raw. */
  fields: Record<string, unknown>;
}

/** A value a later check may use as `${checks.<id>.<name>}`. */
export interface CaptureSpec {
  /** Path into the check's outcome values, e.g. `body.access_token` or `headers.location`. */
  from: string;
  /** Register the captured value with the redactor. */
  secret: boolean;
}

/** One check of a suite, with defaults applied (parameters still raw). */
export interface CheckSpec {
  /** Unique kebab-case id. */
  id: string;
  /** Check type (a registry key). */
  type: string;
  /** Human title. */
  title: string;
  /** Guideline section it proves, e.g. "2.1". */
  section: string;
  /** Guideline item ids it proves as written, e.g. `["2.1.a"]`; absent: the items of `section` its type can evidence. */
  proves?: string[];
  /** Severity for gating. */
  severity: Severity;
  /** Tags for `--tag`. */
  tags: string[];
  /** Ids this check runs after (explicit `needs` plus checks whose captures it reads). */
  needs: string[];
  /** The type's parameters, raw (`${...}` resolved at run time). */
  with: Record<string, unknown>;
  /** Values to capture from the outcome. */
  capture: Record<string, CaptureSpec>;
  /** Timeout in milliseconds. */
  timeoutMs: number;
  /** Extra attempts after a fail or error. */
  retries: number;
  /** Accepted exception, when any. */
  waiver?: Waiver;
  /** Where the check starts in the suite file. */
  location: SourceLocation;
}

/** A validated suite. */
export interface Suite {
  /** The file as the user named it. */
  file: string;
  /** Absolute path of the file. */
  path: string;
  /** Directory relative paths resolve against. */
  dir: string;
  /** SHA-256 of the file's bytes (hex). */
  sha256: string;
  /** `suite:` name. */
  name: string;
  /** `title:`. */
  title: string;
  /** Named targets. */
  environments: Record<string, EnvironmentSpec>;
  /** `variables:` for `${vars.x}`. */
  variables: Record<string, unknown>;
  /** `secrets:` for `${secrets.x}`. */
  secrets: Record<string, SecretSpec>;
  /** Environment used when `--env` is not given. */
  defaultEnvironment: string;
  /** Money-moving checks may run against a non-sandbox environment. */
  allowLive: boolean;
  /** Cap on amounts (minor units) used by money-moving checks against a live target. */
  liveMaxAmount?: number;
  /** The `integration:` section as written (`${...}` unresolved), when the suite has one. */
  integration?: IntegrationSection;
  /** Checks in file order. */
  checks: CheckSpec[];
}
