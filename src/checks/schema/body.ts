import { getPath } from '../shared/assert.js';
import { assertion, show } from '../../model/operators.js';
import type { CheckContext } from '../types.js';
import type { Artifact, Assertion, Operator } from '../../model/outcome.js';
import { declaredCharset, decodeBody, isValidUtf8, utf8Hex } from '../../net/charset.js';
import { NetError } from '../../net/errors.js';
import { redirectStep } from '../../net/redirect.js';
import { transcript } from '../../net/transcript.js';
import type { Violation } from '../../schema/violations.js';
import { messenger } from '../shared/messages.js';
import { messages } from './messages.js';

const say = messenger(messages);

/** A response as the `schema` check judges it: from its own request (bytes) or captured (already decoded). */
export interface Exchange {
  /** HTTP status. */
  status: number;
  /** Content-Type header. */
  contentType: string | undefined;
  /** Response headers (lower-case names). */
  headers?: Record<string, string | string[]>;
  /** Raw body bytes (own requests only). */
  bytes?: Buffer;
  /** Body text (captured responses). */
  text?: string;
  /** The captured body as the earlier check parsed it. */
  captured?: unknown;
  /** Location header (read-back of a round trip). */
  location?: string;
  /** Final URL of the request. */
  url?: string;
}

/** The body parsed as JSON, or its text and why it is not JSON. */
export type ParsedBody = { ok: true; value: unknown; text: string } | { ok: false; text: string; error: string };

const JSON_TYPE = '^application/(?:[\\w.+-]+\\+)?json(?:\\s*;|$)';

/** Guideline 1.3: a JSON media type, UTF-8 charset (explicit or by default) and UTF-8 bytes. */
export function encodingAssertions(exchange: Exchange, prefix = ''): Assertion[] {
  const type = exchange.contentType;
  const charset = declaredCharset(type);
  const normalized = charset === 'utf8' ? 'utf-8' : (charset ?? 'utf-8');
  const out = [
    assertion(`${prefix}header content-type`, 'matches', JSON_TYPE, type, say.text('notJsonType', { prefix, type: type ? JSON.stringify(type) : 'missing' })),
    assertion(`${prefix}charset`, 'eq', 'utf-8', normalized, say.text('notUtf8Charset', { prefix, charset: normalized })),
  ];
  if (exchange.bytes) {
    const valid = isValidUtf8(exchange.bytes);
    out.push(assertion(`${prefix}body is valid UTF-8`, 'eq', true, valid, say.text('invalidUtf8', { prefix, where: invalidAt(exchange.bytes) })));
  }
  return out;
}

function invalidAt(bytes: Buffer): string {
  for (let end = 1; end <= bytes.length; end++) {
    if (!isValidUtf8(bytes.subarray(0, end)) && !isValidUtf8(bytes.subarray(0, Math.min(bytes.length, end + 3)))) {
      return `first bad byte 0x${(bytes[end - 1] ?? 0).toString(16).padStart(2, '0')} at offset ${end - 1}`;
    }
  }
  return 'truncated sequence at the end';
}

/** The body as a client honouring the declared charset reads it, parsed as JSON. */
export function parseBody(exchange: Exchange): ParsedBody {
  if (exchange.captured !== undefined && typeof exchange.captured !== 'string') return { ok: true, value: exchange.captured, text: exchange.text ?? '' };
  const text = exchange.bytes ? decodeBody(exchange.bytes, exchange.contentType) : (exchange.text ?? '');
  try {
    return { ok: true, value: JSON.parse(text) as unknown, text };
  } catch (error) {
    return { ok: false, text, error: text.trim() === '' ? 'empty body' : (error as Error).message };
  }
}

const RULE_OPERATORS: Record<string, Operator> = {
  type: 'type',
  required: 'exists',
  additionalProperties: 'absent',
  readOnly: 'absent',
  writeOnly: 'absent',
  enum: 'in',
  const: 'eq',
  pattern: 'matches',
  format: 'matches',
  minimum: 'ge',
  exclusiveMinimum: 'gt',
  minLength: 'ge',
  minItems: 'ge',
  maximum: 'le',
  exclusiveMaximum: 'lt',
  maxLength: 'le',
  maxItems: 'le',
};

/** One failed assertion per violation (at most `max`, then one that counts the rest). */
export function violationAssertions(violations: readonly Violation[], max: number, side: 'request' | 'response'): Assertion[] {
  const name = side === 'request' ? 'request body' : 'body';
  const out: Assertion[] = violations.slice(0, max).map((v) => ({
    name: `${name}${v.pointer}`,
    operator: RULE_OPERATORS[v.rule] ?? 'eq',
    expected: v.expected,
    actual: v.actual,
    passed: false,
    message: say.text('violation', { side: side === 'request' ? 'request body ' : '', message: v.message, rule: v.rule }),
  }));
  if (violations.length > max) {
    out.push({ name, operator: 'eq', expected: 0, actual: violations.length, passed: false, message: say.text('unlisted', { count: violations.length - max, max }) });
  }
  return out;
}

function tripMessage(where: string, path: string, sent: string, got: unknown): string {
  const gotBytes = typeof got === 'string' ? ` (UTF-8 ${utf8Hex(got)})` : '';
  return say.text('mangled', { where, sent: show(sent), sentBytes: utf8Hex(sent), path, got: show(got), gotBytes });
}

/**
 * The round trip: the text sent at `path` must come back unchanged in the response and, with
 * `readBackHeaders`, in a GET of the response's Location.
 */
export async function roundTripAssertions(
  ctx: CheckContext,
  exchange: Exchange,
  body: unknown,
  path: string,
  sent: string,
  readBackHeaders: Record<string, string> | undefined,
): Promise<{ assertions: Assertion[]; artifacts: Artifact[] }> {
  const got = getPath(body, path);
  const assertions = [assertion(`round trip ${path}`, 'eq', sent, got, tripMessage('the response', path, sent, got))];
  const artifacts: Artifact[] = [];
  if (!readBackHeaders) return { assertions, artifacts };
  if (!exchange.location) {
    assertions.push(assertion('header location', 'exists', true, undefined, say.text('noLocation')));
    return { assertions, artifacts };
  }
  const url = new URL(exchange.location, exchange.url).toString();
  // The Location is the server's choice, as a redirect's is: credentials stay with their origin.
  const lowered = Object.fromEntries(Object.entries(readBackHeaders).map(([name, value]) => [name.toLowerCase(), value]));
  const step = exchange.url ? redirectStep(new URL(exchange.url), new URL(url), exchange.status, { method: 'GET', headers: lowered, body: undefined }, (value) => ctx.http.transport.isSecret(value)) : undefined;
  if (step && !step.follow) {
    const message = say.text('readBackRefused', { url, reason: step.refused.reason });
    assertions.push(assertion('read-back', 'eq', 'https', new URL(url).protocol.replace(':', ''), message));
    return { assertions, artifacts };
  }
  const headers = step?.request.headers ?? readBackHeaders;
  const notes = step?.dropped.length ? [`the Location is on another origin, so ${step.dropped.join(', ')} ${step.dropped.length === 1 ? 'was' : 'were'} not sent to ${new URL(url).origin}`] : [];
  try {
    const response = await ctx.http.request({ url, headers });
    artifacts.push({ name: 'read-back.http', mediaType: 'message/http', description: 'GET of the Location, reading the text back', data: transcript({ method: 'GET', url, headers }, response, notes) });
    const back: Exchange = { status: response.status, contentType: response.header('content-type'), bytes: response.body };
    assertions.push(assertion('read-back status', 'lt', 400, response.status), ...encodingAssertions(back, 'read-back '));
    const parsed = parseBody(back);
    const again = parsed.ok ? getPath(parsed.value, path) : undefined;
    assertions.push(assertion(`read-back ${path}`, 'eq', sent, again, tripMessage('storage (read back with GET)', path, sent, again)));
  } catch (error) {
    if (!(error instanceof NetError)) throw error;
    assertions.push(assertion('read-back', 'eq', 'response', error.message, say.text('readBackFailed', { url, cause: error.message })));
  }
  return { assertions, artifacts };
}
