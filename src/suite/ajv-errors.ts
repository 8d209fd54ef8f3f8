import type { ErrorObject } from 'ajv/dist/2020.js';
import { HOLDS_REFERENCE, PATTERN_NAMES, SINGLE_REFERENCE } from '../model/patterns.js';
import { environmentKeyHint } from './environment-keys.js';
import { suggestion } from './suggest.js';
import { plural } from '../text.js';
import type { ValuePath } from './yaml.js';

/** A problem located by a path into the suite value; the loader turns the path into line:column. */
export interface PathProblem {
  /** Where the problem is. */
  path: ValuePath;
  /** Point at the mapping key at `path` rather than at its value (unknown keys, bad names). */
  key?: boolean;
  /** The sentence. */
  message: string;
  /** What to write instead. */
  hint?: string;
  /** The value at `path` is a literal credential: mask it in the code frame. */
  conceal?: boolean;
  /** About the run rather than a place in the file (e.g. an unknown `--env`): shown without a frame. */
  unlocated?: boolean;
  /** Point inside the string at `path`: at the `nth` occurrence (0-based) of `text`, e.g. a reference. */
  within?: { text: string; nth: number };
}

/** Where a path is, in words a suite author recognises. */
export interface Place {
  /** The object the path belongs to: `check "oauth-token"`, `environment "production"`. */
  owner?: string;
  /** The field inside the owner, dotted: `with.expect.status`, `timeout`. */
  field: string;
  /** When the path is at or inside a `with:` block: its check type. */
  typeName?: string;
  /** Length of the path of that `with:` block (so its direct keys are "parameters"). */
  paramsDepth?: number;
}

/** What the rewriter needs to know about the document the errors are about. */
export interface ErrorContext {
  /** Names a path. */
  describe(path: ValuePath): Place;
  /** Registered check type names, offered when `type:` is unknown. */
  typeNames: readonly string[];
}

/** Dotted form of a path: `with.ports[0].port`. */
export function dotted(path: ValuePath): string {
  return path.reduce<string>((out, segment) => (typeof segment === 'number' ? `${out}[${segment}]` : out ? `${out}.${segment}` : segment), '');
}

/** Context for errors about a whole suite value. */
export function suiteContext(root: unknown, typeNames: readonly string[]): ErrorContext {
  const checks = isRecord(root) && Array.isArray(root.checks) ? (root.checks as unknown[]) : [];
  return {
    typeNames,
    describe(path) {
      const [head, index, ...rest] = path;
      if (head === 'checks' && typeof index === 'number') {
        const check = checks[index];
        const id = isRecord(check) && typeof check.id === 'string' ? check.id : undefined;
        const owner = id ? `check "${id}"` : `check #${index + 1}`;
        const type = isRecord(check) && typeof check.type === 'string' ? check.type : undefined;
        if (rest[0] === 'with' && type) return { owner, field: dotted(rest), typeName: type, paramsDepth: 3 };
        return { owner, field: dotted(rest) };
      }
      if ((head === 'environments' || head === 'secrets') && index !== undefined) {
        return { owner: `${head === 'secrets' ? 'secret' : 'environment'} "${index}"`, field: dotted(rest) };
      }
      return { field: dotted(path) };
    },
  };
}

/** Context for errors about one check's resolved parameters (`validateParams`). */
export function paramsContext(typeName: string): ErrorContext {
  return {
    typeNames: [],
    describe: (path) => ({ field: dotted(['with', ...path]), typeName, paramsDepth: 0 }),
  };
}

/** Problems as one line each, for a run-time error summary. */
export function renderParamsProblems(problems: PathProblem[]): string {
  return problems.map((problem) => `${problem.message}${problem.hint ? ` (${problem.hint})` : ''}`).join('; ');
}

// Keywords that only say "a branch failed"; the branch's own errors say why.
const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'propertyNames', '$ref']);
// When several errors compete for one value, the most specific wins.
const PRIORITY = ['enum', 'const', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength'];

/**
 * Rewrites ajv's errors (allErrors, verbose) into sentences: grouped by path, `if`/`anyOf` wrappers
 * and the `${...}`-accepting branches dropped, one message per value, keys pointed at for unknown
 * or misnamed keys.
 */
export function describeErrors(errors: readonly ErrorObject[], context: ErrorContext): PathProblem[] {
  const relevant = errors.filter((error) => !WRAPPERS.has(error.keyword) && !isReferenceBranch(error));
  const groups = new Map<string, { path: ValuePath; errors: ErrorObject[] }>();
  for (const error of relevant) {
    const path = parsePointer(error.instancePath);
    const group = groups.get(error.instancePath) ?? { path, errors: [] };
    group.errors.push(error);
    groups.set(error.instancePath, group);
  }
  const pointers = [...groups.keys()].sort();
  const problems: PathProblem[] = [];
  for (const [pointer, group] of groups) {
    // A deeper error means some branch accepted this value's shape: shape errors here are noise.
    for (const problem of describeGroup(group.path, group.errors, context, hasDescendant(pointers, pointer))) problems.push(problem);
  }
  // A failed anyOf/oneOf with no surviving branch error still deserves a sentence.
  const described = new Set(pointers);
  for (const error of errors) {
    const pointer = error.instancePath;
    if ((error.keyword === 'anyOf' || error.keyword === 'oneOf') && !described.has(pointer) && !hasDescendant(pointers, pointer)) {
      const path = parsePointer(pointer);
      const ambiguous = error.keyword === 'oneOf' && Array.isArray(error.params.passingSchemas);
      problems.push({ path, message: `${placeText(context.describe(path))} ${ambiguous ? 'matches more than one allowed form' : 'does not match any allowed form'}` });
      described.add(pointer);
    }
  }
  return problems;
}

/** Whether a sorted list of JSON pointers holds one below `pointer` (binary search: inputs can be huge). */
function hasDescendant(sorted: readonly string[], pointer: string): boolean {
  const prefix = `${pointer}/`;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < prefix) low = middle + 1;
    else high = middle;
  }
  return sorted[low]?.startsWith(prefix) === true;
}

function describeGroup(path: ValuePath, errors: ErrorObject[], context: ErrorContext, deeper: boolean): PathProblem[] {
  const place = context.describe(path);
  const problems: PathProblem[] = [];
  const missing: string[] = [];
  const alternatives: string[] = [];
  for (const error of errors) {
    if (error.propertyName !== undefined) problems.push(badKeyName(path, error, place));
    else if (error.keyword === 'additionalProperties') problems.push(unknownKey(path, error, place));
    // `oneOf: [{ required: [a] }, { required: [b] }]`: any one of them will do.
    else if (error.keyword === 'required' && /\/(?:oneOf|anyOf)\/\d+\/required$/.test(error.schemaPath)) alternatives.push(String(error.params.missingProperty));
    else if (error.keyword === 'required') missing.push(String(error.params.missingProperty));
  }
  if (missing.length > 0) problems.push(missingKeys(path, [...new Set(missing)], place));
  if (alternatives.length > 1 && missing.length === 0) problems.push(missingKeys(path, [...new Set(alternatives)], place, true));
  else if (alternatives.length === 1 && missing.length === 0) problems.push(missingKeys(path, alternatives, place));
  const rest = errors.filter((error) => error.propertyName === undefined && error.keyword !== 'additionalProperties' && error.keyword !== 'required');
  if (rest.length === 0 || (deeper && rest.every((error) => error.keyword === 'type' || error.keyword === 'enum' || error.keyword === 'const'))) {
    return problems;
  }
  // A value of the wrong type also fails that node's enum or pattern: the type is the real cause.
  const mistyped = new Set(rest.filter((error) => error.keyword === 'type').map((error) => error.parentSchema));
  const candidates = rest.filter((error) => error.keyword !== 'type' && !mistyped.has(error.parentSchema));
  const best = PRIORITY.map((keyword) => candidates.find((error) => error.keyword === keyword)).find(Boolean) ?? candidates[0];
  problems.push(best ? valueProblem(path, best, place, context) : wrongType(path, rest.filter((error) => error.keyword === 'type'), place));
  return problems;
}

/** Errors from the `${...}` branches added by acceptReferences: the original branch's error says more. */
function isReferenceBranch(error: ErrorObject): boolean {
  const pattern = error.parentSchema?.pattern;
  return (error.keyword === 'pattern' || error.keyword === 'type') && (pattern === SINGLE_REFERENCE || pattern === HOLDS_REFERENCE);
}

function unknownKey(path: ValuePath, error: ErrorObject, place: Place): PathProblem {
  const key = String(error.params.additionalProperty);
  const allowed = Object.keys(asRecord(error.parentSchema?.properties));
  const hint = allowed.length > 0 ? suggestion(key, allowed) : 'no keys are allowed here';
  if (place.typeName !== undefined && path.length === place.paramsDepth) {
    return { path: [...path, key], key: true, message: `unknown parameter "${key}" for check type "${place.typeName}"`, hint };
  }
  if (path[0] === 'secrets' && path.length === 2) {
    return {
      path: [...path, key],
      key: true,
      conceal: true,
      message: `unknown key "${key}" in ${place.owner ?? 'secret'}`,
      hint: 'a secret is { env: NAME } or { file: PATH }: its value never goes in the suite',
    };
  }
  if (path[0] === 'environments' && path.length === 2) {
    return { path: [...path, key], key: true, message: `unknown key "${key}" in ${place.owner ?? 'environment'}`, hint: environmentKeyHint(key) };
  }
  return { path: [...path, key], key: true, message: `unknown key "${key}"${inPlace(place)}`, hint };
}

function missingKeys(path: ValuePath, keys: string[], place: Place, oneOf = false): PathProblem {
  const list = keys.map((key) => `"${key}"`).join(oneOf ? ' or ' : ', ');
  const plural = keys.length > 1 && !oneOf ? 's' : '';
  const what = oneOf ? 'one of the' : 'required';
  if (place.typeName !== undefined && path.length === place.paramsDepth) {
    return { path, key: true, message: `missing ${what} parameter${oneOf ? 's' : plural} ${list} for check type "${place.typeName}"` };
  }
  return { path, key: true, message: `missing ${what} key${oneOf ? 's' : plural} ${list}${inPlace(place)}` };
}

function badKeyName(path: ValuePath, error: ErrorObject, place: Place): PathProblem {
  const name = String(error.propertyName);
  const pattern = typeof error.params.pattern === 'string' ? error.params.pattern : '';
  const expected = PATTERN_NAMES[pattern] ?? error.message ?? 'a different name';
  return { path: [...path, name], key: true, message: `invalid name "${name}"${inPlace(place)}: use ${expected}` };
}

function wrongType(path: ValuePath, errors: ErrorObject[], place: Place): PathProblem {
  const expected = [...new Set(errors.flatMap((error) => String(error.params.type).split(',')))];
  const data: unknown = errors[0]?.data;
  if (path.length === 0) return { path, message: `a suite file must be a mapping (suite, title, environments, checks), got ${show(data)}` };
  if (path[0] === 'secrets' && path.length === 2) {
    const name = String(path[1]);
    return {
      path,
      conceal: true,
      message: `secret "${name}" is written as a literal value`,
      hint: `secrets come only from the environment or a file: write ${name}: { env: NAME } or ${name}: { file: PATH }`,
    };
  }
  const secret = errors.some((error) => error.parentSchema?.['x-secret'] === true);
  const got = secret ? kindOf(data) : show(data);
  // YAML reads 1.1 and yes as a number and a boolean; quoting is the fix only where text is all that fits.
  const hint = expected.length === 1 && expected[0] === 'string' && (typeof data === 'number' || typeof data === 'boolean') ? `quote it: "${String(data)}"` : undefined;
  return { path, message: `wrong type for ${placeText(place)}: expected ${typeList(expected)}, got ${got}`, ...(hint ? { hint } : {}) };
}

function valueProblem(path: ValuePath, error: ErrorObject, place: Place, context: ErrorContext): PathProblem {
  const data: unknown = error.data;
  const where = placeText(place);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum': {
      const allowed = (Array.isArray(params.allowedValues) ? params.allowedValues : []).map(String);
      if (path[0] === 'checks' && path.length === 3 && path[2] === 'type') {
        return { path, message: `unknown check type ${show(data)}`, hint: suggestion(String(data), context.typeNames, 'available types') };
      }
      if (data === null || typeof data === 'object') return { path, message: `${where} must be one of the allowed values, got ${show(data)}`, hint: suggestion('', allowed) };
      return { path, message: `invalid value ${show(data)} for ${where}`, hint: suggestion(String(data), allowed) };
    }
    case 'const':
      return { path, message: `invalid value ${show(data)} for ${where}: expected ${JSON.stringify(params.allowedValue)}` };
    case 'pattern': {
      const pattern = String(params.pattern);
      return { path, message: `invalid value ${show(data)} for ${where}: expected ${PATTERN_NAMES[pattern] ?? `text matching /${pattern}/`}` };
    }
    case 'format':
      return { path, message: `invalid value ${show(data)} for ${where}: expected ${FORMAT_NAMES[String(params.format)] ?? `a ${String(params.format)}`}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `${where} must be ${String(params.comparison)} ${String(params.limit)}, got ${show(data)}` };
    case 'minLength':
      return { path, message: Number(params.limit) === 1 ? `${where} must not be empty` : `${where} must be at least ${String(params.limit)} characters long` };
    case 'maxLength':
      return { path, message: `${where} must be at most ${String(params.limit)} characters long` };
    case 'minItems':
      return { path, message: `${where} must list at least ${plural(Number(params.limit), 'item')}` };
    case 'maxItems':
      return { path, message: `${where} must list at most ${plural(Number(params.limit), 'item')}` };
    case 'minProperties':
      if (path.length === 1 && path[0] === 'environments') return { path, key: true, message: 'declare at least one environment', hint: 'e.g. sandbox: { embedded: true }' };
      if (path[0] === 'secrets') return { path, message: `${where} is empty`, hint: 'write { env: NAME } or { file: PATH }' };
      return { path, message: `${where} must have at least ${plural(Number(params.limit), 'key')}` };
    case 'maxProperties':
      if (path[0] === 'secrets') return { path, message: `${where} names more than one source`, hint: 'keep either env or file' };
      return { path, message: `${where} must have at most ${plural(Number(params.limit), 'key')}` };
    case 'uniqueItems': {
      const later = Math.max(Number(params.i), Number(params.j));
      const item: unknown = Array.isArray(data) ? data[later] : undefined;
      return { path: [...path, later], message: `${where} lists ${show(item)} more than once` };
    }
    case 'false schema':
    case 'not':
      return { path, message: `${where} is not allowed here` };
    default:
      return { path, message: `${where}: ${error.message ?? error.keyword}` };
  }
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date and time (RFC 3339)',
  uri: 'an absolute URL',
  'uri-reference': 'a URL or a path',
  email: 'an e-mail address',
  hostname: 'a host name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  regex: 'a regular expression',
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'nothing',
};

function typeList(types: string[]): string {
  // "true or false" reads well alone, not inside a list of alternatives.
  const names = types.map((type) => (type === 'boolean' && types.length > 1 ? 'a boolean' : (TYPE_NAMES[type] ?? type)));
  return names.length <= 1 ? (names[0] ?? 'something else') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** A value as it may be quoted in a message: short strings in quotes, collections by kind. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return kindOf(value);
}

/** A value's kind without its content (for values that may be credentials). */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return TYPE_NAMES[typeof value] ?? typeof value;
}

function placeText(place: Place): string {
  if (place.field && place.owner) return `${place.field} in ${place.owner}`;
  return place.owner ?? (place.field || 'the suite');
}

function inPlace(place: Place): string {
  return place.field || place.owner ? ` in ${placeText(place)}` : '';
}

function parsePointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}
