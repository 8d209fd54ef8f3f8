import { check, getPath, parseMatcher, type Matcher } from '../shared/assert.js';
import { describeFailure, assertion } from '../../model/operators.js';
import { errorBodyAssertions, type ErrorBodySpec } from '../shared/error-body.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import type { Assertion, Outcome } from '../../model/outcome.js';
import { NO_SUCH_PATH, noSuchPath } from '../shared/no-such-path.js';
import { NetError } from '../../net/errors.js';
import { redirectNotes, withheldNote } from '../../net/redirect.js';
import { transcript } from '../../net/transcript.js';
import { pathLabel } from '../../net/url.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

const say = messenger(messages);

/** Sends one request and judges the answer against `expect`. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const { method } = params;
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
      return say.outcome('pass', 'plainRefused', { label, cause: err.message });
    }
    return say.outcome('error', 'unreachable', { label, cause: err.message });
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
    const refusal = { status, location, reason };
    const rest = {
      assertions: [assertion('redirect', 'eq', kind === 'downgrade' ? 'https' : 'same origin', kind === 'downgrade' ? 'http' : new URL(location).origin, say.text('redirectRefused', refusal))],
      artifacts: [evidence],
    };
    return kind === 'downgrade' ? say.outcome('fail', 'downgraded', { label, ...refusal }, rest) : say.outcome('error', 'offOrigin', { label, ...refusal }, rest);
  }

  const text = response.text();
  const parsed = parseJson(text);
  const expect = params.expect ?? {};
  // The shared errorBodySchema is typed loosely (JsonSchema), so the schema types `problem` as
  // unknown; ajv has validated it against that schema, which is ErrorBodySpec.
  const problem = expect.problem as ErrorBodySpec | undefined;
  const assertions: Assertion[] = [];

  if (params.requireHttps) {
    const plain = [params.url, ...response.redirects].filter((url) => new URL(url).protocol !== 'https:');
    const redirectsToHttps = response.status >= 300 && response.status < 400 && /^https:/i.test(response.header('location') ?? '');
    assertions.push(
      assertion('scheme', 'eq', 'https', plain.length === 0 || redirectsToHttps ? 'https' : 'http', say.text('plainHttp', { url: plain[0] ?? params.url })),
    );
  }
  // Without an expected status, below 400 passes, unless the check is about an error response.
  const defaultStatus = problem === undefined ? [assertion('status', 'lt', 400, response.status)] : [];
  assertions.push(...(expect.status === undefined ? defaultStatus : check('status', response.status, expect.status, { statusClass: true })));
  for (const [name, matcher] of Object.entries(expect.headers ?? {})) {
    assertions.push(...check(`header ${name.toLowerCase()}`, response.header(name), matcher));
  }
  if (expect.json) {
    if (parsed.ok) {
      for (const [path, matcher] of Object.entries(expect.json)) assertions.push(...check(`body.${path.replace(/^\$\.?/, '')}`, getPath(parsed.value, path), matcher));
    } else {
      assertions.push(assertion('body', 'type', 'object', typeof text, say.text('notJson', { error: parsed.error })));
    }
  }
  if (expect.body !== undefined) assertions.push(...check('body', text, expect.body));
  if (problem !== undefined) assertions.push(...errorBodyAssertions({ status: response.status, contentType: response.header('content-type'), text }, problem));
  if (expect.durationMs !== undefined) assertions.push(...check('durationMs', round(response.durationMs), expect.durationMs));

  const failed = assertions.filter((a) => !a.passed);
  // A 404/405 where the suite expected another status: the configured URL is not on this API
  // (a check that asks for 404 passes on it, and one judging any error body judges this one).
  const missing = NO_SUCH_PATH.has(response.status) && failed.some((a) => a.name === 'status');
  // Credentials left behind at a redirect explain a 401 from the other origin, and are worth knowing on a pass.
  const note = withheldNote(response);
  const withheld = note ? ` (${note})` : '';
  const rest = {
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
  if (missing) {
    const allow = response.header('allow');
    const answer = { status: response.status, body: parsed.ok ? parsed.value : undefined, ...(allow ? { allow } : {}) };
    const detail = noSuchPath(method, response.url, answer, 'check the URL (its base, e.g. the environment\'s baseUrl, and its path) and the method');
    return { ...say.outcome('error', 'noSuchPath', { label, detail, withheld }, rest), cause: 'setup' };
  }
  if (failed.length > 0) {
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    return say.outcome('fail', 'failed', { label, first: describeFailure(failed[0]!), more, withheld, assertion: failed[0]!.name }, rest);
  }
  return say.outcome('pass', 'answered', { label, status: response.status, ms: round(response.durationMs), withheld }, rest);
}

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
