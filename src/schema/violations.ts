import type { ErrorObject } from 'ajv';
import { RULE_KEYWORD } from './ajv.js';

/** One way a JSON value breaks its schema. */
export interface Violation {
  /** JSON Pointer (RFC 6901) to the offending value; '' is the whole body. */
  pointer: string;
  /** The schema keyword broken: type, required, enum, format, additionalProperties, readOnly... */
  rule: string;
  /** What the schema asks for, in words or as a value. */
  expected: unknown;
  /** What the value is (undefined when the member is missing). */
  actual: unknown;
  /** One line: "/amount/value: expected integer, got "1000"". */
  message: string;
}

function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

function short(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function expectation(error: ErrorObject): { pointer: string; expected: unknown; actual: unknown; words: string } {
  const p = error.params as Record<string, unknown>;
  const at = error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const name = String(p.missingProperty);
      return { pointer: `${at}/${escapePointer(name)}`, expected: 'present', actual: undefined, words: 'required member is missing' };
    }
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      return { pointer: `${at}/${escapePointer(name)}`, expected: 'absent', actual: (error.data as Record<string, unknown> | undefined)?.[name], words: 'member is not in the schema' };
    }
    case 'type':
      return { pointer: at, expected: p.type, actual: error.data, words: `expected ${String(p.type)}, got ${short(error.data)}` };
    case 'enum':
      return { pointer: at, expected: p.allowedValues, actual: error.data, words: `expected one of ${short(p.allowedValues)}, got ${short(error.data)}` };
    case 'const':
      return { pointer: at, expected: p.allowedValue, actual: error.data, words: `expected ${short(p.allowedValue)}, got ${short(error.data)}` };
    case 'format':
      return { pointer: at, expected: `format ${String(p.format)}`, actual: error.data, words: `expected format ${String(p.format)}, got ${short(error.data)}` };
    case 'pattern':
      return { pointer: at, expected: `pattern ${String(p.pattern)}`, actual: error.data, words: `expected to match ${String(p.pattern)}, got ${short(error.data)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return { pointer: at, expected: `${String(p.comparison ?? '')} ${String(p.limit)}`.trim(), actual: error.data, words: `${error.message ?? error.keyword}, got ${short(error.data)}` };
    default:
      return { pointer: at, expected: error.schema, actual: error.data, words: error.message ?? error.keyword };
  }
}

/**
 * Ajv's errors as violations, one per problem: `if` errors (which only say "must match then")
 * are dropped, and readOnly/writeOnly members are named as such.
 */
export function toViolations(errors: readonly ErrorObject[] | null | undefined): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    if (error.keyword === 'if') continue;
    const special = error.keyword === 'not' ? (error.parentSchema as Record<string, unknown> | undefined)?.[RULE_KEYWORD] : undefined;
    if (typeof special === 'string') {
      const direction = special === 'readOnly' ? 'a request' : 'a response';
      const v = { pointer: error.instancePath, rule: special, expected: 'absent', actual: error.data, message: `${error.instancePath || '/'}: ${special} member must not be sent in ${direction}` };
      if (!seen.has(v.message)) out.push(v);
      seen.add(v.message);
      continue;
    }
    const { pointer, expected, actual, words } = expectation(error);
    const message = `${pointer || '/'}: ${words}`;
    if (seen.has(message)) continue;
    seen.add(message);
    out.push({ pointer, rule: error.keyword, expected, actual, message });
  }
  // In document order of the body rather than ajv's keyword order.
  return out.sort((a, b) => (a.pointer < b.pointer ? -1 : a.pointer > b.pointer ? 1 : 0));
}
