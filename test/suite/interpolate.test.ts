import { describe, expect, it } from 'vitest';
import { interpolate, InterpolationError, parseTemplate, referencesIn, type Scope } from '../../src/suite/interpolate.js';

const scope: Scope = {
  env: { HOME_REGION: 'eu-west-1', EMPTY: '' },
  vars: { currency: 'EUR', limits: { daily: 1000, perTx: 50 }, list: ['a', 'b'], flag: false, nothing: null },
  secrets: { clientSecret: 's3cr3t' },
  target: { baseUrl: 'https://127.0.0.1:8443', port: 8443 },
  checks: { 'oauth-token': { token: 'tok-123', body: { id: 'pay_1' } } },
};

describe('interpolate', () => {
  it('keeps the type of a whole-string reference', () => {
    expect(interpolate('${vars.limits.daily}', scope)).toBe(1000);
    expect(interpolate('${target.port}', scope)).toBe(8443);
    expect(interpolate('${vars.flag}', scope)).toBe(false);
    expect(interpolate('${vars.nothing}', scope)).toBeNull();
    expect(interpolate('${vars.limits}', scope)).toEqual({ daily: 1000, perTx: 50 });
    expect(interpolate('${vars.list.1}', scope)).toBe('b');
  });

  it('joins references inside text as strings', () => {
    expect(interpolate('${target.baseUrl}/v1?max=${vars.limits.daily}&c=${vars.currency}', scope)).toBe('https://127.0.0.1:8443/v1?max=1000&c=EUR');
    expect(interpolate('Bearer ${checks.oauth-token.token}', scope)).toBe('Bearer tok-123');
    expect(interpolate('limits=${vars.limits}', scope)).toBe('limits={"daily":1000,"perTx":50}');
    expect(interpolate('region ${env.HOME_REGION}${env.EMPTY}!', scope)).toBe('region eu-west-1!');
  });

  it('treats $${ as a literal ${ and a lone $ as text', () => {
    expect(interpolate('cost: $5, template: $${vars.currency}', scope)).toBe('cost: $5, template: ${vars.currency}');
    expect(interpolate('$$', scope)).toBe('$$');
  });

  it('copies deeply, resolving strings at every depth but never keys', () => {
    const input = { '${vars.currency}': ['${target.port}', { n: '${vars.limits.perTx}' }], plain: 7 };
    const out = interpolate(input, scope);
    expect(out).toEqual({ '${vars.currency}': [8443, { n: 50 }], plain: 7 });
    expect(out).not.toBe(input);
    const copied = interpolate('${vars.limits}', scope) as Record<string, number>;
    copied.daily = 0;
    expect(scope.vars.limits).toEqual({ daily: 1000, perTx: 50 });
  });

  it('keeps a "__proto__" key as data instead of changing the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": "${vars.currency}"}}') as unknown;
    const out = interpolate(input, scope) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['${env.MISSING}', 'environment variable MISSING is not set'],
    ['${vars.limits.weekly}', 'variable "limits.weekly" is not defined'],
    ['${vars.constructor}', 'variable "constructor" is not defined'],
    ['${secrets.apiKey}', 'secret "apiKey" is not available'],
    ['${target.host}', 'target field "host" is not defined'],
    ['${checks.refund.id}', 'check "refund" has captured nothing'],
    ['${checks.oauth-token.refresh}', 'check "oauth-token" did not capture "refresh"'],
    ['${other.x}', 'unknown namespace "other"'],
  ])('throws an InterpolationError naming %s', (text, why) => {
    let caught: unknown;
    try {
      interpolate({ deep: [`x ${text}`] }, scope);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InterpolationError);
    expect((caught as InterpolationError).reference).toBe(text);
    expect((caught as Error).message).toContain(text);
    expect((caught as Error).message).toContain(why);
  });

  it('rejects malformed references at run time too', () => {
    expect(() => interpolate('${vars.currency', scope)).toThrow(/unterminated reference/);
    expect(() => interpolate('${vars}', scope)).toThrow(/malformed reference \$\{vars\}/);
  });
});

describe('parseTemplate', () => {
  it('splits text and references with their offsets', () => {
    expect(parseTemplate('a${vars.x}b$${c}')).toEqual({
      ok: true,
      parts: [{ text: 'a' }, { ref: { raw: '${vars.x}', namespace: 'vars', path: ['x'], offset: 1 } }, { text: 'b${c}' }],
    });
    expect(referencesIn('${checks.oauth-token.token} ${env.A_B}').map((ref) => [ref.namespace, ref.path])).toEqual([
      ['checks', ['oauth-token', 'token']],
      ['env', ['A_B']],
    ]);
  });

  it.each(['${}', '${ vars.x }', '${vars..x}', '${vars.${env.X}}', '${1vars.x}'])('reports %s as malformed', (text) => {
    const parsed = parseTemplate(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? -1 : parsed.offset).toBe(0);
  });
});
