import { assertion, getPath } from './assert.js';
import type { Assertion, JsonSchema } from './types.js';

/**
 * Guideline 6.2 (clear, helpful error messages) as assertions on an error response, shared by
 * the `http` and `schema` check types. `true` asks for RFC 9457 problem details
 * (`application/problem+json` with a human-readable `detail` or `title` and a machine-readable
 * `type` or `code`); an object declares another JSON shape by the paths of its message and code,
 * e.g. `{ message: error_description, code: error }` for OAuth errors.
 */
export type ErrorBodySpec = true | { message: string; code: string };

/** JSON Schema of the `problem` parameter. */
export const errorBodySchema: JsonSchema = {
  description:
    'The response must be an error with a clear body: true = RFC 9457 application/problem+json with a human-readable detail/title and a machine-readable type/code; { message, code } = JSON paths of the message and code in another shape. An opaque body (empty, HTML, a stack trace, a bare word) fails.',
  anyOf: [
    { const: true },
    {
      type: 'object',
      additionalProperties: false,
      required: ['message', 'code'],
      properties: { message: { type: 'string', minLength: 1, description: 'JSON path of the human-readable message.' }, code: { type: 'string', minLength: 1, description: 'JSON path of the machine-readable code.' } },
    },
  ],
};

/** What an error response looked like. */
export interface ErrorResponse {
  /** HTTP status. */
  status: number;
  /** Content-Type header, if any. */
  contentType: string | undefined;
  /** The body as text. */
  text: string;
}

// Signs of an unhandled exception leaking: Node/Java/.NET "at ..." frames, Python tracebacks, PHP.
const STACK_TRACE = /(^\s+at\s+\S.*[(:]\d+|Traceback \(most recent call last\)|^\s+File ".*", line \d+|Exception in thread|\bat [\w$.]+\([\w]+\.java:\d+\)|Stack trace:|PHP (?:Fatal|Parse) error)/m;
const HTML = /^\s*(<!doctype html|<html|<body|<head|<h1)/i;
// Two words with letters: more than a code, an HTTP reason phrase alone is caught separately.
const WORDS = '[A-Za-z\\u00C0-\\uFFFF]{2,}[^\\n]*\\s[^\\n]*[A-Za-z\\u00C0-\\uFFFF]{2,}';
const CODE = '^[A-Za-z][\\w.:/#-]*$';
const REASON_PHRASES = /^(error|an error occurred|bad request|unauthorized|forbidden|not found|internal server error|server error|service unavailable|unprocessable entity|payment required|failed|failure)\.?$/i;

/** Why a body says nothing useful, or undefined when it is structured JSON. */
export function opaqueKind(res: ErrorResponse, parsed: { ok: boolean; value?: unknown }): string | undefined {
  const text = res.text.trim();
  if (text === '') return 'an empty body';
  if (STACK_TRACE.test(res.text)) return 'a stack trace';
  if (HTML.test(text) || /^text\/html/i.test(res.contentType ?? '')) return 'an HTML page';
  if (!parsed.ok) return `bare text ${JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text)}`;
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return `a bare JSON value ${JSON.stringify(parsed.value).slice(0, 40)}`;
  return undefined;
}

function parse(text: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function firstString(body: unknown, paths: string[]): { path: string; value: string } | undefined {
  for (const path of paths) {
    const value = getPath(body, path);
    if (typeof value === 'string' && value.trim() !== '') return { path, value };
  }
  return undefined;
}

/** One-line advice appended to failures. */
const ADVICE = 'send application/problem+json (RFC 9457) with a human-readable "detail" and a machine-readable "code" or "type"';

/** Assertions that `res` is an error with a clear, structured body. */
export function errorBodyAssertions(res: ErrorResponse, spec: ErrorBodySpec): Assertion[] {
  const isError = assertion('error status', 'ge', 400, res.status, `expected an error response (4xx or 5xx) to judge its message, got ${res.status}`);
  if (!isError.passed) return [isError];
  const parsed = parse(res.text);
  const opaque = opaqueKind(res, parsed);
  const body = assertion('error body', 'eq', 'structured JSON', opaque ?? 'structured JSON', opaque ? `the ${res.status} error body is opaque (${opaque}): ${ADVICE}` : undefined);
  if (opaque) return [isError, body];
  const out = [isError, body];
  const value = parsed.value;
  const messagePaths = spec === true ? ['detail', 'title'] : [spec.message];
  const codePaths = spec === true ? ['code', 'type'] : [spec.code];
  if (spec === true) {
    out.push(assertion('header content-type', 'matches', '^application/problem\\+json', res.contentType, `the ${res.status} error is ${res.contentType ?? 'untyped'}, not application/problem+json: ${ADVICE}`));
    const status = getPath(value, 'status');
    if (status !== undefined) out.push(assertion('body.status', 'eq', res.status, status, `problem "status" ${JSON.stringify(status)} differs from the HTTP status ${res.status}`));
  }
  const message = firstString(value, messagePaths);
  const readable = message && !REASON_PHRASES.test(message.value.trim()) ? message.value : undefined;
  out.push(
    assertion(`body.${message?.path ?? messagePaths[0]}`, 'matches', WORDS, readable, message ? `the ${res.status} error message ${JSON.stringify(message.value)} does not tell a person what went wrong: write a sentence` : `the ${res.status} error has no human-readable message at ${messagePaths.join(' or ')}: ${ADVICE}`),
  );
  const type = getPath(value, 'type');
  const code = firstString(value, codePaths.filter((p) => spec !== true || p !== 'type' || type !== 'about:blank'));
  out.push(assertion(`body.${code?.path ?? codePaths[0]}`, 'matches', CODE, code?.value, code ? `the ${res.status} error code ${JSON.stringify(code.value)} is not a machine-readable code (one token, no spaces)` : `the ${res.status} error has no machine-readable code at ${codePaths.join(' or ')}: ${ADVICE}`));
  return out;
}
