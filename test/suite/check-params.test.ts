import { describe, expect, it } from 'vitest';
import { SuiteError, formatSuiteError } from '../../src/suite/errors.js';
import { parseSuite } from '../../src/suite/load.js';

const HEAD = `suite: params
title: Parameters of the transaction, kpi and load check types
environments:
  sandbox: { embedded: true }
checks:
  - id: oauth-token
    type: http
    section: "1.1"
    with: { method: POST, url: "\${target.tokenUrl}" }
    capture:
      token: { from: body.access_token, secret: true }
      plain: body.token_type
`;

/** Loads a suite made of HEAD plus `checks`, against the real registry; the formatted error or 'ok'. */
async function outcome(checks: string): Promise<string> {
  try {
    await parseSuite(`${HEAD}${checks}`, 'suites/params.yaml', { env: {} });
    return 'ok';
  } catch (err) {
    if (!(err instanceof SuiteError)) throw err;
    return formatSuiteError(err);
  }
}

describe('transaction parameters', () => {
  it('accepts a token from a capture marked secret', async () => {
    expect(await outcome(`  - id: pay
    type: transaction
    section: "5.2"
    with: { scenario: approve, token: "\${checks.oauth-token.token}" }
`)).toBe('ok');
  });

  it('refuses a token from a capture that is not marked secret, and a literal token', async () => {
    const text = await outcome(`  - id: pay
    type: transaction
    section: "5.2"
    with: { scenario: approve, token: "\${checks.oauth-token.plain}" }
  - id: pay-literal
    type: transaction
    section: "5.2"
    with: { scenario: approve, token: eyJhbGciOiJFUzI1NiJ9.literal }
`);
    expect(text).toContain('parameter "token" of check "pay" reads ${checks.oauth-token.plain}, a capture not marked secret');
    expect(text).toContain('add secret: true to capture "plain" of check "oauth-token": plain: { from: body.token_type, secret: true }');
    expect(text).toContain('parameter "token" of check "pay-literal" holds a literal credential');
    expect(text).not.toContain('eyJhbGciOiJFUzI1NiJ9.literal');
  });

  // The caps may come from the provider's profile (Stripe documents its maximum; it has no daily
  // cap, and daily-cap skips): a scenario without one ends error capMissing/dailyCapMissing at run
  // time (test/checks/transaction.test.ts), not as a suite error.
  it('accepts over-limit and daily-cap without caps: the provider profile may give them', async () => {
    const text = await outcome(`  - id: over
    type: transaction
    section: "3.1"
    with: { scenario: over-limit }
  - id: daily
    type: transaction
    section: "3.1"
    with: { scenario: daily-cap, cap: 1000 }
`);
    expect(text).toBe('ok');
  });

  it('names an unknown scenario and suggests the closest', async () => {
    expect(await outcome(`  - id: pay
    type: transaction
    section: "5.2"
    with: { scenario: aprove }
`)).toContain('invalid value "aprove" for with.scenario in check "pay"');
  });
});

describe('kpi and load thresholds', () => {
  it('accepts k6-style expressions, per endpoint too', async () => {
    expect(await outcome(`  - id: kpis
    type: kpi
    section: "3.2"
    with:
      thresholds: ["p95 < 300ms", "p(99.9) <= 2s", "errorRate < 1%", "successRate >= 0.99", "requests >= 10", "rps > 5/s", "avg < 120", "max < 900us"]
      endpoints: { "GET /v1/payments/{id}": ["p99 < 1s"] }
      exclude: [oauth-token]
  - id: burst
    type: load
    section: "3.2"
    with: { url: "\${target.baseUrl}/health", duration: 2s, rate: 50, thresholds: ["rps > 40", "p50 < 10ms"] }
`)).toBe('ok');
  });

  it('refuses a bad expression at load time, located, with the grammar in words', async () => {
    const text = await outcome(`  - id: kpis
    type: kpi
    section: "3.2"
    with:
      thresholds: ["p95 < 300ms", "p95 < 1%", "errorRate < 5", "latency < 3s"]
`);
    expect(text).toContain('error: invalid value "p95 < 1%" for with.thresholds[1] in check "kpis": expected a threshold such as "p95 < 300ms"');
    expect(text).toContain('invalid value "errorRate < 5" for with.thresholds[2]');
    expect(text).toContain('invalid value "latency < 3s" for with.thresholds[3]');
    expect(text).toMatch(/--> suites\/params\.yaml:17:35/);
    expect(text).not.toContain('"p95 < 300ms" for');
  });

  it('refuses an exclude: that names no check, with a suggestion', async () => {
    const text = await outcome(`  - id: kpis
    type: kpi
    section: "3.2"
    with: { exclude: [oauth-tokn] }
`);
    expect(text).toContain('error: no check has id "oauth-tokn"');
    expect(text).toContain('did you mean "oauth-token"?');
  });
});
