import type { CheckMeta, JsonSchema } from '../checks/types.js';
import { isCredentialHeader, isCredentialName } from '../net/credentials.js';
import { dotted, kindOf, type PathProblem } from './ajv-errors.js';
import { parseTemplate, referencesIn, type Reference } from './interpolate.js';
import type { RawSuite } from './raw.js';
import type { ValuePath } from './yaml.js';

/** A capture of the suite, by `<check id>.<name>`. */
type Captures = ReadonlyMap<string, { from: string; secret: boolean }>;

/**
 * Finds credentials written into the suite or flowing from values that are not secrets:
 * parameters whose schema says `x-secret: true` must be exactly one `${secrets.x}`, `${env.X}`
 * or `${checks.<id>.<capture>}` of a capture marked `secret: true` (a token obtained earlier in
 * the run); credential request headers (Authorization, Cookie, X-API-Key...) must be built from
 * those references, never from a literal, a variable or an environment field (all written in
 * clear); and a capture that reaches a credential field of a body or query (client_secret,
 * password, api_key, access_token...) must be marked secret, since only a secret capture is
 * redacted. (Literal `secrets:` entries are caught by the schema.)
 */
export function checkLiteralSecrets(raw: RawSuite, types: ReadonlyMap<string, CheckMeta>): PathProblem[] {
  const problems: PathProblem[] = [];
  const captures = new Map<string, { from: string; secret: boolean }>();
  for (const check of raw.checks) {
    for (const [name, capture] of Object.entries(check.capture ?? {})) {
      const key = `${check.id}.${name}`;
      if (!captures.has(key)) captures.set(key, typeof capture === 'string' ? { from: capture, secret: false } : { from: capture.from, secret: capture.secret === true });
    }
  }
  raw.checks.forEach((check, index) => {
    const params = check.with;
    if (!params) return;
    const base: ValuePath = ['checks', index, 'with'];
    const type = types.get(check.type);
    if (type) {
      for (const relative of secretParamPaths(type.schema, params)) {
        const value = valueAt(params, relative);
        const problem = secretParamProblem(value, `parameter "${dotted(relative)}" of check "${check.id}"`, String(relative[relative.length - 1] ?? 'secret'), captures);
        if (problem) problems.push({ path: [...base, ...relative], ...problem });
      }
    }
    walkHeaders(params, [], (name, value, relative) => {
      if (!isCredentialHeader(name) || typeof value !== 'string') return;
      const what = `header "${name}" of check "${check.id}"`;
      const references = referencesIn(value);
      if (references.length === 0) {
        const example = name.toLowerCase().includes('authorization') ? `"Bearer \${secrets.apiToken}"` : '"${secrets.apiKey}"';
        problems.push({
          path: [...base, ...relative],
          conceal: true,
          message: `${what} holds a literal credential`,
          hint: `write ${name}: ${example} and declare the secret under secrets: with { env: NAME } or { file: PATH }`,
        });
        return;
      }
      for (const reference of references) {
        const problem = credentialReferenceProblem(reference, what, captures, true);
        if (problem) problems.push({ path: [...base, ...relative], within: { text: reference.raw, nth: nthOf(value, reference) }, ...problem });
      }
    });
    walkCredentialFields(params, [], (name, value, relative, [from, to]) => {
      for (const reference of referencesIn(value).filter((r) => r.offset >= from && r.offset < to)) {
        const problem = credentialReferenceProblem(reference, `${name} of check "${check.id}"`, captures, false);
        if (problem) problems.push({ path: [...base, ...relative], within: { text: reference.raw, nth: nthOf(value, reference) }, ...problem });
      }
    });
  });
  return problems;
}

/**
 * The environment variables a check's parameters send as credentials (`X-Api-Key: ${env.KEY}`,
 * `clientSecret: ${env.SECRET}`): their values are registered with the redactor, since an
 * environment variable is not a declared secret.
 */
export function credentialEnvNames(params: Record<string, unknown>, type: CheckMeta | undefined): string[] {
  const names = new Set<string>();
  const collect = (text: unknown, range?: [number, number]): void => {
    if (typeof text !== 'string') return;
    for (const reference of referencesIn(text)) {
      if (range && (reference.offset < range[0] || reference.offset >= range[1])) continue;
      if (reference.namespace === 'env' && reference.path[0]) names.add(reference.path[0]);
    }
  };
  if (type) for (const relative of secretParamPaths(type.schema, params)) collect(valueAt(params, relative));
  walkHeaders(params, [], (name, value) => {
    if (isCredentialHeader(name)) collect(value);
  });
  walkCredentialFields(params, [], (_name, value, _path, range) => collect(value, range));
  return [...names];
}

/**
 * Why a reference may not feed a credential: a capture not marked secret (it would be written in
 * clear), or in a header a variable or environment field (a literal written elsewhere).
 */
function credentialReferenceProblem(reference: Reference, what: string, captures: Captures, header: boolean): Omit<PathProblem, 'path'> | undefined {
  const { namespace, path, raw } = reference;
  if (namespace === 'checks') {
    const capture = path.length === 2 ? captures.get(path.join('.')) : undefined;
    // An unknown capture is the reference pass's concern.
    if (!capture || capture.secret) return undefined;
    return { message: `${what} reads ${raw}, a capture not marked secret: it would be written in clear`, hint: captureHint(path, capture) };
  }
  if (header && (namespace === 'vars' || namespace === 'target')) {
    const leaf = path[path.length - 1] ?? 'apiToken';
    return {
      message: `${what} reads ${raw}, ${namespace === 'vars' ? 'a suite variable' : 'an environment field'}: credentials are not written into the suite`,
      hint: `declare it under secrets: with { env: NAME } or { file: PATH } and write \${secrets.${leaf}}`,
    };
  }
  return undefined;
}

/** "add secret: true to capture "token" of check "login": token: { from: body.access_token, secret: true }". */
function captureHint(path: readonly string[], capture: { from: string } | undefined): string {
  const [id = '', name = 'token'] = path;
  return `add secret: true to capture "${name}" of check "${id}": ${name}: { from: ${capture?.from ?? '...'}, secret: true }, so it is redacted everywhere`;
}

/** Which occurrence of `reference.raw` in `text` the reference is (for locating it). */
function nthOf(text: string, reference: Reference): number {
  let count = 0;
  for (let at = text.indexOf(reference.raw); at !== -1 && at < reference.offset; at = text.indexOf(reference.raw, at + reference.raw.length)) count++;
  return count;
}

function secretParamProblem(value: unknown, what: string, leaf: string, captures: Captures): Omit<PathProblem, 'path'> | undefined {
  if (typeof value === 'string') {
    const parsed = parseTemplate(value);
    const [only] = parsed.ok ? parsed.parts : [];
    if (parsed.ok && parsed.parts.length === 1 && only && 'ref' in only) {
      const { namespace, path, raw } = only.ref;
      if (namespace === 'secrets' || namespace === 'env') return undefined;
      if (namespace === 'checks') {
        // Whether the capture exists at all is the reference pass's concern; here only its secrecy.
        if (path.length !== 2 || captures.get(path.join('.'))?.secret) return undefined;
        return { message: `${what} reads ${raw}, a capture not marked secret`, hint: captureHint(path, captures.get(path.join('.'))) };
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
  const bearing = keywordBearing(schema, keyword);
  // Most schemas carry the annotation nowhere: nothing to walk.
  if (bearing.size === 0) return [];
  const visit = (node: unknown, value: unknown, path: ValuePath, depth: number): void => {
    // Schemas may recurse through $ref; the data (depth-capped by the loader) bounds the walk.
    // Subschemas without the keyword anywhere below them are skipped (most of a params schema).
    if (depth > 64 || node === null || typeof node !== 'object' || value === undefined || !bearing.has(node)) return;
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

const bearingCache = new WeakMap<object, Map<string, ReadonlySet<object>>>();

/**
 * The subschemas of `schema` that carry `keyword: true` themselves or in any subschema they lead
 * to (through properties, items, combinators and local $refs), cached per schema: a suite of
 * 1,000 checks walks the same few type schemas 2,000 times.
 */
function keywordBearing(schema: JsonSchema, keyword: string): ReadonlySet<object> {
  let byKeyword = bearingCache.get(schema);
  if (!byKeyword) {
    byKeyword = new Map();
    bearingCache.set(schema, byKeyword);
  }
  const cached = byKeyword.get(keyword);
  if (cached) return cached;
  // Every subschema and what it leads to ($refs may make the graph cyclic).
  const children = new Map<object, object[]>();
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === null || typeof node !== 'object' || children.has(node)) continue;
    const s = node as Record<string, unknown>;
    const next: unknown[] = [];
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#')) next.push(resolvePointer(schema, s.$ref));
    for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) if (Array.isArray(s[key])) next.push(...(s[key] as unknown[]));
    next.push(s.then, s.else, s.items, s.additionalProperties, ...Object.values(asRecord(s.properties)), ...Object.values(asRecord(s.patternProperties)));
    const objects = next.filter((child): child is object => child !== null && typeof child === 'object');
    children.set(node, objects);
    pending.push(...objects);
  }
  // From each node carrying the keyword, up through whatever leads to it.
  const parents = new Map<object, object[]>();
  for (const [node, list] of children) {
    for (const child of list) {
      const known = parents.get(child);
      if (known) known.push(node);
      else parents.set(child, [node]);
    }
  }
  const bearing = new Set<object>();
  const up = [...children.keys()].filter((node) => (node as Record<string, unknown>)[keyword] === true);
  while (up.length > 0) {
    const node = up.pop()!;
    if (bearing.has(node)) continue;
    bearing.add(node);
    up.push(...(parents.get(node) ?? []));
  }
  byKeyword.set(keyword, bearing);
  return bearing;
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

/**
 * Calls `visit` for every string sent under a credential name: fields of a `form:` or `json:` body
 * (at any depth) and query parameters of a `url:`. Response assertions (`expect:`) are not sent.
 */
function walkCredentialFields(value: unknown, path: ValuePath, visit: (name: string, value: string, path: ValuePath, range: [number, number]) => void, inBody = false): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => walkCredentialFields(item, [...path, index], visit, inBody));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === 'expect' && !inBody) continue;
    if (typeof item === 'string') {
      if (inBody && isCredentialName(key)) visit(`field "${key}"`, item, [...path, key], [0, item.length]);
      else if (!inBody && key === 'url') {
        for (const match of item.matchAll(/[?&]([^=&#]+)=([^&#]*)/g)) {
          const name = safeDecode(match[1] ?? '');
          const start = match.index + match[0].length - (match[2] ?? '').length;
          if (isCredentialName(name)) visit(`query parameter "${name}"`, item, [...path, key], [start, match.index + match[0].length]);
        }
      }
    } else walkCredentialFields(item, [...path, key], visit, inBody || key === 'form' || key === 'json');
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
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

const patternCache = new Map<string, RegExp | null>();

function safeTest(pattern: string, text: string): boolean {
  let regex = patternCache.get(pattern);
  if (regex === undefined) {
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null;
    }
    patternCache.set(pattern, regex);
  }
  return regex?.test(text) ?? false;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
