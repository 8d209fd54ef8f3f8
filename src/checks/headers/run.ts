import { assertion } from '../../model/operators.js';
import type { Assertion, Finding, Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import { pathLabel } from '../../net/url.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

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
const say = messenger(messages);

interface Rule {
  /** Finding rule id. */
  rule: string;
  /** Assertion recorded. */
  assertion: Assertion;
}

const quoted = (value: string | undefined): string => (value === undefined ? 'missing' : `"${value}"`);

/** Requests the URL once and judges the security headers of the answer. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const label = `${params.method} ${pathLabel(params.url)}`;
  let response;
  try {
    response = await ctx.http.request({ method: params.method, url: params.url, headers: params.headers, json: params.json, maxBodyBytes: 1024 * 1024 });
  } catch (err) {
    if (err instanceof NetError) return say.outcome('error', 'unreachable', { label, cause: err.message });
    throw err;
  }
  const min = params.minHstsMaxAge;
  const rules: Rule[] = [];

  const hsts = response.header('strict-transport-security');
  const maxAge = hsts === undefined ? undefined : Number(/(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(hsts)?.[1] ?? NaN);
  rules.push({
    rule: 'headers/hsts',
    assertion: assertion('strict-transport-security max-age', 'ge', min, maxAge, hsts === undefined ? say.text('hstsMissing', { min }) : say.text('hstsShort', { value: hsts, min })),
  });

  if (params.requireNoStore) {
    const cacheControl = response.header('cache-control');
    // Directive tokens, so `no-store` is matched exactly (not inside another directive).
    const directives = (cacheControl ?? '').split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
    rules.push({ rule: 'headers/no-store', assertion: assertion('cache-control directives', 'contains', 'no-store', directives, say.text('cacheable', { value: quoted(cacheControl) })) });
  }

  const nosniff = response.header('x-content-type-options');
  rules.push({ rule: 'headers/nosniff', assertion: assertion('x-content-type-options', 'matches', '^\\s*nosniff\\s*$', nosniff, say.text('sniffable', { value: quoted(nosniff) })) });

  for (const [name, spelt] of Object.entries(DISCLOSING_HEADERS)) {
    const value = response.header(name);
    if (value === undefined) continue;
    const versioned = ALWAYS_VERSIONED.has(name) || VERSION.test(value);
    rules.push({
      rule: 'headers/version-disclosure',
      assertion: { ...assertion(`${name} discloses a version`, 'eq', false, versioned), ...(versioned ? { message: say.text('versionDisclosed', { header: spelt, value, orHeader: name === 'server' ? '' : ' or the header' }) } : {}) },
    });
  }

  const failed = rules.filter((r) => !r.assertion.passed);
  const findings: Finding[] = failed.map((r) => ({ rule: r.rule, message: r.assertion.message ?? r.assertion.name, level: 'error' }));
  const assertions = rules.map((r) => r.assertion);
  const values = { status: response.status, headers: response.headers };
  if (failed.length > 0) {
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
    return say.outcome('fail', 'weak', { label, first: findings[0]!.message, more }, { assertions, findings, values });
  }
  const parts = [`HSTS max-age ${maxAge}`, ...(params.requireNoStore ? ['no-store'] : []), 'nosniff', 'no version disclosed'];
  return say.outcome('pass', 'secure', { label, status: response.status, parts: parts.join(', ') }, { assertions, values });
}
