import { describe, expect, it } from 'vitest';
import { InteractionLog } from '../../src/model/interactions.js';
import { runCheck } from './harness.js';

const auth = { clientId: '${secrets.clientId}', clientSecret: '${secrets.clientSecret}' };

/** Runs `checks` (id -> [type, params]) against the sandbox with `faults` into one log, then the kpi check. */
async function kpiAfter(checks: Record<string, [string, Record<string, unknown>]>, kpi: Record<string, unknown>, faults: string[] = []) {
  const interactions = new InteractionLog();
  for (const [checkId, [type, params]] of Object.entries(checks)) {
    const { outcome } = await runCheck(type, params, { faults, interactions, checkId, timeoutMs: 20_000 });
    expect(['pass', 'fail'], `${checkId}: ${outcome.summary}`).toContain(outcome.status);
  }
  return (await runCheck('kpi', kpi, { faults, interactions, checkId: 'kpis' })).outcome;
}

const health = (n: number): Record<string, [string, Record<string, unknown>]> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`health-${i}`, ['http', { url: '${target.baseUrl}/health' }]]));

describe('kpi check over the run\'s interactions (real sandbox)', () => {
  it('passes the default thresholds over a clean run, declines and refusals included', async () => {
    const outcome = await kpiAfter({ ...health(3), approve: ['transaction', { scenario: 'approve', ...auth }], declines: ['transaction', { scenario: 'decline', ...auth }], refund: ['transaction', { scenario: 'refund-over', ...auth }] }, {});
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'met', data: { calls: expect.stringMatching(/^\d+ calls by 6 checks$/), endpoints: '' } });
    expect(outcome.summary).toMatch(/^\d+ calls by 6 checks: errorRate 0% < 1%, successRate 100% > 99%, p95 [\d.]+ m?s < 500 ms$/);
    expect(outcome.values).toMatchObject({ errorRate: 0, successRate: 100 });
    const table = JSON.parse(String(outcome.artifacts?.[0]?.data)) as { endpoints: Record<string, { requests: number }> };
    expect(Object.keys(table.endpoints)).toEqual(expect.arrayContaining(['GET /health', 'POST /v1/payments', 'POST /v1/payments/{id}/capture', 'GET /v1/payments/{id}', 'POST /oauth/token']));
  });

  it('fault slow-api: p95 well above the default threshold', async () => {
    const reads: Record<string, [string, Record<string, unknown>]> = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`read-${i}`, ['http', { url: '${target.baseUrl}/v1/payments/pay_000000000000000000000000', expect: { status: 401 } }]]));
    const outcome = await kpiAfter(reads, {}, ['slow-api']);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'missed', data: { threshold: 'overall p95', broken: 1 } });
    expect(outcome.summary).toMatch(/^overall p95 is \d+(\.\d+)? s, not below 500 ms$/);
  });

  it('fault flaky: error frequency and success rate, with the failures counted by status', async () => {
    const outcome = await kpiAfter({ currencies: ['transaction', { scenario: 'currency-exponent', ...auth, currencies: ['JPY', 'EUR', 'KWD', 'BHD'] }] }, {}, ['flaky']);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'missed', data: { threshold: 'overall errorRate', broken: 2, more: ' (and 1 more)' } });
    expect(outcome.summary).toMatch(/^overall errorRate is [\d.]+%, not below 1% \(\d+ of \d+ calls failed: 503 x\d+\) \(and 1 more\)$/);
  });

  it('exclude: leaves a check\'s calls out; checks: keeps only the named ones', async () => {
    const interactions = new InteractionLog();
    await runCheck('http', { url: '${target.baseUrl}/v1/payments' }, { interactions, checkId: 'unauthorised' });
    await runCheck('http', { url: '${target.baseUrl}/health' }, { interactions, checkId: 'healthy' });
    const all = await runCheck('kpi', { thresholds: ['successRate > 99%'] }, { interactions, checkId: 'kpis' });
    expect(all.outcome.message).toMatchObject({ id: 'missed', data: { first: 'overall successRate is 50%, not above 99%', more: '' } });
    const excluded = await runCheck('kpi', { thresholds: ['successRate > 99%'], exclude: ['unauthorised'] }, { interactions, checkId: 'kpis' });
    expect(excluded.outcome.status).toBe('pass');
    expect(excluded.outcome.message).toMatchObject({ id: 'met', data: { requests: 1 } });
    const only = await runCheck('kpi', { thresholds: ['requests == 1'], checks: ['healthy'] }, { interactions, checkId: 'kpis' });
    expect(only.outcome.message).toMatchObject({ id: 'met', data: { calls: '1 call by 1 check', met: 'requests 1 == 1' } });
  });

  it('per-endpoint thresholds name the endpoint that fails', async () => {
    const interactions = new InteractionLog();
    await runCheck('http', { url: '${target.baseUrl}/health' }, { interactions, checkId: 'healthy' });
    await runCheck('http', { url: '${target.baseUrl}/v1/payments' }, { interactions, checkId: 'unauthorised' });
    const per = await runCheck('kpi', { thresholds: ['requests >= 2'], perEndpoint: ['successRate > 99%'] }, { interactions, checkId: 'kpis' });
    expect(per.outcome.message).toMatchObject({ id: 'missed', data: { threshold: 'GET /v1/payments successRate', first: 'GET /v1/payments successRate is 0%, not above 99%' } });
    const named = await runCheck('kpi', { thresholds: ['requests >= 1'], endpoints: { 'GET /health': ['p99 < 0.001ms'] } }, { interactions, checkId: 'kpis' });
    expect(named.outcome.message).toMatchObject({ id: 'missed', data: { threshold: 'GET /health p99' } });
    expect(named.outcome.summary).toMatch(/^GET \/health p99 is [\d.]+ m?s, not below 0\.001 ms$/);
  });

  it('an endpoint that was never called is an error, with a suggestion', async () => {
    const interactions = new InteractionLog();
    await runCheck('http', { url: '${target.baseUrl}/health' }, { interactions, checkId: 'healthy' });
    const { outcome } = await runCheck('kpi', { endpoints: { 'GET /healht': ['p95 < 1s'] } }, { interactions, checkId: 'kpis' });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatchObject({ id: 'endpointNotCalled', data: { endpoint: 'GET /healht', suggestion: ': did you mean "GET /health"?', recorded: 'GET /health' } });
    expect(outcome.summary).toBe('no call to GET /healht was recorded: did you mean "GET /health"? (recorded endpoints: GET /health)');
  });

  it('no interactions to judge is an error, not a pass', async () => {
    const { outcome } = await runCheck('kpi', { minRequests: 5 }, { interactions: new InteractionLog(), checkId: 'kpis' });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toMatchObject({ id: 'tooFewCalls', data: { calls: '0 API calls', requests: 0, by: '', min: 5 } });
  });
});
