import type { Assertion, Operator } from './outcome.js';

/**
 * The one operator table every check type compares with (as Lighthouse CI's
 * AUDIT_TYPE_OPERATORS): how each operator tests a value and how a failure reads. Checks record
 * comparisons with `assertion()`; reporters word failed ones with `describeFailure()`.
 */
interface OperatorRule {
  /** Words used in a failure message: "expected status <words> 200". */
  words: string;
  /** Whether `actual` satisfies `expected`. */
  test(actual: unknown, expected: unknown): boolean;
}

const OPERATORS: Record<Operator, OperatorRule> = {
  eq: { words: 'to equal', test: (a, e) => deepEqual(a, e) },
  ne: { words: 'not to equal', test: (a, e) => !deepEqual(a, e) },
  lt: { words: 'to be below', test: (a, e) => compare(a, e, (x, y) => x < y) },
  le: { words: 'to be at most', test: (a, e) => compare(a, e, (x, y) => x <= y) },
  gt: { words: 'to be above', test: (a, e) => compare(a, e, (x, y) => x > y) },
  ge: { words: 'to be at least', test: (a, e) => compare(a, e, (x, y) => x >= y) },
  in: { words: 'to be one of', test: (a, e) => Array.isArray(e) && e.some((item) => deepEqual(a, item)) },
  notIn: { words: 'not to be one of', test: (a, e) => Array.isArray(e) && !e.some((item) => deepEqual(a, item)) },
  matches: { words: 'to match', test: (a, e) => typeof e === 'string' && a !== undefined && a !== null && safeRegExp(e).test(stringOf(a)) },
  contains: {
    words: 'to contain',
    test: (a, e) => (Array.isArray(a) ? a.some((item) => deepEqual(item, e)) : a !== undefined && a !== null && stringOf(a).includes(stringOf(e))),
  },
  exists: { words: 'to be present', test: (a, e) => (e === false ? a === undefined : a !== undefined) },
  absent: { words: 'to be absent', test: (a, e) => (e === false ? a !== undefined : a === undefined) },
  type: { words: 'to be of type', test: (a, e) => typeOf(a) === e || (e === 'number' && typeof a === 'number') },
};

/** Operator names, for schemas and docs. */
export const OPERATOR_NAMES = Object.keys(OPERATORS) as Operator[];

/** True when `name` is one of the table's operators (a suite may write any key). */
export function isOperator(name: string): name is Operator {
  return Object.hasOwn(OPERATORS, name);
}

/** One assertion from an operator; the shared way every check type records a comparison. */
export function assertion(name: string, operator: Operator, expected: unknown, actual: unknown, message?: string): Assertion {
  const passed = OPERATORS[operator].test(actual, expected);
  return { name, operator, expected, actual, passed, ...(message && !passed ? { message } : {}) };
}

/** "expected status to equal 401, got 201". */
export function describeFailure(a: Assertion): string {
  if (a.message) return a.message;
  const got = a.actual === undefined ? 'it is absent' : `got ${show(a.actual)}`;
  if (a.operator === 'exists' || a.operator === 'absent') {
    const wanted = (a.operator === 'exists') === (a.expected !== false) ? 'to be present' : 'to be absent';
    return `expected ${a.name} ${wanted}${a.actual === undefined ? '' : `, got ${show(a.actual)}`}`;
  }
  return `expected ${a.name} ${OPERATORS[a.operator].words} ${show(a.expected)}, ${got}`;
}

/** Short rendering of a value for a summary line. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function compare(a: unknown, e: unknown, op: (x: number, y: number) => boolean): boolean {
  const x = typeof a === 'string' && a.trim() !== '' ? Number(a) : a;
  return typeof x === 'number' && typeof e === 'number' && Number.isFinite(x) && op(x, e);
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
  return typeof value;
}

const regExpCache = new Map<string, RegExp>();

function safeRegExp(source: string): RegExp {
  let re = regExpCache.get(source);
  if (!re) {
    try {
      re = new RegExp(source);
    } catch {
      re = new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    }
    regExpCache.set(source, re);
  }
  return re;
}
