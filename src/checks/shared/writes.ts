import type { WriteRequest } from '../types.js';

/*
 * Which requests count as writes for the live guard. A GET, HEAD or OPTIONS changes nothing on a
 * conforming server (RFC 9110 section 9.2.1, "safe methods": "the client does not request, and
 * does not expect, any state change on the origin server"); every other method may create,
 * capture, refund or cancel a payment, so it is a write. A method the loader cannot read yet
 * (`${vars.method}`) is a write until resolved.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The write request `method url` would be (`param` names the parameter that makes it one), or none. */
export function writeOf(method: unknown, url: unknown, param = 'method'): WriteRequest[] {
  const name = method === undefined ? 'GET' : String(method);
  if (SAFE_METHODS.has(name)) return [];
  return [{ method: name, url: typeof url === 'string' ? url : String(url ?? ''), param }];
}

/** `writes` of a type whose one request is `with.method` to `with.url` (default GET). */
export function methodWrites(params: Readonly<Record<string, unknown>>): WriteRequest[] {
  if (params.url === undefined || isTokenRequest(params)) return [];
  return writeOf(params.method, params.url, params.method === undefined ? 'url' : 'method');
}

/**
 * An OAuth 2.0 token request: a POST whose only body is a form carrying `grant_type`. It must be
 * a POST (RFC 6749 section 3.2: "The client MUST use the HTTP "POST" method when making access
 * token requests") and it obtains a token; it creates, captures or refunds nothing.
 */
function isTokenRequest(params: Readonly<Record<string, unknown>>): boolean {
  const form = params.form;
  return params.method === 'POST' && form !== null && typeof form === 'object' && 'grant_type' in form && params.json === undefined && params.body === undefined;
}

/** What `writesWhen` says for such a type. */
export const METHOD_WRITES_WHEN = 'with a method other than GET, HEAD or OPTIONS';
