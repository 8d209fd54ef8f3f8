import { invalidRequest } from './errors.js';
import type { PaymentIntent } from './objects.js';

/**
 * Stripe's search query language (https://docs.stripe.com/search#search-query-language), for
 * PaymentIntents:
 *
 * - "A query clause consists of a field followed by an operator followed by a value":
 *   `status:'succeeded'`, `metadata['order_id']:'6735'`, `amount>1000`.
 * - Operators: `:` exact match (case-insensitive for strings), `~` substring ("must be at least 3
 *   characters"), `>`, `<`, `>=`, `<=` on numbers; `-` before a clause negates it.
 * - "You can combine up to 10 query clauses in a search by either separating them with a space,
 *   or using the AND or OR keywords (case sensitive). You can't combine AND and OR in the same
 *   query." A space means AND.
 * - String values are quoted with single or double quotes ("\\" escapes a quote); numbers are not.
 * - Searchable PaymentIntent fields: amount, created, currency, customer, metadata, status.
 *
 * Not emulated: "Don't use search for read-after-write flows ... data is ... searchable in less
 * than a minute": here an object is searchable at once.
 */

type Op = ':' | '~' | '>' | '<' | '>=' | '<=';

interface Clause {
  negated: boolean;
  field: string;
  metadataKey?: string;
  op: Op;
  value: string | number;
}

/** A parsed query: clauses joined by AND or OR. */
export interface SearchQuery {
  join: 'AND' | 'OR';
  clauses: Clause[];
}

const FIELDS = ['amount', 'created', 'currency', 'customer', 'metadata', 'status'] as const;
const NUMERIC = new Set(['amount', 'created']);
const MAX_CLAUSES = 10;

function bad(detail: string): never {
  throw invalidRequest(`Invalid query: ${detail}. See https://stripe.com/docs/search#search-query-language for the syntax.`, { param: 'query' });
}

/** Reads a quoted string starting at `text[at]`; returns the value and the index after it. */
function quoted(text: string, at: number): [string, number] {
  const quote = text[at];
  let value = '';
  for (let i = at + 1; i < text.length; i += 1) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i += 1;
    } else if (char === quote) {
      return [value, i + 1];
    } else {
      value += char;
    }
  }
  return bad('a quoted value is not closed');
}

/** Parses `query`; a 400 invalid_request_error (param `query`) when it is not valid. */
export function parseSearchQuery(query: string): SearchQuery {
  const clauses: Clause[] = [];
  const joins = new Set<'AND' | 'OR'>();
  let i = 0;
  const skipSpaces = (): void => {
    while (query[i] === ' ') i += 1;
  };
  skipSpaces();
  if (i >= query.length) bad('the query is empty');
  while (i < query.length) {
    if (clauses.length > 0) {
      const rest = query.slice(i);
      const keyword = /^(AND|OR) /.exec(rest);
      if (keyword) {
        joins.add(keyword[1] as 'AND' | 'OR');
        i += keyword[0].length;
        skipSpaces();
      } else {
        joins.add('AND');
      }
    }
    const negated = query[i] === '-';
    if (negated) i += 1;
    const field = /^[a-z_]+/.exec(query.slice(i))?.[0] ?? '';
    if (!(FIELDS as readonly string[]).includes(field)) bad(`"${field || query.slice(i, i + 20)}" is not a searchable field of payment intents (${FIELDS.join(', ')})`);
    i += field.length;
    let metadataKey: string | undefined;
    if (field === 'metadata') {
      if (query[i] !== '[' || (query[i + 1] !== "'" && query[i + 1] !== '"')) bad("metadata is searched as metadata['key']");
      const [key, after] = quoted(query, i + 1);
      if (query[after] !== ']') bad("metadata is searched as metadata['key']");
      metadataKey = key;
      i = after + 1;
    }
    const op = (/^(>=|<=|[:~<>])/.exec(query.slice(i))?.[0] ?? '') as Op | '';
    if (op === '') bad(`expected an operator (: ~ > < >= <=) after ${field}`);
    i += op.length;
    let value: string | number;
    if (query[i] === "'" || query[i] === '"') {
      [value, i] = quoted(query, i);
    } else {
      const raw = /^-?\d+/.exec(query.slice(i))?.[0];
      if (raw === undefined) bad('string values must be quoted');
      value = Number(raw);
      i += raw.length;
    }
    if (op !== ':' && op !== '~' && !NUMERIC.has(field)) bad(`${op} only applies to numeric fields (amount, created)`);
    if (op === '~' && (typeof value !== 'string' || value.length < 3)) bad('a substring match (~) needs at least 3 characters');
    clauses.push({ negated, field, op, value, ...(metadataKey === undefined ? {} : { metadataKey }) });
    if (clauses.length > MAX_CLAUSES) bad(`at most ${MAX_CLAUSES} clauses`);
    if (i < query.length && query[i] !== ' ') bad(`unexpected "${query.slice(i, i + 10)}"`);
    skipSpaces();
  }
  if (joins.size > 1) bad("AND and OR can't be combined in the same query");
  return { join: joins.has('OR') ? 'OR' : 'AND', clauses };
}

function fieldValue(intent: PaymentIntent, clause: Clause): string | number | null {
  if (clause.field === 'metadata') return intent.metadata[clause.metadataKey ?? ''] ?? null;
  if (clause.field === 'customer') return intent.customer;
  if (clause.field === 'amount') return intent.amount;
  if (clause.field === 'created') return intent.created;
  if (clause.field === 'currency') return intent.currency;
  return intent.status;
}

function holds(intent: PaymentIntent, clause: Clause): boolean {
  const actual = fieldValue(intent, clause);
  if (actual === null) return false;
  const { op, value } = clause;
  if (op === ':') return typeof actual === 'number' ? actual === Number(value) : actual.toLowerCase() === String(value).toLowerCase();
  if (op === '~') return String(actual).toLowerCase().includes(String(value).toLowerCase());
  const a = Number(actual);
  const b = Number(value);
  return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
}

/** Whether `intent` matches the query. */
export function matches(intent: PaymentIntent, query: SearchQuery): boolean {
  const results = query.clauses.map((clause) => holds(intent, clause) !== clause.negated);
  return query.join === 'AND' ? results.every(Boolean) : results.some(Boolean);
}
