import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkTable, runCheck, type CheckCase } from './harness.js';
import { SandboxClient } from '../support/sandbox.js';
import { Redactor } from '../../src/evidence/redact.js';

/** The check gets its own token with the sandbox's client credentials (the harness's secrets). */
const auth = { clientId: '${secrets.clientId}', clientSecret: '${secrets.clientSecret}' };
const caps = { cap: '${target.transactionCap}' };

const PAY = expect.stringMatching(/^pay_[0-9a-f]{24}$/);

const cases: CheckCase[] = [
  { name: 'approve: authorise, capture, read back', params: { scenario: 'approve', ...auth }, status: 'pass', message: 'approved', data: { scenario: 'approve', amount: '10.00 EUR', paymentId: PAY, calls: expect.stringMatching(/^\d+ calls$/) } },
  { name: 'decline: every test card with its code', params: { scenario: 'decline', ...auth }, status: 'pass', message: 'declined', data: { cards: '4 test methods', codes: 'do_not_honor, insufficient_funds, expired_card, stolen_card' } },
  {
    name: 'decline: a card that is approved fails, naming the card and the expected code',
    params: { scenario: 'decline', ...auth, declines: [{ method: { type: 'card', number: '4111111111111111', expiryMonth: 12, expiryYear: 2034, cvc: '737' }, code: 'insufficient_funds' }] },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'declineApproved', more: '' },
    summary: /^decline: card •••• 1111 was "authorised" \(pay_[0-9a-f]+\) but must be declined with insufficient_funds$/,
  },
  {
    name: 'decline: a wrong documented code fails',
    params: { scenario: 'decline', ...auth, declines: [{ method: { type: 'card', number: '4000000000009995', expiryMonth: 12, expiryYear: 2034, cvc: '737' }, code: 'do_not_honor' }] },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'declineCode', first: 'card •••• 9995 was declined with "insufficient_funds", not the documented "do_not_honor"' },
  },
  { name: 'over-limit: refused with 422, split fallback completes', params: { scenario: 'over-limit', ...auth, ...caps }, status: 'pass', message: 'overLimitSplit', data: { total: '15,000.00 EUR', cap: '10,000.00 EUR', refusal: '422 transaction_cap_exceeded', parts: 2, amounts: '7,500.00 EUR + 7,500.00 EUR' } },
  { name: 'over-limit: alternate fallback (bank transfer)', params: { scenario: 'over-limit', ...auth, ...caps, fallback: 'alternate', currency: 'USD' }, status: 'pass', message: 'overLimitAlternate', data: { method: 'bank_transfer' } },
  { name: 'over-limit: three-way split of an uneven amount', params: { scenario: 'over-limit', ...auth, ...caps, amount: 2_000_002, currency: 'CHF' }, status: 'pass', message: 'overLimitSplit', data: { parts: 3, amounts: '6,666.68 CHF + 6,666.67 CHF + 6,666.67 CHF' } },
  {
    name: 'fault no-cap: the over-limit payment is accepted',
    faults: ['no-cap'],
    params: { scenario: 'over-limit', ...auth, ...caps },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'refusalAccepted' },
    summary: /^over-limit: a payment of 15,000\.00 EUR over the 10,000\.00 EUR cap was accepted \(201, pay_[0-9a-f]+\) but must be refused with a 4xx$/,
  },
  {
    name: 'fault cap-500: a server error instead of a 4xx',
    faults: ['cap-500'],
    params: { scenario: 'over-limit', ...auth, ...caps },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'refusalServerError', first: expect.stringMatching(/^a payment of 15,000\.00 EUR over the 10,000\.00 EUR cap answered 500 \(a server error\) instead of a documented 4xx refusal/) },
  },
  { name: 'over-limit: an undocumented refusal code fails', params: { scenario: 'over-limit', ...auth, ...caps, capErrorCode: 'amount_too_large', currency: 'SEK' }, status: 'fail', message: 'failed', data: { firstId: 'refusalCode', first: expect.stringContaining('refused with 422 "transaction_cap_exceeded", not the documented "amount_too_large"') } },
  {
    name: 'daily-cap: refused past the cap, alternate route takes it',
    params: { scenario: 'daily-cap', ...auth, ...caps, dailyCap: '${target.dailyCap}', currency: 'GBP' },
    status: 'pass',
    message: 'dailyCapAlternate',
    data: { payments: '2 payments', authorised: '20,000.00 GBP', each: '10,000.00 GBP', refusal: '422 daily_cap_exceeded', method: 'bank_transfer' },
    summary: /^daily-cap: daily cap held: after 2 payments \(20,000\.00 GBP\) the next 10,000\.00 GBP was refused with 422 daily_cap_exceeded; the alternate route \(bank_transfer\) took it$/,
  },
  { name: 'daily-cap: a suite stating a higher cap than enforced still sees the refusal', params: { scenario: 'daily-cap', ...auth, dailyCap: 5_000_000, amount: 1_000_000, currency: 'USD' }, status: 'pass', message: 'dailyCapAlternate', data: { payments: '2 payments', authorised: '20,000.00 USD', each: '10,000.00 USD', refusal: '422 daily_cap_exceeded' } },
  { name: "over-limit without a cap (payready's profile states none) cannot be judged", params: { scenario: 'over-limit', ...auth }, status: 'error', message: 'capMissing' },
  { name: 'daily-cap without a daily cap cannot be judged', params: { scenario: 'daily-cap', ...auth }, status: 'error', message: 'dailyCapMissing' },
  { name: 'idempotency-replay: charged once, different body refused', params: { scenario: 'idempotency-replay', ...auth }, status: 'pass', message: 'replayed', data: { paymentId: PAY, count: '1 payment for the order', status: 422 } },
  {
    name: 'fault no-idempotency: the replay charges twice',
    faults: ['no-idempotency'],
    params: { scenario: 'idempotency-replay', ...auth },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'replayNewPayment', first: expect.stringMatching(/^same Idempotency-Key charged twice: pay_[0-9a-f]{24} and pay_[0-9a-f]{24}$/) },
  },
  { name: 'timeout-retry: one payment after a timeout and a retry', params: { scenario: 'timeout-retry', ...auth, firstAttemptTimeoutMs: 200, delayMs: 1500 }, status: 'pass', message: 'retriedOnce', data: { timeout: '200 ms', status: '201', paymentId: PAY } },
  {
    name: 'fault no-idempotency: the retry after a timeout charges twice',
    faults: ['no-idempotency'],
    params: { scenario: 'timeout-retry', ...auth, firstAttemptTimeoutMs: 200, delayMs: 1500 },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'chargedMore', first: expect.stringMatching(/^the retry after a timeout charged twice: pay_[0-9a-f]+ and pay_[0-9a-f]+$/) },
  },
  { name: 'timeout-retry: a target that ignores the delay header cannot be judged', params: { scenario: 'timeout-retry', ...auth, delayHeader: 'X-Not-Honoured', firstAttemptTimeoutMs: 2000 }, status: 'error', message: 'delayIgnored', data: { status: '201', timeout: '2 s', header: 'X-Not-Honoured' } },
  { name: 'refund-partial', params: { scenario: 'refund-partial', ...auth, amount: 2500, refundAmount: 1000 }, status: 'pass', message: 'refundedPart', data: { part: '10.00 EUR', amount: '25.00 EUR', paymentId: PAY, refundId: expect.stringMatching(/^re_[0-9a-f]+$/) } },
  { name: 'refund-full', params: { scenario: 'refund-full', ...auth }, status: 'pass', message: 'refundedFull', data: { amount: '10.00 EUR', paymentId: PAY } },
  { name: 'refund-over: refused', params: { scenario: 'refund-over', ...auth }, status: 'pass', message: 'overRefundRefused', data: { over: '10.01 EUR', amount: '10.00 EUR', refusal: '422 refund_exceeds_captured' } },
  {
    name: 'currency-exponent: JPY, EUR, KWD',
    params: { scenario: 'currency-exponent', ...auth },
    status: 'pass',
    message: 'roundTripped',
    data: { value: 1230, currencies: '1,230 JPY (0), 12.30 EUR (2), 1.230 KWD (3)' },
    summary: /^currency-exponent: 1230 minor units round-tripped exactly in 1,230 JPY \(0\), 12\.30 EUR \(2\), 1\.230 KWD \(3\)$/,
  },
  { name: 'currency-exponent: a currency the provider refuses fails', params: { scenario: 'currency-exponent', ...auth, currencies: ['JPY', 'OMR'] }, status: 'fail', message: 'failed', data: { firstId: 'stepStatus', first: expect.stringMatching(/^authorising 1\.230 OMR answered 422 validation_failed, expected 200 or 201/) } },
  { name: 'currency-exponent: a currency payready does not know is an error', params: { scenario: 'currency-exponent', ...auth, currencies: ['EUR', 'XYZ'] }, status: 'error', message: 'unknownCurrency', data: { currency: 'XYZ' } },
  { name: 'amount-bounds: every bad amount refused', params: { scenario: 'amount-bounds', ...auth }, status: 'pass', message: 'boundsRefused', data: { statuses: '422' } },
  {
    name: 'fault no-cap: an above-cap "maximum" is accepted',
    faults: ['no-cap'],
    params: { scenario: 'amount-bounds', ...auth, maxAmount: '${target.transactionCap}' },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'refusalAccepted', first: expect.stringMatching(/^an amount above the maximum \(10,000\.01 EUR\) was accepted \(201, pay_[0-9a-f]+\) but must be refused with a 4xx$/) },
  },
  { name: 'webhook: signed, replay and tampering refused', params: { scenario: 'webhook', ...auth }, status: 'pass', message: 'webhookVerified', data: { event: 'payment.captured', paymentId: PAY, tolerance: 300 } },
  {
    name: 'fault webhook-bad-signature: the signature does not verify',
    faults: ['webhook-bad-signature'],
    params: { scenario: 'webhook', ...auth },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'signatureMismatch', more: '' },
    summary: /^webhook: the payment\.captured webhook for pay_[0-9a-f]+ has a bad signature: the HMAC-SHA256 of "<t>\.<body>" with the endpoint secret does not match v1$/,
  },
  { name: 'fault flaky: 503s are retried with the same key and the scenario passes', faults: ['flaky'], params: { scenario: 'currency-exponent', ...auth, currencies: ['JPY', 'EUR', 'KWD', 'BHD'] }, status: 'pass', message: 'roundTripped' },
  {
    name: 'without credentials the scenario cannot decide',
    params: { scenario: 'approve' },
    status: 'error',
    message: 'noAccess',
    data: { what: 'authorising a payment', answer: 'answered 401 unauthorized' },
    summary: /^approve: authorising a payment answered 401 unauthorized: give the check an access token/,
  },
  {
    name: 'a wrong client secret cannot get a token',
    params: { scenario: 'approve', clientId: '${secrets.clientId}', clientSecret: 'wrong-secret' },
    status: 'error',
    message: 'credentialsRefused',
    data: { status: 401, error: ' invalid_client', description: ' ("Unknown client or wrong client secret.")' },
    summary: /^approve: https:\/\/127\.0\.0\.1:\d+\/oauth\/token refused the suite's own client credentials with 401 invalid_client \("Unknown client or wrong client secret\."\): check the clientId and clientSecret the check is given$/,
  },
  {
    name: 'daily-cap: a provider letting more through than the documented cap fails',
    params: { scenario: 'daily-cap', ...auth, dailyCap: 100, amount: 1000, currency: 'JPY' },
    status: 'fail',
    message: 'failed',
    data: { firstId: 'dailyCapNotEnforced', first: '1,000 JPY authorised today in 1 payment of 1,000 JPY, none refused: the 100 JPY daily cap is not enforced' },
  },
  { name: 'daily-cap: splitting cannot get round a daily cap', params: { scenario: 'daily-cap', ...auth, cap: 10_000, dailyCap: 25_000, fallback: 'split', currency: 'KRW' }, status: 'error', message: 'dailyCapSplit' },
];

describe('transaction check against the real sandbox', () => {
  checkTable('transaction', cases, { options: () => ({ timeoutMs: 20_000 }) });

  it('keeps every exchange as a transcript, card numbers masked (by the run\'s redactor), tokens never shown', async () => {
    const { outcome, interactions } = await runCheck('transaction', { scenario: 'approve', ...auth });
    const transcript = new Redactor().redact(String(outcome.artifacts?.find((a) => a.name === 'transcript.http')?.data));
    expect(transcript).toMatch(/^# authorise 10\.00 EUR$/m);
    expect(transcript).toMatch(/^> POST https:\/\/127\.0\.0\.1:\d+\/v1\/payments$/m);
    expect(transcript).toMatch(/^> idempotency-key: [0-9a-f-]{36}$/m);
    expect(transcript).toMatch(/^> authorization: Bearer \[REDACTED\]$/m);
    expect(transcript).toContain('"number":"411111******1111"');
    expect(transcript).not.toContain('4111111111111111');
    expect(transcript).toMatch(/^< HTTP\/1\.1 201$/m);
    expect(outcome.secrets).toHaveLength(1);
    expect(transcript).not.toContain(outcome.secrets![0]!);
    expect(outcome.values).toMatchObject({ scenario: 'approve', paymentId: expect.stringMatching(/^pay_/), status: 'captured' });
    expect(interactions.view().endpoints.has('POST /v1/payments/{id}/capture')).toBe(true);
  });

  it('marks provoked refusals as expected in the interaction log, and cleans up after itself', async () => {
    const log: { endpoint: string; status?: number; expected?: boolean }[] = [];
    const { InteractionLog } = await import('../../src/model/interactions.js');
    const interactions = new InteractionLog();
    interactions.pipe((entry) => log.push(entry));
    const { outcome } = await runCheck('transaction', { scenario: 'over-limit', ...auth, ...caps, reference: 'cleanup-test' }, { interactions });
    expect(outcome.status, outcome.summary).toBe('pass');
    const refusal = log.find((e) => e.status === 422);
    expect(refusal).toMatchObject({ endpoint: '/v1/payments', expected: true });
    expect(log.filter((e) => e.status === 201 && e.endpoint === '/v1/payments').every((e) => !e.expected)).toBe(true);
    // The captured parts were refunded at cleanup.
    expect(log.filter((e) => e.endpoint === '/v1/payments/{id}/refunds' && e.status === 201)).toHaveLength(2);
    expect(interactions.overall.errors).toBe(0);
  });

  it('a fallback part refused by the daily cap fails the order and the parts already paid are undone', async () => {
    const { outcome, sandbox } = await runCheck('transaction', { scenario: 'over-limit', ...auth, ...caps, amount: 2_600_000, currency: 'CHF', reference: 'half-done' });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'failed', data: { firstId: 'stepStatus' } });
    // The words quote what the provider answered.
    expect(outcome.summary).toMatch(/^over-limit: fallback split: part 3 of 3 \(8,666\.66 CHF\) answered 422 daily_cap_exceeded, expected 200 or 201: This payment would take today's card volume above the 25,000\.00 CHF daily cap/);
    const client = new SandboxClient(sandbox);
    try {
      const token = await client.token();
      const reference = String(outcome.artifacts?.[0]?.data).match(/"reference":"(half-done-over-limit-[0-9a-f]+)"/)?.[1];
      const payments = (await client.send(`/v1/payments?reference=${reference}`, { token })).json()['data'] as { status: string }[];
      expect(payments.map((p) => p.status)).toEqual(['refunded', 'refunded']);
    } finally {
      await client.close();
    }
  });

  it('a live target without liveMaxAmount is refused before any money moves', async () => {
    const { outcome, interactions } = await runCheck('transaction', { scenario: 'approve', ...auth }, { target: { sandbox: false, name: 'production' } });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toEqual({ id: 'liveWithoutMax', data: { scenario: 'approve', what: 'a payment of 10.00 EUR', amount: '10.00 EUR', environment: 'production' } });
    expect(interactions.view().endpoints.has('POST /v1/payments')).toBe(false);
  });

  it('a live target caps amounts at liveMaxAmount', async () => {
    const over = await runCheck('transaction', { scenario: 'over-limit', ...auth, ...caps }, { target: { sandbox: false, name: 'production' }, liveMaxAmount: 500 });
    expect(over.outcome.status).toBe('error');
    expect(over.outcome.message).toEqual({ id: 'liveAboveMax', data: { scenario: 'over-limit', what: 'a payment of 15,000.00 EUR', amount: '15,000.00 EUR', environment: 'production', max: '5.00 EUR' } });
    const small = await runCheck('transaction', { scenario: 'approve', ...auth, amount: 500 }, { target: { sandbox: false, name: 'production' }, liveMaxAmount: 500 });
    expect(small.outcome.status, small.outcome.summary).toBe('pass');
  });

  it('an unreachable API is an error that names the refused connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { outcome } = await runCheck('transaction', { scenario: 'approve', token: 'any-token-value', baseUrl: `https://127.0.0.1:${port}` });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toEqual({ id: 'unanswered', data: { scenario: 'approve', what: 'authorising a payment', cause: `connection refused by 127.0.0.1:${port}` } });
  });
});

describe('transaction check: a path the API does not have is the suite\'s setup, not a verdict', () => {
  it('a base URL that is not the payments API (404) is an error, cause setup, naming the URL and what to check', async () => {
    const { outcome, sandbox } = await runCheck('transaction', { scenario: 'approve', ...auth, baseUrl: '${target.baseUrl}/api' });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('noSuchPath');
    expect(outcome.summary).toBe(
      `approve: POST ${sandbox.baseUrl}/api/v1/payments answered 404 ("No endpoint at /api/v1/payments."): the API has no such path: check the base URL (now ${sandbox.baseUrl}/api: the check's baseUrl, else the environment's) and that the target speaks the API of the provider the check names (provider:, else the environment's provider, else payready: POST /v1/payments, as \`payready sandbox\` does)`,
    );
  });

  it('a refusal probe that meets a 404 is not counted as a refusal (amount-bounds passed on a wrong base URL before)', async () => {
    // Every probe of amount-bounds expects a 4xx with a reason; "404 No endpoint at ..." is neither.
    const { outcome } = await runCheck('transaction', { scenario: 'amount-bounds', ...auth, baseUrl: '${target.baseUrl}/v2' });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('noSuchPath');
    expect(outcome.summary).toMatch(/answered 404 .*: the API has no such path: check the base URL/);
  });

  it('a 405 names the method the path does not take and the Allow header', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: 'This resource is read-only.' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const { outcome } = await runCheck('transaction', { scenario: 'approve', token: 'any-token-value', baseUrl: base });
      expect(outcome.status, outcome.summary).toBe('error');
      expect(outcome.cause).toBe('setup');
      expect(outcome.message?.id).toBe('noSuchPath');
      expect(outcome.summary).toMatch(new RegExp(`^approve: POST ${base}/v1/payments answered 405 \\("This resource is read-only\\."\\): the API has /v1/payments but not for POST \\(Allow: GET, HEAD\\): check the base URL`));
    } finally {
      server.close();
    }
  });

  it('the suite\'s own client credentials refused (401 invalid_client) are an error, cause setup, quoting the server', async () => {
    const { outcome } = await runCheck('transaction', { scenario: 'approve', clientId: '${secrets.clientId}', clientSecret: 'not-the-secret' });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('credentialsRefused');
    expect(outcome.summary).toMatch(/^approve: https:\/\/127\.0\.0\.1:\d+\/oauth\/token refused the suite's own client credentials with 401 invalid_client/);
    expect(outcome.summary).toMatch(/check the clientId and clientSecret/);
    expect(outcome.summary).not.toContain('not-the-secret');
  });

  it('a token URL the server does not have is an error, cause setup, naming it', async () => {
    const { outcome, sandbox } = await runCheck('transaction', { scenario: 'approve', ...auth, tokenUrl: '${target.baseUrl}/token' });
    expect(outcome.status, outcome.summary).toBe('error');
    expect(outcome.cause).toBe('setup');
    expect(outcome.message?.id).toBe('noSuchPath');
    expect(outcome.summary).toBe(`approve: POST ${sandbox.baseUrl}/token answered 404 ("No endpoint at /token."): the API has no such path: check the token URL (the check's tokenUrl, else the environment's tokenUrl, else <baseUrl>/oauth/token)`);
  });
});

describe('transaction check: a refusal\'s reason is read in the provider\'s error shape', () => {
  it('amount-bounds accepts refusals whose reason is a Stripe error message', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'amount_too_small', doc_url: 'https://stripe.com/docs/error-codes/amount-too-small', message: 'Amount must be at least 50 cents.', param: 'amount', type: 'invalid_request_error' } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const { outcome } = await runCheck('transaction', { scenario: 'amount-bounds', token: 'any-token-value', baseUrl: base });
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.message?.id).toBe('boundsRefused');
      expect(outcome.assertions?.find((a) => a.name === 'an amount of 0 reason')?.actual).toBe('Amount must be at least 50 cents.');
    } finally {
      server.close();
    }
  });
});

describe('transaction messages', () => {
  it('the tables spread into the type\'s one have no id in common (a later spread would silently replace an earlier entry)', async () => {
    const { messages, messageTables } = await import('../../src/checks/transaction/messages.js');
    const ids = Object.values(messageTables).flatMap((table) => Object.keys(table));
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(Object.keys(messages).sort()).toEqual([...ids].sort());
  });
});
