import type { CheckType, JsonSchema } from '../checks/types.js';
import { dotted, kindOf, type PathProblem } from './ajv-errors.js';
import { parseTemplate, referencesIn } from './interpolate.js';
import type { RawSuite } from './raw.js';
import type { ValuePath } from './yaml.js';

/** Request headers that carry credentials: a literal value in one is a leaked secret. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie']);

/**
 * Finds credentials written into the suite: parameters whose schema says `x-secret: true` must
 * be exactly one `${secrets.x}`, `${env.X}` or `${checks.<id>.<capture>}` of a capture marked
 * `secret: true` (a token obtained earlier in the run), and sensitive request headers must hold a
 * reference rather than a literal. (Literal `secrets:` entries are caught by the schema.)
 */
export function checkLiteralSecrets(raw: RawSuite, types: ReadonlyMap<string, CheckType>): PathProblem[] {
  const problems: PathProblem[] = [];
  const secretCaptures = new Set<string>();
  for (const check of raw.checks) {
    for (const [name, capture] of Object.entries(check.capture ?? {})) if (typeof capture === 'object' && capture.secret === true) secretCaptures.add(`${check.id}.${name}`);
  }
  raw.checks.forEach((check, index) => {
    const params = check.with;
    if (!params) return;
    const base: ValuePath = ['checks', index, 'with'];
    const type = types.get(check.type);
    if (type) {
      for (const relative of secretParamPaths(type.schema, params)) {
        const value = valueAt(params, relative);
        const problem = secretParamProblem(value, `parameter "${dotted(relative)}" of check "${check.id}"`, String(relative[relative.length - 1] ?? 'secret'), secretCaptures);
        if (problem) problems.push({ path: [...base, ...relative], ...problem });
      }
    }
    walkHeaders(params, [], (name, value, relative) => {
      if (!SENSITIVE_HEADERS.has(name.toLowerCase()) || typeof value !== 'string' || referencesIn(value).length > 0) return;
      const example = name.toLowerCase().includes('authorization') ? `"Bearer \${secrets.apiToken}"` : '"${secrets.apiKey}"';
      problems.push({
        path: [...base, ...relative],
        conceal: true,
        message: `header "${name}" of check "${check.id}" holds a literal credential`,
        hint: `write ${name}: ${example} and declare the secret under secrets: with { env: NAME } or { file: PATH }`,
      });
    });
  });
  return problems;
}

function secretParamProblem(value: unknown, what: string, leaf: string, secretCaptures: ReadonlySet<string>): Omit<PathProblem, 'path'> | undefined {
  if (typeof value === 'string') {
    const parsed = parseTemplate(value);
    const [only] = parsed.ok ? parsed.parts : [];
    if (parsed.ok && parsed.parts.length === 1 && only && 'ref' in only) {
      const { namespace, path, raw } = only.ref;
      if (namespace === 'secrets' || namespace === 'env') return undefined;
      if (namespace === 'checks') {
        // Whether the capture exists at all is the reference pass's concern; here only its secrecy.
        if (path.length !== 2 || secretCaptures.has(path.join('.'))) return undefined;
        return { message: `${what} reads ${raw}, a capture not marked secret`, hint: `capture it as ${path[1] ?? 'token'}: { from: ..., secret: true } so it is redacted everywhere` };
      }
    }
    if (referencesIn(value).length > 0) {
      return { message: `${what} must be exactly one \${secrets.x}, \${env.X} or secret capture reference`, hint: `write \${secrets.${leaf}} and declare it under secrets:` };
    }
  }
  return {
    conceal: true,
    message: `${what} holds a literal credential (${kindOf(value)})`,
    hint: `write \${secrets.${leaf}} and declare it under secrets:, e.g. ${leaf}: { env: ${leaf.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()} }`,
  };
}

/** Paths (relative to `data`) of values whose schema node is annotated `x-secret: true`. */
export function secretParamPaths(schema: JsonSchema, data: unknown): ValuePath[] {
  return annotatedParamPaths(schema, data, 'x-secret');
}

/** Paths (relative to `data`) of values whose schema node carries `keyword: true` (x-secret, x-check-id). */
export function annotatedParamPaths(schema: JsonSchema, data: unknown, keyword: string): ValuePath[] {
  const found = new Map<string, ValuePath>();
  const visit = (node: unknown, value: unknown, path: ValuePath, depth: number): void => {
    // Schemas may recurse through $ref; the data (depth-capped by the loader) bounds the walk.
    if (depth > 64 || node === null || typeof node !== 'object' || value === undefined) return;
    const s = node as Record<string, unknown>;
    if (s[keyword] === true) found.set(JSON.stringify(path), path);
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) visit(resolvePointer(schema, s.$ref), value, path, depth + 1);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      if (Array.isArray(s[key])) for (const branch of s[key] as unknown[]) visit(branch, value, path, depth + 1);
    }
    for (const key of ['then', 'else']) visit(s[key], value, path, depth + 1);
    if (Array.isArray(value)) {
      const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as unknown[]) : [];
      value.forEach((item, index) => visit(index < prefix.length ? prefix[index] : s.items, item, [...path, index], depth + 1));
    } else if (value !== null && typeof value === 'object') {
      const properties = asRecord(s.properties);
      const patterns = Object.entries(asRecord(s.patternProperties));
      for (const [key, item] of Object.entries(value)) {
        const matched = patterns.filter(([pattern]) => safeTest(pattern, key));
        if (Object.hasOwn(properties, key)) visit(properties[key], item, [...path, key], depth + 1);
        for (const [, sub] of matched) visit(sub, item, [...path, key], depth + 1);
        if (!Object.hasOwn(properties, key) && matched.length === 0) visit(s.additionalProperties, item, [...path, key], depth + 1);
      }
    }
  };
  visit(schema, data, [], 0);
  return [...found.values()];
}

function walkHeaders(value: unknown, path: ValuePath, visit: (name: string, value: unknown, path: ValuePath) => void): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => walkHeaders(item, [...path, index], visit));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    // `expect.headers` are response assertions, not credentials being sent.
    if (key === 'expect') continue;
    if (key === 'headers' && item !== null && typeof item === 'object' && !Array.isArray(item)) {
      for (const [name, header] of Object.entries(item)) visit(name, header, [...path, key, name]);
    } else walkHeaders(item, [...path, key], visit);
  }
}

function resolvePointer(root: unknown, ref: string): unknown {
  const segments = ref.slice(1).split('/').filter(Boolean).map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root;
  for (const segment of segments) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
  return node;
}

function valueAt(root: unknown, path: ValuePath): unknown {
  let node = root;
  for (const segment of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
