import { isCredentialHeader } from './credentials.js';
import type { HttpResponse } from './http.js';

/** Bytes of a body kept in a transcript. */
const MAX_TRANSCRIPT_BODY = 64 * 1024;

/** The request side of a transcript. */
export interface TranscriptRequest {
  /** HTTP method. */
  method: string;
  /** Absolute URL. */
  url: string;
  /** Headers sent. */
  headers?: Record<string, string>;
  /** Body sent, as text. */
  body?: string;
}

/**
 * An HTTP transcript (request and response, like curl -v), the evidence an `http`-style check
 * keeps. Credentials in headers are masked here; the runner's redactor then removes any secret
 * that appears elsewhere (a token echoed in a body, a client secret in a form) and masks card
 * numbers, as it does in every artifact.
 */
export function transcript(req: TranscriptRequest, res: HttpResponse | undefined, notes: readonly string[] = []): string {
  const lines = [`> ${req.method} ${req.url}`];
  for (const [name, value] of Object.entries(req.headers ?? {})) lines.push(`> ${name}: ${mask(name, value)}`);
  if (req.body) lines.push('>', ...clip(req.body).split('\n').map((line) => `> ${line}`));
  // What happened between the request and the response shown (redirects, like curl -v's "* " lines).
  for (const note of notes) lines.push(`* ${note}`);
  // No response (timeout, refused): the caller notes why after the request.
  if (!res) return `${lines.join('\n')}\n`;
  lines.push('', `< HTTP/1.1 ${res.status}`);
  for (const [name, value] of Object.entries(res.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`< ${name}: ${mask(name, item)}`);
  }
  const body = res.text();
  if (body) lines.push('<', ...clip(body).split('\n').map((line) => `< ${line}`));
  return `${lines.join('\n')}\n`;
}

function mask(name: string, value: string): string {
  if (!isCredentialHeader(name) && name.toLowerCase() !== 'set-cookie') return value;
  const scheme = /^(Bearer|Basic|Digest)\s/i.exec(value)?.[1];
  return scheme ? `${scheme} [REDACTED]` : '[REDACTED]';
}

function clip(text: string): string {
  return text.length > MAX_TRANSCRIPT_BODY ? `${text.slice(0, MAX_TRANSCRIPT_BODY)}\n[... ${text.length - MAX_TRANSCRIPT_BODY} more characters]` : text;
}

/** The path of a URL for a label ("POST /v1/payments"); a query string is elided, it may hold secrets. */
export function urlPath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}
