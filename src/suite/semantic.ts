import type { CheckMeta } from '../checks/types.js';
import type { PathProblem } from './ajv-errors.js';
import { parseDuration } from '../model/duration.js';
import { checkGraph } from './graph.js';
import { isSandbox, type RawEnvironment, type RawSuite } from './raw.js';
import { CUSTOM_FIELDS_KEY, ENVIRONMENT_KEYS } from './environment-keys.js';
import { EMBEDDED_TARGET_FIELDS } from './embedded.js';
import { checkReferences, type ChosenEnvironment } from './references.js';
import { MAX_TIMEOUT_MS } from './schema-build.js';
import { GUIDELINE_ITEMS } from '../guidelines.js';
import { annotatedParamPaths, checkLiteralSecrets } from './secrets.js';
import { suggestion } from './suggest.js';
import type { ValuePath } from './yaml.js';

/** Inputs of the checks that need more than the schema. */
export interface SemanticInput {
  /** The schema-valid suite. */
  raw: RawSuite;
  /** Check types by name. */
  types: ReadonlyMap<string, CheckMeta>;
  /** Environment variables. */
  env: Record<string, string | undefined>;
  /** `--env`, when given. */
  environment?: string;
  /** Line of a path (for "first defined on line N"). */
  lineOf(path: ValuePath): number;
}

/** What the semantic pass found. */
export interface SemanticResult {
  /** Every problem. */
  problems: PathProblem[];
  /** Name of the environment the references were checked against. */
  environment: string;
  /** Per check index: ids whose captures it reads (its implicit needs). */
  implicitNeeds: Map<number, string[]>;
}

/**
 * Everything the schema cannot say: ids and dependencies, references and the environment
 * variables behind them, literal credentials, money-moving checks on live targets, durations.
 */
export function checkSemantics(input: SemanticInput): SemanticResult {
  const { raw, types } = input;
  const problems: PathProblem[] = [];
  const names = Object.keys(raw.environments);
  const defaultName = raw.defaults?.environment;
  if (defaultName !== undefined && !Object.hasOwn(raw.environments, defaultName)) {
    problems.push({ path: ['defaults', 'environment'], message: `default environment "${defaultName}" is not declared under environments:`, hint: suggestion(defaultName, names, 'environments') });
  }
  const environment = input.environment ?? (defaultName !== undefined && Object.hasOwn(raw.environments, defaultName) ? defaultName : names[0]) ?? '';
  let chosen: ChosenEnvironment | undefined;
  if (Object.hasOwn(raw.environments, environment)) chosen = { name: environment, spec: raw.environments[environment] ?? {} };
  else if (input.environment !== undefined) {
    problems.push({ path: [], unlocated: true, message: `the suite has no environment "${input.environment}"`, hint: suggestion(input.environment, names, 'environments in this suite') });
  }

  for (const [name, spec] of Object.entries(raw.environments)) for (const problem of checkCustomFields(name, spec)) problems.push(problem);
  const references = checkReferences(raw, input.env, chosen);
  // Appended in loops, not spread: hostile suites produce more problems than a call has arguments.
  for (const found of [references.problems, checkGraph(raw.checks, references.implicitNeeds, input.lineOf), checkLiteralSecrets(raw, types), checkDurations(raw)]) {
    for (const problem of found) problems.push(problem);
  }

  const ids = raw.checks.map((check) => check.id);
  raw.checks.forEach((check, index) => {
    const type = types.get(check.type);
    // The guard is decided for the environment this run would use (--env, else the default), the
    // one `run` validates against before anything is sent; `validate --env NAME` checks another.
    const live = chosen && !isSandbox(chosen.spec) && raw.allowLive !== true ? chosen : undefined;
    if (type?.movesMoney && live) {
      problems.push({
        path: ['checks', index, 'type'],
        message: `check "${check.id}" moves money, and environment "${live.name}" is not a sandbox`,
        hint: 'run it against a sandbox environment (--env <sandbox>), or write "allowLive: true" at the top of the suite (and set liveMaxAmount) to move real money',
      });
    } else if (type?.writes && live) {
      const write = type.writes(check.with ?? {})[0];
      if (write) {
        problems.push({
          path: check.with && Object.hasOwn(check.with, write.param) ? ['checks', index, 'with', write.param] : ['checks', index, 'type'],
          message: `check "${check.id}" (${check.type}) would send a write request, ${write.method} ${write.url}, to environment "${live.name}", which is not a sandbox`,
          hint: `a write can move money on a live target: mark "${live.name}" "sandbox: true" if it is one, run against a sandbox (--env <sandbox>), use GET, or write "allowLive: true" at the top of the suite to send writes to a live target`,
        });
      }
    }
    if (type && check.proves) for (const problem of checkProves(check.proves, index, type)) problems.push(problem);
    if (type?.values) for (const problem of checkCaptures(check.capture ?? {}, index, check.type, Object.keys(type.values))) problems.push(problem);
    if (type && check.with) for (const problem of checkIdParams(type, check.with, index, ids)) problems.push(problem);
  });

  const implicitNeeds = new Map<number, string[]>();
  for (const [index, needs] of references.implicitNeeds) implicitNeeds.set(index, [...needs.keys()]);
  return { problems, environment, implicitNeeds };
}

function checkDurations(raw: RawSuite): PathProblem[] {
  const problems: PathProblem[] = [];
  const check = (value: number | string | undefined, path: ValuePath): void => {
    if (value === undefined) return;
    const ms = parseDuration(value);
    if (ms === undefined || ms < 1 || ms > MAX_TIMEOUT_MS) {
      problems.push({ path, message: `invalid duration ${JSON.stringify(value)}: expected between 1ms and 24 hours, e.g. "500ms", "10s" or "2m"` });
    }
  };
  check(raw.defaults?.timeout, ['defaults', 'timeout']);
  raw.checks.forEach((entry, index) => check(entry.timeout, ['checks', index, 'timeout']));
  return problems;
}

/** Parameters annotated `x-check-id` (e.g. a KPI's `exclude:`) must name checks of the suite. */
function checkIdParams(type: CheckMeta, params: Record<string, unknown>, index: number, ids: readonly string[]): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const relative of annotatedParamPaths(type.schema, params, 'x-check-id')) {
    let value: unknown = params;
    for (const segment of relative) value = value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[segment] : undefined;
    if (typeof value !== 'string' || ids.includes(value) || value.includes('${')) continue;
    problems.push({ path: ['checks', index, 'with', ...relative], message: `no check has id "${value}"`, hint: suggestion(value, ids, 'check ids') });
  }
  return problems;
}

/** A capture must read a value its check type produces (`body.id` needs a `body` value). */
function checkCaptures(capture: Record<string, string | { from: string }>, index: number, typeName: string, values: string[]): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const [name, spec] of Object.entries(capture)) {
    const from = typeof spec === 'string' ? spec : spec.from;
    const head = from.split(/[.[]/, 1)[0] ?? '';
    if (values.includes(head)) continue;
    const path: ValuePath = typeof spec === 'string' ? ['checks', index, 'capture', name] : ['checks', index, 'capture', name, 'from'];
    problems.push({ path, message: `capture "${name}" reads "${from}", but check type "${typeName}" has no value "${head}"`, hint: suggestion(head, values, 'its values') });
  }
  return problems;
}

/** A check proves only what its type can evidence: a `port` check cannot claim bandwidth or agreements. */
function checkProves(proves: readonly string[], index: number, type: CheckMeta): PathProblem[] {
  const problems: PathProblem[] = [];
  proves.forEach((id, position) => {
    if (type.items.includes(id)) return;
    const text = GUIDELINE_ITEMS.find((item) => item.id === id)?.text;
    problems.push({
      path: ['checks', index, 'proves', position],
      message: `check type "${type.name}" cannot evidence guideline item ${id}${text ? ` (${text})` : ''}`,
      hint: `"${type.name}" can evidence ${type.items.length > 0 ? type.items.join(', ') : 'no item'}; prove ${id} with a check of a type that can (payready checks lists them)`,
    });
  });
  return problems;
}

/** A name under `fields:` must not be a known key: `${target.host}` would have two meanings. */
function checkCustomFields(name: string, environment: RawEnvironment): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const key of Object.keys(environment.fields ?? {})) {
    if (!ENVIRONMENT_KEYS.includes(key) && !EMBEDDED_TARGET_FIELDS.includes(key)) continue;
    problems.push({
      path: ['environments', name, CUSTOM_FIELDS_KEY, key],
      key: true,
      message: `"${key}" under ${CUSTOM_FIELDS_KEY}: in environment "${name}" is a name payready gives a meaning`,
      // caFile is what the embedded sandbox fills; a suite names its CA files with ca:.
      hint: key === 'caFile' ? 'name CA files with ca: in the environment (a file or a list)' : `write ${key}: directly in the environment; ${CUSTOM_FIELDS_KEY}: holds only your own names`,
    });
  }
  return problems;
}
