/**
 * Responses as values: a handler returns a `Reply` and the server writes it, so headers every
 * response needs are applied in one place and handlers stay easy to read and test.
 */

/** A complete response for the server to write. */
export interface Reply {
  /** HTTP status code. */
  status: number;
  /** Headers specific to this response (the server adds the security headers). */
  headers?: Record<string, string>;
  /** Body bytes; absent for an empty body. */
  body?: string | Buffer;
}

/** One field-level validation problem (RFC 9457 §3.2 "errors" extension). */
export interface FieldError {
  /** JSON Pointer (RFC 6901) to the offending member of the request body, e.g. `/amount/value`. */
  pointer: string;
  /** What is wrong with it and what is expected instead. */
  detail: string;
}

/** Fields of an RFC 9457 problem the sandbox sends. */
export interface Problem {
  /** HTTP status code, repeated in the body as RFC 9457 asks. */
  status: number;
  /** Machine-readable code, snake_case; also names the problem `type`. */
  code: string;
  /** Short summary that is the same for every occurrence of this problem type. */
  title: string;
  /** What went wrong this time and what the caller can do about it. */
  detail: string;
  /** Extension members (e.g. `errors`, `declineCode`, `paymentId`). */
  extra?: Record<string, unknown>;
  /** Response headers (e.g. `WWW-Authenticate`, `Allow`). */
  headers?: Record<string, string>;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
// One place to change if the project publishes pages describing each problem type.
const PROBLEM_TYPE_BASE = 'https://payready.dev/problems/';

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(body),
  };
}

/** An RFC 9457 `application/problem+json` response. */
export function problem(p: Problem): Reply {
  const body = {
    type: PROBLEM_TYPE_BASE + p.code.replaceAll('_', '-'),
    title: p.title,
    status: p.status,
    detail: p.detail,
    code: p.code,
    ...p.extra,
  };
  return {
    status: p.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...p.headers },
    body: JSON.stringify(body),
  };
}

/**
 * A problem raised below the handler (body parsing, authentication) so the handler does not have
 * to thread it back by hand; the server turns it into the response.
 */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  /** The problem to send. */
  readonly problem: Problem;
  /** Close the connection after responding (e.g. an oversized body was not read to its end). */
  readonly closeConnection: boolean;

  constructor(p: Problem, closeConnection = false) {
    super(p.detail);
    this.problem = p;
    this.closeConnection = closeConnection;
  }
}

/** A 422 problem listing every invalid field at once, so a client can fix them in one go. */
export function validationProblem(errors: readonly FieldError[]): Reply {
  const count = errors.length === 1 ? 'One field is' : `${errors.length} fields are`;
  return problem({
    status: 422,
    code: 'validation_failed',
    title: 'Request validation failed',
    detail: `${count} invalid; see "errors" for each one.`,
    extra: { errors },
  });
}
