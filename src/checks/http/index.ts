import { check, getPath, matcherSchema, parseMatcher, type Matcher } from '../shared/assert.js';
import { describeFailure, assertion } from '../../model/operators.js';
import { errorBodyAssertions, errorBodySchema, type ErrorBodySpec } from '../shared/error-body.js';
import { legacyCheck } from '../types.js';
import type { Assertion, Outcome } from '../../model/outcome.js';
import { NO_SUCH_PATH, noSuchPath } from '../shared/no-such-path.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';
import { NetError } from '../../net/errors.js';
import { redirectNotes, withheldNote } from '../../net/redirect.js';
import { transcript } from '../../net/transcript.js';
import { pathLabel } from '../../net/url.js';

/** Parameters of the `http` check type (mirrors `schema` below). */
export interface HttpParams {
  /** HTTP method. */
  method: string;
  /** Absolute URL. */
  url: string;
  /** Request headers. */
  headers?: Record<string, string>;
  /** Raw request body. */
  body?: string;
  /** JSON request body. */
  json?: unknown;
  /** Form-encoded request body. */
  form?: Record<string, string>;
  /** Redirects to follow (0: assert on the 3xx itself). */
  followRedirects: number;
  /** Body size cap in bytes. */
  maxBodyBytes?: number;
  /** Fail unless the URL, and every redirect, is https. */
  requireHttps: boolean;
  /** Assertions on the response. */
  expect?: {
    status?: Matcher;
    headers?: Record<string, Matcher>;
    json?: Record<string, Matcher>;
    body?: Matcher;
    durationMs?: Matcher;
    problem?: ErrorBodySpec;
  };
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export default legacyCheck<HttpParams>({
  name: 'http',
  description: 'One HTTP request with assertions on status, headers, JSON body paths and response time; HTTPS-only and auth-required probes.',
  // One request with assertions: an endpoint answers (1.1.a), over HTTPS (1.1.b), in JSON
  // (1.3.a); a test transaction through a key flow (5.2.b); an error body that is clear and says
  // what to do (6.2.a, 6.2.b); a published data-processing document (7.2.b). Whether a policy is
  // strong (7.2.a) needs a person.
  items: ['1.1.a', '1.1.b', '1.3.a', '5.2.b', '6.2.a', '6.2.b', '7.2.b'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'], default: 'GET', description: 'HTTP method.' },
      url: { type: 'string', minLength: 1, description: 'Absolute URL, e.g. ${target.baseUrl}/v1/payments.' },
      headers: { ...stringMap, description: 'Request headers; credentials must come from ${secrets.x} or ${checks.id.capture}.' },
      body: { type: 'string', description: 'Raw request body.' },
      json: { description: 'Request body sent as JSON.' },
      form: { ...stringMap, description: 'Request body sent as application/x-www-form-urlencoded.' },
      followRedirects: { type: 'integer', minimum: 0, maximum: 20, default: 0, description: 'Redirects to follow; 0 asserts on the redirect itself.' },
      maxBodyBytes: { type: 'integer', minimum: 1, description: 'Response body cap in bytes (default 10 MB).' },
      requireHttps: { type: 'boolean', default: false, description: 'Fail unless the URL and every redirect use https.' },
      expect: {
        type: 'object',
        additionalProperties: false,
        description: 'Assertions on the response; without `status`, any status below 400 passes (unless `problem` is set).',
        properties: {
          status: { ...matcherSchema, description: 'Status: 200, [200, 201], "2xx" or { ge: 200, lt: 300 }.' },
          headers: { type: 'object', additionalProperties: matcherSchema, description: 'Header name (any case) -> matcher.' },
          json: { type: 'object', additionalProperties: matcherSchema, description: 'JSON body path (a.b[0].c) -> matcher.' },
          body: { ...matcherSchema, description: 'Matcher on the body text.' },
          durationMs: { ...matcherSchema, description: 'Matcher on the response time in milliseconds, e.g. { lt: 500 }.' },
          problem: errorBodySchema,
        },
      },
    },
  },
  values: {
    status: 'HTTP status code',
    headers: 'response headers (lower-case names)',
    body: 'the body parsed as JSON, or its text',
    durationMs: 'response time in milliseconds',
    url: 'final URL after redirects',
    response: 'status, headers and body together (for a schema check: response: ${checks.<id>.response})',
  },
  example: {
    method: 'GET',
    url: '${target.baseUrl}/health',
    expect: { status: 200, headers: { 'content-type': { matches: '^application/json' } } },
  },

  async run(params, ctx): Promise<Outcome> {
    const method = params.method ?? 'GET';
    const label = `${method} ${pathLabel(params.url)}`;
    let response;
    try {
      response = await ctx.http.request({
        method,
        url: params.url,
        headers: params.headers,
        body: params.body,
        json: params.json,
        form: params.form,
        maxRedirects: params.followRedirects,
        maxBodyBytes: params.maxBodyBytes,
        ...(provoked(params.expect?.status) ? { expected: { status: provoked(params.expect?.status) } } : {}),
      });
    } catch (err) {
      if (!(err instanceof NetError)) throw err;
      if (params.requireHttps && new URL(params.url).protocol === 'http:' && ['refused', 'closed', 'reset'].includes(err.kind)) {
        // A plain-HTTP URL that refuses connections is what an HTTPS-only service should do.
        return { status: 'pass', summary: `${label}: plain HTTP refused (${err.message})` };
      }
      return { status: 'error', summary: `${label}: ${err.message}` };
    }

    const requestBody = params.body ?? (params.json !== undefined ? JSON.stringify(params.json) : params.form ? new URLSearchParams(params.form).toString() : undefined);
    const evidence = {
      name: 'transcript.http',
      mediaType: 'message/http',
      description: `${label} request and response`,
      data: transcript({ method, url: params.url, headers: params.headers, body: requestBody }, response, redirectNotes(response)),
    };
    if (response.refused) {
      // Not followed: the answer at the end of the chain is unknown. A downgrade to plain HTTP is
      // the target's defect; a body the target wants sent to another origin is one payready will not send.
      const { status, location, kind, reason } = response.refused;
      const message = `${status} redirect to ${location} not followed: ${reason}`;
      return {
        status: kind === 'downgrade' ? 'fail' : 'error',
        summary: `${label}: ${message}`,
        assertions: [assertion('redirect', 'eq', kind === 'downgrade' ? 'https' : 'same origin', kind === 'downgrade' ? 'http' : new URL(location).origin, message)],
        artifacts: [evidence],
      };
    }

    const text = response.text();
    const parsed = parseJson(text);
    const expect = params.expect ?? {};
    const assertions: Assertion[] = [];

    if (params.requireHttps) {
      const plain = [params.url, ...response.redirects].filter((url) => new URL(url).protocol !== 'https:');
      const redirectsToHttps = response.status >= 300 && response.status < 400 && /^https:/i.test(response.header('location') ?? '');
      assertions.push(
        assertion('scheme', 'eq', 'https', plain.length === 0 || redirectsToHttps ? 'https' : 'http', `${plain[0] ?? params.url} is served over plain HTTP: serve it over HTTPS only (refuse or redirect)`),
      );
    }
    // Without an expected status, below 400 passes, unless the check is about an error response.
    const defaultStatus = expect.problem === undefined ? [assertion('status', 'lt', 400, response.status)] : [];
    assertions.push(...(expect.status === undefined ? defaultStatus : check('status', response.status, expect.status, { statusClass: true })));
    for (const [name, matcher] of Object.entries(expect.headers ?? {})) {
      assertions.push(...check(`header ${name.toLowerCase()}`, response.header(name), matcher));
    }
    if (expect.json) {
      if (parsed.ok) {
        for (const [path, matcher] of Object.entries(expect.json)) assertions.push(...check(`body.${path.replace(/^\$\.?/, '')}`, getPath(parsed.value, path), matcher));
      } else {
        assertions.push(assertion('body', 'type', 'object', typeof text, `response body is not JSON (${parsed.error})`));
      }
    }
    if (expect.body !== undefined) assertions.push(...check('body', text, expect.body));
    if (expect.problem !== undefined) assertions.push(...errorBodyAssertions({ status: response.status, contentType: response.header('content-type'), text }, expect.problem));
    if (expect.durationMs !== undefined) assertions.push(...check('durationMs', round(response.durationMs), expect.durationMs));

    const failed = assertions.filter((a) => !a.passed);
    // A 404/405 where the suite expected another status: the configured URL is not on this API
    // (a check that asks for 404 passes on it, and one judging any error body judges this one).
    const missing = NO_SUCH_PATH.has(response.status) && failed.some((a) => a.name === 'status');
    // Credentials left behind at a redirect explain a 401 from the other origin, and are worth knowing on a pass.
    const withheld = withheldNote(response);
    const outcome: Outcome = {
      status: missing ? 'error' : failed.length === 0 ? 'pass' : 'fail',
      ...(missing ? { cause: 'setup' as const } : {}),
      summary:
        (missing
          ? `${label}: ${noSuchPath(method, response.url, { status: response.status, body: parsed.ok ? parsed.value : undefined, ...(response.header('allow') ? { allow: response.header('allow') } : {}) }, 'check the URL (its base, e.g. the environment\'s baseUrl, and its path) and the method')}`
          : failed.length === 0
          ? `${label} -> ${response.status} in ${round(response.durationMs)} ms`
          : `${label}: ${describeFailure(failed[0]!)}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`) + (withheld ? ` (${withheld})` : ''),
      assertions,
      measurements: [
        { name: 'time to first byte', value: response.ttfbMs, unit: 'ms' },
        { name: 'response time', value: response.durationMs, unit: 'ms' },
        { name: 'response size', value: response.body.length, unit: 'B' },
      ],
      artifacts: [evidence],
      values: {
        status: response.status,
        headers: response.headers,
        body: parsed.ok ? parsed.value : text,
        durationMs: response.durationMs,
        url: response.url,
        response: { status: response.status, headers: response.headers, body: parsed.ok ? parsed.value : text },
      },
    };
    return outcome;
  },
});

/**
 * Error statuses the suite asks for on purpose (`status: 401` on an auth-required probe): the
 * interaction log marks them expected, so KPIs do not count a refusal the check wanted as a failure.
 */
function provoked(matcher: Matcher | undefined): number[] | undefined {
  if (matcher === undefined) return undefined;
  const statuses = parseMatcher(matcher, { statusClass: true }).flatMap(({ operator, expected }) => {
    if (operator === 'eq' && typeof expected === 'number') return [expected];
    if (operator === 'in' && Array.isArray(expected)) return expected.filter((x): x is number => typeof x === 'number');
    const cls = operator === 'matches' && typeof expected === 'string' ? /^\^([1-5])\\d\\d\$$/.exec(expected)?.[1] : undefined;
    return cls ? Array.from({ length: 100 }, (_, i) => Number(cls) * 100 + i) : [];
  });
  const errors = statuses.filter((status) => status >= 400);
  return errors.length > 0 ? errors : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: text.length === 0 ? 'empty body' : (err as Error).message };
  }
}


function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
