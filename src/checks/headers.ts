import { assertion } from '../model/operators.js';
import { defineCheck } from './types.js';
import type { Assertion, Finding, Outcome } from '../model/outcome.js';
import { METHOD_WRITES_WHEN, methodWrites } from './writes.js';
import { NetError } from '../net/errors.js';
import { pathLabel } from '../net/url.js';

/** Parameters of the `headers` check type (mirrors `schema`). */
export interface HeadersParams {
  /** URL whose response headers are judged (a payment response, ideally). */
  url: string;
  /** HTTP method. */
  method: 'GET' | 'HEAD' | 'POST';
  /** Request headers (credentials from secrets or captures). */
  headers?: Record<string, string>;
  /** JSON request body. */
  json?: unknown;
  /** Smallest HSTS max-age accepted, in seconds. */
  minHstsMaxAge: number;
  /** Require `Cache-Control: no-store`. */
  requireNoStore: boolean;
}

/** 180 days: what the guidelines' reviewers and the HSTS preload list ask for as a minimum. */
const DEFAULT_MIN_HSTS = 15_552_000;
// Headers that name software (as usually spelt); a version in them tells an attacker which CVEs to try.
const DISCLOSING_HEADERS: Readonly<Record<string, string>> = {
  server: 'Server',
  'x-powered-by': 'X-Powered-By',
  'x-aspnet-version': 'X-AspNet-Version',
  'x-aspnetmvc-version': 'X-AspNetMvc-Version',
  'x-generator': 'X-Generator',
};
const VERSION = /\d+\.\d+|\/\s*v?\d/;
const ALWAYS_VERSIONED = new Set(['x-aspnet-version', 'x-aspnetmvc-version']);

interface Rule {
  /** Finding rule id. */
  rule: string;
  /** Assertion recorded. */
  assertion: Assertion;
}

export default defineCheck<HeadersParams>({
  name: 'headers',
  description: 'Security headers of a response: HSTS with a long max-age, Cache-Control: no-store on payment responses, X-Content-Type-Options: nosniff, no software version in Server or X-Powered-By.',
  // HSTS keeps clients on HTTPS (1.1.b); no-store keeps payment responses out of caches (PCI DSS,
  // 2.2.a); no software version on show and nosniff are the hardening of 2.3.a a probe can see.
  // Rate limits and allowlists are not headers.
  items: ['1.1.b', '2.2.a', '2.3.a'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'URL whose response is judged; use a payment endpoint so no-store is checked where it matters.' },
      method: { enum: ['GET', 'HEAD', 'POST'], default: 'GET', description: 'HTTP method.' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Request headers, e.g. Authorization: Bearer ${checks.oauth-token.token}.' },
      json: { description: 'Request body sent as JSON (with method POST).' },
      minHstsMaxAge: { type: 'integer', minimum: 0, default: DEFAULT_MIN_HSTS, description: 'Smallest Strict-Transport-Security max-age accepted, in seconds (default 180 days).' },
      requireNoStore: { type: 'boolean', default: true, description: 'Require Cache-Control: no-store (payment responses must not be cached).' },
    },
  },
  values: { status: 'HTTP status code', headers: 'response headers (lower-case names)' },
  example: { url: '${target.baseUrl}/v1/payments/${checks.payment-approve.paymentId}', headers: { Authorization: 'Bearer ${checks.oauth-token.token}' } },

  async run(params, ctx): Promise<Outcome> {
    const method = params.method ?? 'GET';
    const label = `${method} ${pathLabel(params.url)}`;
    let response;
    try {
      response = await ctx.http.request({ method, url: params.url, headers: params.headers, json: params.json, maxBodyBytes: 1024 * 1024 });
    } catch (err) {
      if (err instanceof NetError) return { status: 'error', summary: `${label}: ${err.message}` };
      throw err;
    }
    const minAge = params.minHstsMaxAge ?? DEFAULT_MIN_HSTS;
    const rules: Rule[] = [];

    const hsts = response.header('strict-transport-security');
    const maxAge = hsts === undefined ? undefined : Number(/(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(hsts)?.[1] ?? NaN);
    rules.push({
      rule: 'headers/hsts',
      assertion: assertion(
        'strict-transport-security max-age',
        'ge',
        minAge,
        maxAge,
        hsts === undefined
          ? `no Strict-Transport-Security header: send Strict-Transport-Security: max-age=31536000 (at least ${minAge})`
          : `Strict-Transport-Security "${hsts}" has a max-age below ${minAge} s: send max-age=31536000`,
      ),
    });

    if (params.requireNoStore ?? true) {
      const cacheControl = response.header('cache-control');
      // Directive tokens, so `no-store` is matched exactly (not inside another directive).
      const directives = (cacheControl ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
      rules.push({
        rule: 'headers/no-store',
        assertion: assertion('cache-control directives', 'contains', 'no-store', directives, `Cache-Control is ${cacheControl === undefined ? 'missing' : `"${cacheControl}"`}: send Cache-Control: no-store so payment data is never cached`),
      });
    }

    const nosniff = response.header('x-content-type-options');
    rules.push({
      rule: 'headers/nosniff',
      assertion: assertion('x-content-type-options', 'matches', '^\\s*nosniff\\s*$', nosniff, `X-Content-Type-Options is ${nosniff === undefined ? 'missing' : `"${nosniff}"`}: send X-Content-Type-Options: nosniff`),
    });

    for (const [name, spelt] of Object.entries(DISCLOSING_HEADERS)) {
      const value = response.header(name);
      if (value === undefined) continue;
      const versioned = ALWAYS_VERSIONED.has(name) || VERSION.test(value);
      rules.push({
        rule: 'headers/version-disclosure',
        assertion: { ...assertion(`${name} discloses a version`, 'eq', false, versioned), ...(versioned ? { message: `${spelt} discloses software versions ("${value}"): remove the version${name === 'server' ? '' : ' or the header'}` } : {}) },
      });
    }

    const failed = rules.filter((r) => !r.assertion.passed);
    const findings: Finding[] = failed.map((r) => ({ rule: r.rule, message: r.assertion.message ?? r.assertion.name, level: 'error' }));
    const assertions = rules.map((r) => r.assertion);
    const values = { status: response.status, headers: response.headers };
    if (failed.length > 0) {
      return { status: 'fail', summary: `${label}: ${findings[0]!.message}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`, assertions, findings, values };
    }
    const parts = [`HSTS max-age ${maxAge}`, ...(params.requireNoStore ?? true ? ['no-store'] : []), 'nosniff', 'no version disclosed'];
    return { status: 'pass', summary: `${label} -> ${response.status}: ${parts.join(', ')}`, assertions, values };
  },
});
