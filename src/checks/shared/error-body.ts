import { getPath } from './assert.js';
import { assertion, show } from '../../model/operators.js';
import type { JsonSchema } from '../types.js';
import type { Assertion } from '../../model/outcome.js';

/** An error shape payready knows by name. */
export type ErrorShape = 'rfc9457' | 'oauth' | 'stripe' | 'adyen';

/**
 * Guideline 6.2 (clear, helpful error messages) as assertions on an error response, shared by
 * the `http` and `schema` check types. `true` accepts any shape below that carries a
 * human-readable message and a machine-readable code; a shape's name requires that shape (and,
 * for `rfc9457`, the `application/problem+json` media type); an object declares another JSON shape
 * by the paths of its message and code.
 */
export type ErrorBodySpec = true | ErrorShape | { message: string; code: string };

/** How one known error shape is recognised and read. */
interface ShapeRule {
  /** What a person calls it, for messages. */
  label: string;
  /** The members that make it, for messages. */
  layout: string;
  /** Whether a parsed JSON object is of this shape. */
  matches(body: Record<string, unknown>, contentType: string | undefined): boolean;
  /** Paths of the human-readable message, first present wins. */
  message: string[];
  /** Paths of the machine-readable code, first present wins. */
  code: string[];
  /** Path of a member that repeats the HTTP status, if the shape has one. */
  status?: string;
}

const PROBLEM_JSON = /^application\/problem\+json/i;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The shapes, in the order they are tried: the most specific first. */
const SHAPES: Record<ErrorShape, ShapeRule> = {
  // Stripe API reference, "Errors": `error.type` is always there ("The type of error returned. One
  // of api_error, card_error, idempotency_error, or invalid_request_error"); `code` is there "for
  // some errors that could be handled programmatically"; `decline_code` for issuer declines;
  // `message` is "A human-readable message providing more details about the error. For card
  // errors, these messages can be shown to your users."
  stripe: {
    label: 'a Stripe error',
    layout: '{ error: { type, code, decline_code, message } }',
    matches: (body) => isObject(body['error']),
    message: ['error.message'],
    code: ['error.code', 'error.decline_code', 'error.type'],
  },
  // RFC 6749 §5.2: "error REQUIRED. A single ASCII error code"; "error_description OPTIONAL.
  // Human-readable ASCII text providing additional information".
  oauth: {
    label: 'an OAuth 2.0 error (RFC 6749 §5.2)',
    layout: '{ error, error_description }',
    matches: (body) => typeof body['error'] === 'string',
    message: ['error_description'],
    code: ['error'],
  },
  // Adyen Checkout v71, components.schemas.ServiceError: status ("The HTTP response status."),
  // errorCode ("The error code mapped to the error message."), message ("A short explanation of
  // the issue."), errorType ("The category of the error."), pspReference.
  adyen: {
    label: 'an Adyen error (ServiceError)',
    layout: '{ status, errorCode, message, errorType, pspReference }',
    matches: (body) => 'errorCode' in body || ('errorType' in body && 'message' in body),
    message: ['message'],
    code: ['errorCode', 'errorType'],
    status: 'status',
  },
  // RFC 9457 §3.1: "type" is "the primary identifier for the problem type" ("about:blank" when the
  // problem has no semantics beyond the HTTP status), "title" a short human-readable summary,
  // "detail" a human-readable explanation specific to this occurrence, "status" the HTTP status.
  rfc9457: {
    label: 'RFC 9457 problem details',
    layout: 'application/problem+json { type, title, status, detail }',
    matches: (body, contentType) => PROBLEM_JSON.test(contentType ?? '') || 'detail' in body || 'title' in body,
    message: ['detail', 'title'],
    code: ['code', 'type'],
    status: 'status',
  },
};

/** Names of the known error shapes, for the parameter schema and docs. */
export const ERROR_SHAPES = Object.keys(SHAPES) as ErrorShape[];

/** JSON Schema of the `problem` parameter. */
export const errorBodySchema: JsonSchema = {
  description:
    'The response must be an error with a clear body (a human-readable message and a machine-readable code): true = any known shape (RFC 9457 problem details, OAuth 2.0 errors, Stripe\'s { error: { type, code, message } }, Adyen\'s { status, errorCode, message, errorType }); a shape\'s name = exactly that shape (rfc9457 also requires application/problem+json); { message, code } = JSON paths of the message and code in another shape. An opaque body (empty, HTML, a stack trace, a bare word) fails.',
  anyOf: [
    { const: true },
    { enum: ERROR_SHAPES },
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
// A machine-readable code is one token: letters, digits, underscores, dots, a URI ("14_030",
// "010", "card_declined", "https://example.com/probs/out-of-credit"), never words with spaces.
const TOKEN = '^\\S+$';
const REASON_PHRASES = /^(error|an error occurred|bad request|unauthorized|forbidden|not found|internal server error|server error|service unavailable|unprocessable entity|payment required|failed|failure)\.?$/i;

/** Why a body says nothing useful, or undefined when it is structured JSON. */
export function opaqueKind(res: ErrorResponse, parsed: { ok: boolean; value?: unknown }): string | undefined {
  const text = res.text.trim();
  if (text === '') return 'an empty body';
  if (STACK_TRACE.test(res.text)) return 'a stack trace';
  if (HTML.test(text) || /^text\/html/i.test(res.contentType ?? '')) return 'an HTML page';
  if (!parsed.ok) return `bare text ${JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text)}`;
  if (!isObject(parsed.value)) return `a bare JSON value ${JSON.stringify(parsed.value).slice(0, 40)}`;
  return undefined;
}

function parse(text: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The first path holding a non-blank string. */
function firstString(body: unknown, paths: string[]): { path: string; value: string } | undefined {
  for (const path of paths) {
    const value = getPath(body, path);
    if (typeof value === 'string' && value.trim() !== '') return { path, value };
  }
  return undefined;
}

/** The first path holding a value that can be a code (null, blanks and about:blank do not count). */
function firstCode(body: unknown, paths: string[]): { path: string; value: unknown } | undefined {
  for (const path of paths) {
    const value = getPath(body, path);
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) continue;
    // RFC 9457 §4.2.1: "about:blank" says the problem has no semantics beyond the HTTP status code.
    if (path === 'type' && value === 'about:blank') continue;
    return { path, value };
  }
  return undefined;
}

/** Which known shape a JSON error body has, if any. */
export function errorShapeOf(body: unknown, contentType?: string): ErrorShape | undefined {
  if (!isObject(body)) return undefined;
  return ERROR_SHAPES.find((name) => SHAPES[name].matches(body, contentType));
}

/** A JSON error body's message and code, read by its shape (for summaries that quote the server). */
export function errorFields(body: unknown, contentType?: string): { shape?: ErrorShape; message?: string; code?: string } {
  const shape = errorShapeOf(body, contentType);
  if (!shape) return {};
  const message = firstString(body, SHAPES[shape].message)?.value;
  const code = firstCode(body, SHAPES[shape].code)?.value;
  return { shape, ...(message !== undefined ? { message } : {}), ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}) };
}

function members(body: Record<string, unknown>): string {
  const keys = Object.keys(body);
  if (keys.length === 0) return 'an empty object';
  return `members ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''}`;
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
  const value = parsed.value as Record<string, unknown>;

  let rule: Pick<ShapeRule, 'message' | 'code' | 'status'> & { label: string };
  if (typeof spec === 'object') {
    rule = { label: 'the error', message: [spec.message], code: [spec.code] };
  } else {
    const found = errorShapeOf(value, res.contentType);
    const wanted = spec === true ? found : spec;
    const shapeOk = wanted !== undefined && SHAPES[wanted].matches(value, res.contentType);
    out.push(
      assertion(
        'error shape',
        'in',
        spec === true ? ERROR_SHAPES : [spec],
        shapeOk ? wanted : found,
        spec === true
          ? `the ${res.status} error body is JSON of no known error shape (${members(value)}): ${ADVICE}, or declare its shape: problem: { message: <path>, code: <path> }`
          : `the ${res.status} error is not ${SHAPES[spec].label} ${SHAPES[spec].layout}${found ? ` but ${SHAPES[found].label}` : ` (${members(value)})`}`,
      ),
    );
    if (!shapeOk) return out;
    rule = SHAPES[wanted];
    if (spec === 'rfc9457') out.push(assertion('header content-type', 'matches', '^application/problem\\+json', res.contentType, `the ${res.status} error is ${res.contentType ?? 'untyped'}, not application/problem+json: ${ADVICE}`));
  }

  if (rule.status) {
    const status = getPath(value, rule.status);
    if (status !== undefined) out.push(assertion(`body.${rule.status}`, 'eq', res.status, status, `"${rule.status}" ${JSON.stringify(status)} in the body of ${rule.label} differs from the HTTP status ${res.status}`));
  }

  const message = firstString(value, rule.message);
  const readable = message && !REASON_PHRASES.test(message.value.trim()) ? message.value : undefined;
  const oauthCode = rule.message[0] === 'error_description' && typeof value['error'] === 'string' ? value['error'] : undefined;
  const noMessage =
    oauthCode !== undefined
      ? `the ${res.status} OAuth error ${JSON.stringify(oauthCode)} has no error_description: RFC 6749 makes it optional, but guideline 6.2 asks for a message a person can act on`
      : `the ${res.status} error has no human-readable message at ${rule.message.join(' or ')}: ${ADVICE}`;
  out.push(assertion(`body.${message?.path ?? rule.message[0]}`, 'matches', WORDS, readable, message ? `the ${res.status} error message ${JSON.stringify(message.value)} does not tell a person what went wrong: write a sentence` : noMessage));

  const code = firstCode(value, rule.code);
  const name = `body.${code?.path ?? rule.code[0]}`;
  if (code === undefined) out.push(assertion(name, 'exists', true, undefined, `the ${res.status} error has no machine-readable code at ${rule.code.join(' or ')}: ${ADVICE}`));
  else if (typeof code.value === 'string' || typeof code.value === 'number') {
    const text = String(code.value);
    out.push(assertion(name, 'matches', TOKEN, text, `the ${res.status} error code ${JSON.stringify(text)} contains spaces: a machine-readable code is one token, e.g. "${text.trim().toLowerCase().replace(/\s+/g, '_')}"`));
  } else {
    const kind = Array.isArray(code.value) ? 'array' : typeof code.value;
    out.push(assertion(name, 'type', 'string', code.value, `the ${res.status} error code at ${code.path} is ${kind === 'object' ? 'an object' : `a ${kind}`} (${show(code.value)}), not a code (a string or number)`));
  }
  return out;
}
