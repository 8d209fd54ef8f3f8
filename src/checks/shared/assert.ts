import type { JsonSchema } from '../types.js';
import type { Assertion, Operator } from '../../model/outcome.js';
import { OPERATOR_NAMES, assertion, isOperator } from '../../model/operators.js';

/*
 * Matchers as a suite writes them, compared with the operator table of `src/model/operators.ts`:
 * a bare value (`eq`), a list (`in`), a status class such as `2xx`, or an object of operators:
 * `{ lt: 300 }`, `{ matches: "^application/json" }`.
 */

/** JSON Schema of a matcher, shared by every check type's parameter schema. */
export const matcherSchema: JsonSchema = {
  description: 'A value to equal, a list of allowed values, or an object of operators such as { lt: 300 } or { matches: "^application/json" }.',
  anyOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'array' },
    {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: Object.fromEntries(OPERATOR_NAMES.map((name) => [name, { description: `operator ${name}` }])),
    },
  ],
};

/** A matcher as written in a suite. */
export type Matcher = unknown;

/** Splits a matcher into operator/expected pairs. `2xx` on a status becomes a range. */
export function parseMatcher(spec: Matcher, options: { statusClass?: boolean } = {}): { operator: Operator; expected: unknown }[] {
  if (Array.isArray(spec)) return [{ operator: 'in', expected: spec }];
  if (spec !== null && typeof spec === 'object') {
    return Object.entries(spec).map(([operator, expected]) => {
      if (!isOperator(operator)) throw new Error(`unknown operator "${operator}"; expected one of ${OPERATOR_NAMES.join(', ')}`);
      return { operator, expected };
    });
  }
  if (options.statusClass && typeof spec === 'string' && /^[1-5]xx$/i.test(spec)) {
    return [{ operator: 'matches', expected: `^${spec[0]}\\d\\d$` }];
  }
  return [{ operator: 'eq', expected: spec }];
}

/** Compares `actual` with a suite matcher, returning one assertion per operator. */
export function check(name: string, actual: unknown, spec: Matcher, options: { statusClass?: boolean } = {}): Assertion[] {
  return parseMatcher(spec, options).map(({ operator, expected }) => assertion(name, operator, expected, actual));
}

/** Reads `a.b[0].c` (or `headers.content-type`) from a value; undefined when absent. */
export function getPath(value: unknown, path: string): unknown {
  if (path === '' || path === '$') return value;
  const parts = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = value;
  for (const raw of parts) {
    if (current === null || current === undefined) return undefined;
    const key = raw.startsWith('[') ? Number(raw.slice(1, -1)) : raw;
    if (typeof current !== 'object') return undefined;
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (!Object.hasOwn(current, String(key))) return undefined;
    else current = (current as Record<string, unknown>)[String(key)];
  }
  return current;
}
