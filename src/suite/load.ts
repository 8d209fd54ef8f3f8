import type { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { CheckType } from '../checks/types.js';
import type { Severity } from '../model/outcome.js';
import { describeErrors, suiteContext, type PathProblem } from './ajv-errors.js';
import { parseDuration } from '../model/duration.js';
import { SuiteError, type SuiteProblem } from './errors.js';
import { environmentFields, isSandbox, type RawCheck, type RawSuite } from './raw.js';
import { embeddedProvider } from './embedded.js';
import { suiteValidator } from './schema.js';
import { checkSemantics } from './semantic.js';
import type { CaptureSpec, CheckSpec, EnvironmentSpec, Suite } from './types.js';
import { MAX_SUITE_BYTES, assertSize, parseYaml, type SuiteDocument } from './yaml.js';
import { FileReadError, readRegularFile } from '../files.js';

/** Options of `loadSuite` and `parseSuite`. */
export interface LoadOptions {
  /** Environment variables references are checked against (default: process.env). */
  env?: Record<string, string | undefined>;
  /** The environment whose references are checked (default: defaults.environment, else the first). */
  environment?: string;
  /** Directory a relative file name resolves against (default: process.cwd()). */
  cwd?: string;
  /** Name shown for the file in messages (default: the file name as given). */
  displayName?: string;
  /** Check types (default: the registry); tests pass their own. */
  types?: readonly CheckType[];
}

/** Default check timeout when neither the check nor `defaults:` sets one. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default severity when neither the check nor `defaults:` sets one. */
export const DEFAULT_SEVERITY: Severity = 'major';

/**
 * Reads, parses and validates a suite file. Throws SuiteError, and only SuiteError, whatever the
 * file holds: suite files are untrusted input.
 */
export async function loadSuite(file: string, options: LoadOptions = {}): Promise<Suite> {
  const display = options.displayName ?? file;
  const path = resolve(options.cwd ?? process.cwd(), file);
  let bytes: Buffer;
  try {
    // A regular file only, its size capped before and while reading: a huge file is refused, not loaded.
    bytes = await readRegularFile(path, MAX_SUITE_BYTES);
  } catch (error) {
    if (error instanceof FileReadError && error.reason === 'too-large') assertSize(display, MAX_SUITE_BYTES + 1);
    throw new SuiteError([{ message: `cannot read ${display}: ${error instanceof FileReadError ? error.message : 'unreadable'}` }]);
  }
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SuiteError([{ message: `${display} is not UTF-8 text`, hint: 'save the suite as UTF-8' }]);
  }
  return build(source, bytes, display, path, options);
}

/** Parses and validates suite text as if read from `file` (which need not exist). */
export async function parseSuite(source: string, file: string, options: LoadOptions = {}): Promise<Suite> {
  const display = options.displayName ?? file;
  return build(source, Buffer.from(source, 'utf8'), display, resolve(options.cwd ?? process.cwd(), file), options);
}

async function build(source: string, bytes: Buffer, file: string, path: string, options: LoadOptions): Promise<Suite> {
  try {
    const doc = parseYaml(source, file);
    const validator = await suiteValidator(options.types, typesNamedIn(doc.value));
    if (!validator.validate(doc.value)) {
      const context = suiteContext(doc.value, validator.names);
      throw located(describeErrors(validator.validate.errors ?? [], context), doc);
    }
    const raw = doc.value as RawSuite;
    const semantic = checkSemantics({
      raw,
      types: validator.types,
      env: options.env ?? process.env,
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
      lineOf: (at) => doc.locate(at).line,
    });
    if (semantic.problems.length > 0) throw located(semantic.problems, doc);
    return normalize(raw, doc, { file, path, bytes }, semantic.implicitNeeds);
  } catch (error) {
    if (error instanceof SuiteError) throw error;
    // A bug or an input that defeated a guard: still a SuiteError, never a stack trace.
    const reason = error instanceof RangeError ? 'the suite is nested too deeply' : error instanceof Error ? error.message : String(error);
    throw new SuiteError([{ message: `cannot load ${file}: ${reason}` }], source);
  }
}

/** Turns path-located problems into line:column ones. */
function located(problems: PathProblem[], doc: SuiteDocument): SuiteError {
  return new SuiteError(
    problems.map((problem): SuiteProblem => {
      const out: SuiteProblem = { message: problem.message };
      if (problem.hint) out.hint = problem.hint;
      if (problem.unlocated) return out;
      out.location = problem.within ? doc.locateText(problem.path, problem.within.text, problem.within.nth) : doc.locate(problem.path, { key: problem.key === true });
      if (problem.conceal) {
        const columns = doc.valueColumns(problem.path);
        if (columns) out.conceal = columns;
      }
      return out;
    }),
    doc.source,
  );
}

const require = createRequire(import.meta.url);

/**
 * The suite file's SHA-256, computed on first read: node:crypto is required then, since loading it
 * costs `payready validate` (which never reads the digest) a few percent of its time.
 */
function sha256Of(bytes: Buffer): string {
  const crypto = require('node:crypto') as { createHash: typeof createHash };
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

function normalize(raw: RawSuite, doc: SuiteDocument, identity: { file: string; path: string; bytes: Buffer }, implicitNeeds: Map<number, string[]>): Suite {
  const environments: Record<string, EnvironmentSpec> = {};
  for (const [name, spec] of Object.entries(raw.environments)) {
    const provider = embeddedProvider(spec.embedded);
    environments[name] = {
      name,
      embedded: provider !== undefined,
      ...(provider ? { embeddedProvider: provider } : {}),
      sandbox: isSandbox(spec),
      insecure: spec.insecure === true,
      ca: spec.ca === undefined ? [] : typeof spec.ca === 'string' ? [spec.ca] : [...spec.ca],
      fields: environmentFields(spec),
    };
  }
  const names = Object.keys(environments);
  let digest: string | undefined;
  const defaults = raw.defaults ?? {};
  const suite: Suite = {
    file: identity.file,
    path: identity.path,
    dir: dirname(identity.path),
    get sha256(): string {
      digest ??= sha256Of(identity.bytes);
      return digest;
    },
    name: raw.suite,
    title: raw.title,
    environments,
    variables: raw.variables ?? {},
    secrets: raw.secrets ?? {},
    defaultEnvironment: defaults.environment ?? names[0] ?? '',
    allowLive: raw.allowLive === true,
    checks: raw.checks.map((check, index) => normalizeCheck(check, defaults, implicitNeeds.get(index) ?? [], doc, index)),
  };
  if (raw.liveMaxAmount !== undefined) suite.liveMaxAmount = raw.liveMaxAmount;
  if (raw.integration !== undefined) suite.integration = raw.integration;
  return suite;
}

function normalizeCheck(check: RawCheck, defaults: NonNullable<RawSuite['defaults']>, implicit: string[], doc: SuiteDocument, index: number): CheckSpec {
  const capture: Record<string, CaptureSpec> = {};
  for (const [name, spec] of Object.entries(check.capture ?? {})) {
    capture[name] = typeof spec === 'string' ? { from: spec, secret: false } : { from: spec.from, secret: spec.secret === true };
  }
  const spec: CheckSpec = {
    id: check.id,
    type: check.type,
    title: check.title ?? check.id,
    section: check.section,
    severity: check.severity ?? defaults.severity ?? DEFAULT_SEVERITY,
    tags: check.tags ?? [],
    needs: [...new Set([...(check.needs ?? []), ...implicit])],
    with: check.with ?? {},
    capture,
    timeoutMs: parseDuration(check.timeout ?? defaults.timeout ?? DEFAULT_TIMEOUT_MS) ?? DEFAULT_TIMEOUT_MS,
    retries: check.retries ?? defaults.retries ?? 0,
    location: doc.locate(['checks', index]),
  };
  if (check.waiver) spec.waiver = check.waiver;
  if (check.proves) spec.proves = [...check.proves];
  return spec;
}

/** The `type:` values of a parsed suite's checks (whatever they are: the schema judges them). */
function typesNamedIn(value: unknown): unknown[] {
  const checks = value !== null && typeof value === 'object' ? (value as { checks?: unknown }).checks : undefined;
  return Array.isArray(checks) ? checks.map((check: unknown) => (check !== null && typeof check === 'object' ? (check as { type?: unknown }).type : undefined)) : [];
}
