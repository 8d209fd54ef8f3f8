/**
 * `${...}` references: one parser shared by the loader's static checks and the run-time
 * interpolation, so both agree on what a reference is.
 *
 *   ${env.NAME}  ${vars.a.b}  ${secrets.name}  ${target.field}  ${checks.<id>.<capture>}
 *
 * `$${` is a literal `${`. A string that is exactly one reference keeps the referenced value's
 * type (a number stays a number); otherwise the parts are joined as text.
 */

/** The namespaces a reference may start with. */
export const NAMESPACES = ['env', 'vars', 'secrets', 'target', 'checks'] as const;

/** A reference namespace. */
export type Namespace = (typeof NAMESPACES)[number];

/** One `${...}` found in a string. */
export interface Reference {
  /** The reference as written, `${vars.currency}`. */
  raw: string;
  /** First segment: env, vars, secrets, target or checks (anything else is reported, not dropped). */
  namespace: string;
  /** The remaining dot-separated segments, e.g. `["oauth-token", "token"]`. */
  path: string[];
  /** Index of the `$` in the string, so the loader can point at the reference itself. */
  offset: number;
}

/** A piece of a string: literal text or a reference. */
export type TemplatePart =
  | {
      /** Literal text (`$${` already turned into `${`). */
      text: string;
    }
  | {
      /** A reference to resolve. */
      ref: Reference;
    };

/** Result of parsing one string. */
export type ParsedTemplate =
  | {
      /** Well-formed. */
      ok: true;
      /** Text and references in order; never empty. */
      parts: TemplatePart[];
    }
  | {
      /** Malformed. */
      ok: false;
      /** What is wrong, e.g. `unterminated reference`. */
      message: string;
      /** Index of the offending `${` in the string. */
      offset: number;
      /** What to write instead. */
      hint: string;
    };

// A segment may hold dashes: check ids are kebab-case. No whitespace, no nesting.
const REFERENCE_BODY = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)+$/;

/** Values the run-time lookup reads references from. */
export interface Scope {
  /** Process environment, for `${env.NAME}`. */
  env: Record<string, string | undefined>;
  /** The suite's `variables:`, for `${vars.x}`. */
  vars: Record<string, unknown>;
  /** Resolved secret values, for `${secrets.x}`. */
  secrets: Record<string, string>;
  /** The chosen environment's fields, for `${target.x}`. */
  target: Record<string, unknown>;
  /** Values captured by finished checks, by check id then capture name. */
  checks: Record<string, Record<string, unknown>>;
}

/** A reference that cannot be resolved at run time; the message names the reference. */
export class InterpolationError extends Error {
  override readonly name = 'InterpolationError';
  constructor(
    message: string,
    /** The reference as written, e.g. `${vars.currency}`. */
    readonly reference: string,
  ) {
    super(message);
  }
}

/** True when `text` may hold a reference (cheap pre-check before parsing). */
export function mayHoldReference(text: string): boolean {
  return text.includes('${');
}

/** Splits a string into text and references, or says what is malformed and where. */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar === -1) {
      literal += text.slice(index);
      break;
    }
    literal += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      literal += '${';
      index = dollar + 3;
      continue;
    }
    if (!text.startsWith('${', dollar)) {
      literal += '$';
      index = dollar + 1;
      continue;
    }
    const close = text.indexOf('}', dollar + 2);
    if (close === -1) {
      return { ok: false, offset: dollar, message: 'unterminated reference: "${" without a closing "}"', hint: 'write $${ for a literal "${"' };
    }
    const raw = text.slice(dollar, close + 1);
    const body = raw.slice(2, -1);
    if (!REFERENCE_BODY.test(body)) {
      return {
        ok: false,
        offset: dollar,
        message: `malformed reference ${raw}`,
        hint: 'write ${namespace.name}, e.g. ${vars.currency} or ${checks.oauth-token.token}; $${ for a literal "${"',
      };
    }
    if (literal) parts.push({ text: literal });
    literal = '';
    const [namespace = '', ...path] = body.split('.');
    parts.push({ ref: { raw, namespace, path, offset: dollar } });
    index = close + 1;
  }
  if (literal || parts.length === 0) parts.push({ text: literal });
  return { ok: true, parts };
}

/** Every reference in a string, skipping malformed ones (the loader reports those separately). */
export function referencesIn(text: string): Reference[] {
  if (!mayHoldReference(text)) return [];
  const parsed = parseTemplate(text);
  if (!parsed.ok) return [];
  return parsed.parts.flatMap((part) => ('ref' in part ? [part.ref] : []));
}

/** Own-property lookup along a path: never reaches prototypes (`${vars.constructor}` is not defined). */
export function lookupPath(root: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) {
      return { found: false, value: undefined };
    }
    current = (current as Record<string, unknown>)[segment];
  }
  return { found: current !== undefined, value: current };
}

/** The value a reference points at in `scope`, or an InterpolationError naming it. */
export function resolveReference(ref: Reference, scope: Scope): unknown {
  const [first = '', ...rest] = ref.path;
  const fail = (why: string): never => {
    throw new InterpolationError(`cannot resolve ${ref.raw}: ${why}`, ref.raw);
  };
  switch (ref.namespace) {
    case 'env': {
      const value = rest.length === 0 && Object.hasOwn(scope.env, first) ? scope.env[first] : undefined;
      return value ?? fail(`environment variable ${first} is not set`);
    }
    case 'secrets': {
      const value = rest.length === 0 && Object.hasOwn(scope.secrets, first) ? scope.secrets[first] : undefined;
      return value ?? fail(`secret "${first}" is not available`);
    }
    case 'vars':
    case 'target': {
      const { found, value } = lookupPath(ref.namespace === 'vars' ? scope.vars : scope.target, ref.path);
      return found ? value : fail(`${ref.namespace === 'vars' ? 'variable' : 'target field'} "${ref.path.join('.')}" is not defined`);
    }
    case 'checks': {
      if (!Object.hasOwn(scope.checks, first)) return fail(`check "${first}" has captured nothing (it has not run, or did not pass)`);
      const { found, value } = lookupPath(scope.checks[first], rest);
      return found ? value : fail(`check "${first}" did not capture "${rest.join('.')}"`);
    }
    default:
      return fail(`unknown namespace "${ref.namespace}"`);
  }
}

// Past this depth the value is not a suite parameter but an attack or a bug.
const MAX_DEPTH = 256;

/**
 * A deep copy of `value` with every `${...}` in its strings resolved from `scope`. Object keys are
 * not interpolated. Throws InterpolationError when a reference is malformed or missing.
 */
export function interpolate(value: unknown, scope: Scope): unknown {
  return copy(value, scope, 0);
}

function copy(value: unknown, scope: Scope, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new InterpolationError('value nested too deeply to interpolate', '');
  if (typeof value === 'string') return interpolateString(value, scope);
  if (Array.isArray(value)) return value.map((item) => copy(item, scope, depth + 1));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setOwn(out, key, copy(item, scope, depth + 1));
  return out;
}

function interpolateString(text: string, scope: Scope): unknown {
  if (!text.includes('$')) return text;
  const parsed = parseTemplate(text);
  if (!parsed.ok) throw new InterpolationError(`${parsed.message} in "${text}"`, text.slice(parsed.offset));
  const [only] = parsed.parts;
  if (parsed.parts.length === 1 && only && 'ref' in only) {
    // A whole-string reference keeps its type; copy so later mutation cannot reach the scope.
    return structuredCopy(resolveReference(only.ref, scope));
  }
  return parsed.parts.map((part) => ('ref' in part ? asText(resolveReference(part.ref, scope)) : part.text)).join('');
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function structuredCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(structuredCopy);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) setOwn(out, key, structuredCopy(item));
  return out;
}

/** Assigns an own property even for `__proto__`, which plain assignment would treat as the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
