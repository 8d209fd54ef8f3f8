import { API_KEY_ENV, API_KEY_FIELD, API_KEY_PROVIDERS, EMBEDDED_ENV_NAMES, EMBEDDED_UNDECLARED_FIELDS, EMBEDDED_TARGET_FIELDS, embeddedProvider, NUMERIC_TARGET_FIELDS, numberHint, shownValue, wholeNumber } from './embedded.js';
import type { PathProblem } from './ajv-errors.js';
import { lookupPath, NAMESPACES, parseTemplate, type Reference } from './interpolate.js';
import { environmentFields, type RawEnvironment, type RawSuite } from './raw.js';
import { suggestion } from './suggest.js';
import type { ValuePath } from './yaml.js';

/** The environment the references are checked against. */
export interface ChosenEnvironment {
  /** Its key under `environments:`. */
  name: string;
  /** Its raw entry. */
  spec: RawEnvironment;
}

/** What the reference pass found. */
export interface ReferenceFindings {
  /** Unresolvable or malformed references, missing environment variables. */
  problems: PathProblem[];
  /** Per check index: ids it reads captures from, with where the first such reference is. */
  implicitNeeds: Map<number, Map<string, ValuePath>>;
}

/** Where a string sits and who needs it, for messages. */
interface Site {
  /** Path of the string. */
  path: ValuePath;
  /** `check "x"`, `environment "production"`. */
  user: string;
  /** Namespaces allowed here. */
  allowed: readonly string[];
  /** Check index, when the string belongs to a check. */
  check?: number;
}

/**
 * Checks every `${...}` the chosen run would resolve: check parameters and the chosen
 * environment's fields. Each must name something that exists (a variable, a declared secret, a
 * field of the environment, a capture of an existing check) and each environment variable it
 * needs, directly or through a secret, must be set. Captures read become implicit `needs`.
 */
export function checkReferences(raw: RawSuite, env: Record<string, string | undefined>, chosen: ChosenEnvironment | undefined): ReferenceFindings {
  const problems: PathProblem[] = [];
  const implicitNeeds = new Map<number, Map<string, ValuePath>>();
  const variables = raw.variables ?? {};
  const secrets = raw.secrets ?? {};
  const captures = new Map<string, string[]>();
  for (const check of raw.checks) if (!captures.has(check.id)) captures.set(check.id, Object.keys(check.capture ?? {}));
  const provider = embeddedProvider(chosen?.spec.embedded);
  const embedded = provider !== undefined;
  // A dialect that takes an API key also fills ${target.apiKey} and PAYREADY_API_KEY.
  const apiKey = provider !== undefined && API_KEY_PROVIDERS.includes(provider);
  const targetFields = chosen ? [...Object.keys(environmentFields(chosen.spec)), ...(embedded ? [...EMBEDDED_TARGET_FIELDS, ...EMBEDDED_UNDECLARED_FIELDS] : []), ...(apiKey ? [API_KEY_FIELD] : [])] : [];
  const usedSecrets = new Map<string, string>();
  const envIsSet = (name: string): boolean => env[name] !== undefined || (embedded && EMBEDDED_ENV_NAMES.includes(name)) || (apiKey && name === API_KEY_ENV);

  const checkReference = (ref: Reference, site: Site, text: string): PathProblem | undefined => {
    const at = { path: site.path, within: { text: ref.raw, nth: countBefore(text, ref.raw, ref.offset) } };
    const [first = '', ...rest] = ref.path;
    if (!(NAMESPACES as readonly string[]).includes(ref.namespace)) {
      return { ...at, message: `unknown reference namespace "${ref.namespace}" in ${ref.raw}`, hint: suggestion(ref.namespace, NAMESPACES) };
    }
    if (!site.allowed.includes(ref.namespace)) {
      return { ...at, message: `${ref.raw} cannot be used in ${site.user}`, hint: `only ${site.allowed.map((ns) => '${' + ns + '.…}').join(' and ')} are available here` };
    }
    switch (ref.namespace) {
      case 'env':
        if (rest.length > 0) return { ...at, message: `${ref.raw}: an environment variable name has no dots` };
        if (!envIsSet(first)) {
          return { ...at, message: `environment variable ${first} is not set (needed by ${site.user})`, hint: `set ${first} before running, e.g. export ${first}=...` };
        }
        return undefined;
      case 'vars': {
        if (lookupPath(variables, ref.path).found) return undefined;
        const { parent, missing } = deepestExisting(variables, ref.path);
        const known = parent !== null && typeof parent === 'object' && !Array.isArray(parent) ? Object.keys(parent) : [];
        return { ...at, message: `${ref.raw}: variable "${ref.path.join('.')}" is not defined`, hint: suggestion(missing, known, 'defined here') || 'define it under variables:' };
      }
      case 'secrets':
        if (rest.length === 0 && Object.hasOwn(secrets, first)) {
          if (!usedSecrets.has(first)) usedSecrets.set(first, site.user);
          return undefined;
        }
        return {
          ...at,
          message: `${ref.raw}: secret "${ref.path.join('.')}" is not declared`,
          hint: `${didYouMeanOr(first, Object.keys(secrets))}declare it under secrets:, e.g. ${first}: { env: ${envNameFor(first)} }`,
        };
      case 'target':
        if (!chosen) return undefined;
        if (rest.length === 0 && targetFields.includes(first)) return undefined;
        return { ...at, message: `${ref.raw}: environment "${chosen.name}" has no field "${ref.path.join('.')}"`, hint: suggestion(first, targetFields, 'its fields') };
      default: {
        // checks.<id>.<capture>
        const declared = captures.get(first);
        if (!declared) return { ...at, message: `${ref.raw}: no check has id "${first}"`, hint: suggestion(first, [...captures.keys()], 'check ids') };
        const [capture = ''] = rest;
        if (!capture) return { ...at, message: `${ref.raw}: name a capture, e.g. \${checks.${first}.token}`, hint: suggestion('', declared, `"${first}" captures`) };
        if (!declared.includes(capture)) {
          return {
            ...at,
            message: `${ref.raw}: check "${first}" does not capture "${capture}"`,
            hint: declared.length > 0 ? suggestion(capture, declared, `"${first}" captures`) : `add capture: { ${capture}: <path> } to check "${first}"`,
          };
        }
        if (site.check !== undefined) {
          const needs = implicitNeeds.get(site.check) ?? new Map<string, ValuePath>();
          if (!needs.has(first)) needs.set(first, site.path);
          implicitNeeds.set(site.check, needs);
        }
        return undefined;
      }
    }
  };

  const visitString = (text: string, site: Site): void => {
    if (!text.includes('$')) return;
    const parsed = parseTemplate(text);
    if (!parsed.ok) {
      const snippet = text.slice(parsed.offset, parsed.offset + 2);
      problems.push({ path: site.path, within: { text: snippet, nth: countBefore(text, snippet, parsed.offset) }, message: `${parsed.message} in ${site.user}`, hint: parsed.hint });
      return;
    }
    for (const part of parsed.parts) {
      if (!('ref' in part)) continue;
      const problem = checkReference(part.ref, site, text);
      if (problem) problems.push(problem);
    }
  };

  raw.checks.forEach((check, index) => {
    const site = { user: `check "${check.id}"`, allowed: NAMESPACES, check: index };
    walkStrings(check.with ?? {}, ['checks', index, 'with'], (text, path) => visitString(text, { ...site, path }));
  });
  if (chosen) {
    const site = { user: `environment "${chosen.name}"`, allowed: ['env', 'vars'] };
    walkStrings(chosen.spec, ['environments', chosen.name], (text, path) => visitString(text, { ...site, path }));
    problems.push(...numericFieldProblems(chosen, env));
  }
  // A secret read from an unset environment variable fails the run as surely as ${env.X} does.
  for (const [name, user] of usedSecrets) {
    const spec = secrets[name];
    if (spec && 'env' in spec && !envIsSet(spec.env)) {
      problems.push({
        path: ['secrets', name, 'env'],
        message: `environment variable ${spec.env} is not set (needed by secret "${name}", used by ${user})`,
        hint: `set ${spec.env} before running, e.g. export ${spec.env}=...`,
      });
    }
  }
  return { problems, implicitNeeds };
}

/**
 * A number field (a port, a cap) written as text, or read from one environment variable, must be
 * a whole number. Other references are left to run time, where the value is known.
 */
function numericFieldProblems(chosen: ChosenEnvironment, env: Record<string, string | undefined>): PathProblem[] {
  const problems: PathProblem[] = [];
  for (const field of NUMERIC_TARGET_FIELDS) {
    const written = chosen.spec[field];
    if (typeof written !== 'string') continue;
    const parsed = parseTemplate(written);
    if (!parsed.ok) continue;
    const [only] = parsed.parts;
    let value: string | undefined;
    let from = '';
    if (parsed.parts.length === 1 && only && 'text' in only) value = only.text;
    else if (parsed.parts.length === 1 && only && 'ref' in only && only.ref.namespace === 'env' && only.ref.path.length === 1) {
      value = env[only.ref.path[0] ?? ''];
      from = ` (from ${only.ref.raw})`;
    }
    if (value === undefined || wholeNumber(value) !== undefined) continue;
    problems.push({ path: ['environments', chosen.name, field], message: `${field} of environment "${chosen.name}" is ${shownValue(value)}${from}, not a whole number`, hint: numberHint(field) });
  }
  return problems;
}

/** Calls `visit` for every string inside `value` (not keys), with its path. */
export function walkStrings(value: unknown, path: ValuePath, visit: (text: string, path: ValuePath) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, index) => walkStrings(item, [...path, index], visit));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, [...path, key], visit);
  }
}

function countBefore(text: string, snippet: string, offset: number): number {
  let count = 0;
  for (let index = text.indexOf(snippet); index !== -1 && index < offset; index = text.indexOf(snippet, index + snippet.length)) count++;
  return count;
}

function deepestExisting(root: unknown, path: readonly string[]): { parent: unknown; missing: string } {
  let parent = root;
  for (const segment of path) {
    const next = lookupPath(parent, [segment]);
    if (!next.found) return { parent, missing: segment };
    parent = next.value;
  }
  return { parent, missing: path[path.length - 1] ?? '' };
}

function didYouMeanOr(word: string, candidates: readonly string[]): string {
  const hint = suggestion(word, candidates, 'declared');
  return hint.startsWith('did you mean') ? `${hint.replace(/\? .*$/, '?')} or ` : '';
}

function envNameFor(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}
