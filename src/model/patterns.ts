/**
 * Regular expressions (as JSON Schema `pattern` strings) for the values a suite writes: the suite
 * schema and the check types' parameter schemas both use them (which is why they live in the model,
 * below both), and the error rewriter names each one in words instead of printing the expression.
 */

/** Check ids and suite names: `oauth-token`. */
export const KEBAB_CASE = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** Names used after a dot in references: variables, secrets, captures, target fields. */
export const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';
/** Environment names (`--env`): letters, digits, `-` and `_`. */
export const ENVIRONMENT_NAME = '^[A-Za-z][A-Za-z0-9_-]*$';
/** Durations: `500ms`, `10s`, `1.5m`. */
export const DURATION = '^[0-9]+(\\.[0-9]+)?(ms|s|m)$';
/** A string that is exactly one `${...}` reference (so it may stand for a number or boolean). */
export const SINGLE_REFERENCE = '^\\$\\{[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_-]+)+\\}$';
/** A string that holds at least one `${...}` reference (its final value is only known at run time). */
export const HOLDS_REFERENCE = '\\$\\{';

/**
 * A k6-style KPI threshold (`p95 < 300ms`, `p(99) <= 1s`, `errorRate < 1%`, `successRate > 99%`,
 * `requests >= 100`, `rps > 500`): a latency in ms/s/us (ms when no unit), a rate as a percentage
 * or a fraction, a count, or requests per second. Parsed by src/checks/shared/thresholds.ts.
 */
export const THRESHOLD =
  '^\\s*(?:(?:p[0-9]{1,2}(?:\\.[0-9]+)?|p\\([0-9]{1,2}(?:\\.[0-9]+)?\\)|med|avg|mean|min|max)\\s*(?:<=|>=|==|!=|<|>)\\s*[0-9]+(?:\\.[0-9]+)?\\s*(?:us|ms|s)?' +
  '|(?:errorRate|successRate)\\s*(?:<=|>=|==|!=|<|>)\\s*(?:(?:100(?:\\.0+)?|[0-9]{1,2}(?:\\.[0-9]+)?)\\s*%|0(?:\\.[0-9]+)?|1(?:\\.0+)?)' +
  '|(?:requests|errors)\\s*(?:<=|>=|==|!=|<|>)\\s*[0-9]+' +
  '|rps\\s*(?:<=|>=|==|!=|<|>)\\s*[0-9]+(?:\\.[0-9]+)?(?:\\s*/s)?)\\s*$';

/** An RFC 6901 JSON Pointer: empty (the whole document) or `/` segments, e.g. `/status`. */
export const JSON_POINTER = '^(/.*)?$';

/** Each pattern in words, for error messages. */
export const PATTERN_NAMES: Readonly<Record<string, string>> = {
  [KEBAB_CASE]: 'lowercase letters, digits and dashes (kebab-case), e.g. "oauth-token"',
  [IDENTIFIER]: 'letters, digits and "_", not starting with a digit, e.g. "clientSecret"',
  [ENVIRONMENT_NAME]: 'letters, digits, "-" and "_", starting with a letter, e.g. "production"',
  [DURATION]: 'a duration such as "500ms", "10s" or "2m" (or a number of milliseconds)',
  [SINGLE_REFERENCE]: 'a single reference such as "${vars.port}"',
  [JSON_POINTER]: 'a JSON Pointer (RFC 6901) such as "/status" or "/payment/id"',
  [THRESHOLD]:
    'a threshold such as "p95 < 300ms", "p(99) <= 1s", "errorRate < 1%", "successRate > 99%", "requests >= 100" or "rps > 500" (latency: p50..p99.9, med, avg, min, max in ms, s or us; rates in % or as a fraction)',
};
