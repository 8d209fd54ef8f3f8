import { isCredentialHeader } from './credentials.js';

/** Request headers that describe a body: dropped with it when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location'];

/** A redirect not followed, and why (the response is that redirect). */
export interface RefusedRedirect {
  /** The redirect's status (301, 302, 303, 307, 308). */
  status: number;
  /** Where it pointed (absolute). */
  location: string;
  /** `downgrade`: from https to plain http; `body`: the request body would go to another origin. */
  kind: 'downgrade' | 'body';
  /** Why, in words ("it leads from https to plain HTTP ..."). */
  reason: string;
}

/** The request as it stands before a redirect. */
export interface PendingRequest {
  /** Upper-case method. */
  method: string;
  /** Headers, lower-case names. */
  headers: Record<string, string>;
  /** Body, if any. */
  body: string | Uint8Array | undefined;
}

/** What to send next: the request to repeat at the new URL, and the headers left behind. */
export type RedirectStep =
  | { follow: true; request: PendingRequest; dropped: string[] }
  | { follow: false; refused: RefusedRedirect };

/**
 * How a request continues after a redirect from `from` to `to`. Credentials stay with the origin
 * (scheme, host and port) they were given for, as curl does by default ("libcurl only sends
 * Authentication: or explicitly set Cookie: headers to the initial host ... Another host means
 * that one or more of hostname, protocol scheme or port number changed") and the Fetch standard
 * does for `Authorization`: on another origin, every credential header (by name, or because its
 * value holds a registered secret) is dropped. A redirect from https to plain http is refused,
 * whatever the origin, and so is one that would re-send the request body to another origin.
 */
export function redirectStep(from: URL, to: URL, status: number, pending: PendingRequest, isSecret: (value: string) => boolean): RedirectStep {
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    return { follow: false, refused: { status, location: to.href, kind: 'downgrade', reason: `it leads from https to plain HTTP (${to.origin}), where the request and its credentials would travel unencrypted` } };
  }
  let { method, body } = pending;
  const headers = { ...pending.headers };
  // Fetch standard, HTTP-redirect fetch: a 301/302 turns a POST into a GET, a 303 turns anything
  // but GET/HEAD into a GET; the body and the headers describing it go. 307/308 keep both.
  if (((status === 301 || status === 302) && method === 'POST') || (status === 303 && method !== 'GET' && method !== 'HEAD')) {
    method = 'GET';
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  const dropped: string[] = [];
  if (from.origin !== to.origin) {
    if (body !== undefined && body.length > 0) {
      return { follow: false, refused: { status, location: to.href, kind: 'body', reason: `it would re-send the ${method} request body to another origin (${to.origin})` } };
    }
    for (const [name, value] of Object.entries(headers)) {
      if (isCredentialHeader(name) || isSecret(value)) {
        delete headers[name];
        dropped.push(name);
      }
    }
  }
  return { follow: true, request: { method, headers, body }, dropped };
}

/** What the redirect policy did, for a result: where the request went and what it left behind. */
export interface RedirectRecord {
  /** Every redirect followed (absolute URLs). */
  redirects: readonly string[];
  /** Credential headers not sent after a redirect to another origin. */
  withheld: readonly string[];
  /** A redirect not followed. */
  refused?: RefusedRedirect;
}

/** "redirected to another origin, so authorization, x-api-key were not sent to https://other:8443", or undefined. */
export function withheldNote(record: RedirectRecord): string | undefined {
  if (record.withheld.length === 0) return undefined;
  const last = record.redirects[record.redirects.length - 1];
  const where = last ? new URL(last).origin : 'another origin';
  return `redirected to another origin, so ${record.withheld.join(', ')} ${record.withheld.length === 1 ? 'was' : 'were'} not sent to ${where}`;
}

/** One line per redirect event, for a transcript. */
export function redirectNotes(record: RedirectRecord): string[] {
  const notes = record.redirects.map((url) => `followed a redirect to ${url}`);
  const withheld = withheldNote(record);
  if (withheld) notes.push(withheld);
  if (record.refused) notes.push(`${record.refused.status} redirect to ${record.refused.location} not followed: ${record.refused.reason}`);
  return notes;
}
