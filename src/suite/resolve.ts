import { isAbsolute, resolve } from 'node:path';
import type { Target } from '../checks/types.js';
import { NUMERIC_TARGET_FIELDS, numberHint, shownValue, wholeNumber } from './embedded.js';
import { SuiteError } from './errors.js';
import { interpolate, InterpolationError, referencesIn } from './interpolate.js';
import { walkStrings } from './references.js';
import { suggestion } from './suggest.js';
import type { EnvironmentSpec, Suite } from './types.js';
import { FILE_LIMITS, FileReadError, formatLimit, readRegularFile } from '../files.js';

/** Options of `resolveEnvironment`. */
export interface ResolveOptions {
  /** Environment variables (secrets and `${env.X}` in environment fields). */
  env: Record<string, string | undefined>;
  /** What the started embedded sandbox provides (baseUrl, host, port, caFile, ...); required for embedded environments. */
  embeddedFields?: Record<string, unknown>;
}

/** A resolved environment: the target checks run against and the secret values. */
export interface ResolvedEnvironment {
  /** The target, with fields interpolated and CA files read. */
  target: Target;
  /** Secret values by name (only the secrets the suite's checks use). */
  secrets: Record<string, string>;
}

/**
 * Turns a suite environment into a Target: reads the secrets the checks use (from env or files
 * relative to the suite), interpolates the environment's fields (`${env.X}`, `${vars.x}`), reads
 * `ca` files into PEM text, and for embedded environments merges in what the sandbox provides.
 * Errors are SuiteErrors that name the variable or file, never a secret value.
 */
export async function resolveEnvironment(suite: Suite, name: string, options: ResolveOptions): Promise<ResolvedEnvironment> {
  const spec = suite.environments[name];
  if (!spec) {
    throw new SuiteError([{ message: `the suite has no environment "${name}"`, hint: suggestion(name, Object.keys(suite.environments), 'environments in this suite') }]);
  }
  if (spec.embedded && !options.embeddedFields) {
    throw new SuiteError([{ message: `environment "${name}" is embedded: start the built-in sandbox and pass its fields` }]);
  }
  const secrets = await readSecrets(suite, usedSecrets(suite), options.env);
  const scope = { env: options.env, vars: suite.variables, secrets: {}, target: {}, checks: {} };
  let fields: Record<string, unknown>;
  let caFiles: string[];
  try {
    fields = interpolate(spec.fields, scope) as Record<string, unknown>;
    caFiles = (interpolate(spec.ca, scope) as unknown[]).map(String);
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    throw new SuiteError([{ message: `environment "${name}": ${error.message}` }]);
  }
  for (const field of NUMERIC_TARGET_FIELDS) {
    const value = fields[field];
    if (typeof value !== 'string') continue;
    const number = wholeNumber(value);
    if (number === undefined) {
      const written = spec.fields[field];
      const from = typeof written === 'string' && written !== value ? ` (from ${written})` : '';
      throw new SuiteError([{ message: `environment "${name}": ${field} is ${shownValue(value)}${from}, not a whole number`, hint: numberHint(field) }]);
    }
    fields[field] = number;
  }
  // The sandbox's own values win: its ports are chosen when it starts.
  if (spec.embedded) Object.assign(fields, options.embeddedFields);
  const ca = await Promise.all(caFiles.map((file) => readPem(suite, file, `ca of environment "${name}"`)));
  const sandboxCa = spec.embedded ? options.embeddedFields?.caFile : undefined;
  if (typeof sandboxCa === 'string') ca.push(await readPem(suite, sandboxCa, 'the embedded sandbox'));
  const target: Target = { name, sandbox: spec.sandbox, insecure: spec.insecure, fields };
  if (typeof fields.baseUrl === 'string') target.baseUrl = fields.baseUrl;
  if (ca.length > 0) target.ca = ca;
  return { target, secrets };
}

/** Names of the secrets some check's parameters or environment field reference. */
export function usedSecrets(suite: Suite): Set<string> {
  const used = new Set<string>();
  const collect = (text: string): void => {
    for (const ref of referencesIn(text)) if (ref.namespace === 'secrets' && ref.path[0]) used.add(ref.path[0]);
  };
  for (const check of suite.checks) walkStrings(check.with, [], collect);
  for (const environment of Object.values(suite.environments)) walkStrings(environmentFieldsAndCa(environment), [], collect);
  if (suite.integration) walkStrings(suite.integration, [], collect);
  return used;
}

function environmentFieldsAndCa(environment: EnvironmentSpec): unknown[] {
  return [environment.fields, environment.ca];
}

async function readSecrets(suite: Suite, names: Set<string>, env: Record<string, string | undefined>): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const spec = suite.secrets[name];
    if (!spec) continue; // the loader has reported undeclared secrets
    if ('env' in spec) {
      const value = env[spec.env];
      if (value === undefined || value === '') {
        throw new SuiteError([{ message: `environment variable ${spec.env} is ${value === '' ? 'empty' : 'not set'} (needed by secret "${name}")`, hint: `set ${spec.env} before running` }]);
      }
      values[name] = value;
    } else {
      const text = await readSmallFile(suite, spec.file, `secret "${name}"`, FILE_LIMITS.secret);
      // Files written with `echo` end in a newline that is not part of the secret.
      const value = text.replace(/\r?\n$/, '');
      if (value === '') throw new SuiteError([{ message: `secret file ${spec.file} (secret "${name}") is empty` }]);
      values[name] = value;
    }
  }
  return values;
}

async function readPem(suite: Suite, file: string, user: string): Promise<string> {
  const text = await readSmallFile(suite, file, user, FILE_LIMITS.ca);
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SuiteError([{ message: `${file} (${user}) holds no PEM certificate`, hint: 'expected text starting with -----BEGIN CERTIFICATE-----' }]);
  }
  return text;
}

/**
 * Reads a file named in the suite (a secret, a CA), relative to the suite's directory: a regular
 * file of at most `maxBytes` (a bigger one is the wrong file; a FIFO or device is refused, never
 * waited on). Errors name the file as written.
 */
async function readSmallFile(suite: Suite, file: string, user: string, maxBytes: number): Promise<string> {
  const path = isAbsolute(file) ? file : resolve(suite.dir, file);
  try {
    return (await readRegularFile(path, maxBytes)).toString('utf8');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    if (error.reason === 'too-large') throw new SuiteError([{ message: `${file} (needed by ${user}) is larger than ${formatLimit(maxBytes)}`, hint: 'is this the right file?' }]);
    throw new SuiteError([{ message: `cannot read ${file} (needed by ${user}): ${error.message}`, ...(error.reason === 'missing' ? { hint: `paths are relative to the suite's directory` } : {}) }]);
  }
}
