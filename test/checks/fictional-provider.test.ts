import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/checks/transaction/meta.js';
import { WebhookReceiver } from '../../src/checks/transaction/receiver.js';
import { startAcmePay, type AcmeBreak, type AcmePay } from '../support/acmepay.js';
import { tempDir } from '../support/temp.js';
import { runCheck } from './harness.js';

/*
 * Issue 14's "done when": a profile written as a file runs the scenario library without code
 * changes. The profile is the AcmePay example of docs/providers.md (so the page's walk-through is
 * what runs), written to a temp file and named by path; AcmePay (test/support/acmepay.ts) speaks an
 * API payready has no code for. Every scenario passes through the real check, and AcmePay broken
 * in one way makes the matching scenario fail.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The ```yaml block after `<!-- example:acmepay -->` in docs/providers.md. */
function acmeProfileText(): string {
  const page = readFileSync(join(root, 'docs/providers.md'), 'utf8');
  const block = /<!-- example:acmepay -->\n```yaml\n([\s\S]*?)^```$/m.exec(page)?.[1];
  if (block === undefined) throw new Error('docs/providers.md has no ```yaml block after <!-- example:acmepay -->');
  return block;
}

const dir = tempDir('acmepay-');
const profile = join(dir, 'acmepay.yaml');
writeFileSync(profile, acmeProfileText());

let acme: AcmePay | undefined;
afterEach(async () => {
  await acme?.close();
  acme = undefined;
});

/** Runs `scenario` through the transaction check against a fresh AcmePay (broken as told), with the profile file. */
async function runAcme(scenario: string, extra: Record<string, unknown> = {}, breaks: AcmeBreak[] = [], file = profile) {
  acme = await startAcmePay(breaks);
  const params = { scenario, provider: file, baseUrl: acme.url, apiKey: acme.apiKey, settings: { merchant: acme.merchant }, ...extra };
  return (await runCheck('transaction', params, { timeoutMs: 20_000 })).outcome;
}

/** What each scenario needs besides the profile (the daily cap is the account's, not the API's), and the pass it must end with. */
const PASSES: Record<(typeof SCENARIO_NAMES)[number], { extra?: Record<string, unknown>; message: string; data?: Record<string, unknown> }> = {
  approve: { message: 'approved', data: { amount: '10.00 EUR', paymentId: expect.stringMatching(/^ch_[0-9a-f]{16}$/) } },
  decline: { message: 'declined', data: { cards: '2 test methods', codes: 'insufficient_funds, stolen_card' } },
  // The check requires cap for over-limit (meta.ts), whatever limits.perTransaction.max says.
  'over-limit': { extra: { cap: 500_000 }, message: 'overLimitSplit', data: { total: '7,500.00 EUR', cap: '5,000.00 EUR', refusal: '422 CAP_SINGLE', parts: 2 } },
  'daily-cap': { extra: { dailyCap: 1_000_000, cap: 500_000 }, message: 'dailyCapAlternate', data: { payments: '2 payments', refusal: '422 CAP_DAY', method: 'bank debit' } },
  'idempotency-replay': { message: 'replayed', data: { count: '1 payment for the order', status: '409 REQUEST_ID_REUSED' } },
  'timeout-retry': { extra: { delayHeader: 'Acme-Hold-Ms', firstAttemptTimeoutMs: 200, delayMs: 1000 }, message: 'retriedOnce', data: { status: '201' } },
  'refund-partial': { message: 'refundedPart', data: { part: '4.00 EUR', amount: '10.00 EUR' } },
  'refund-full': { message: 'refundedFull', data: { amount: '10.00 EUR' } },
  'refund-over': { message: 'overRefundRefused', data: { refusal: '422 RETURN_EXCEEDS' } },
  'currency-exponent': { message: 'roundTripped', data: { currencies: '1,230 JPY (0), 12.30 EUR (2), 1.230 KWD (3)' } },
  'amount-bounds': { message: 'boundsRefused', data: { statuses: '400' } },
  webhook: { message: 'webhookVerified', data: { event: 'charge.settled', tolerance: 300 } },
};

describe('a provider profile written as a file (AcmePay) runs the whole scenario library', () => {
  it('covers every scenario of the library', () => {
    expect(Object.keys(PASSES).sort()).toEqual([...SCENARIO_NAMES].sort());
  });

  for (const scenario of SCENARIO_NAMES) {
    const { extra, message, data } = PASSES[scenario];
    it(`${scenario} passes against AcmePay`, async () => {
      const outcome = await runAcme(scenario, extra);
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.message?.id).toBe(message);
      expect(outcome.message?.data).toMatchObject({ scenario, ...data });
      expect(outcome.values).toMatchObject({ provider: 'acmepay', scenario });
      // It spoke AcmePay's API: form bodies with the key in X-Acme-Key, never payready's paths.
      const transcript = String(outcome.artifacts?.find((a) => a.name === 'transcript.http')?.data ?? '');
      expect(transcript).toMatch(/^> POST http:\/\/127\.0\.0\.1:\d+\/api\/charges$/m);
      expect(transcript).toMatch(/^> content-type: application\/x-www-form-urlencoded$/m);
      expect(transcript).toMatch(/^> acme-request-id: [0-9a-f-]{36}$/m);
      expect(transcript).toMatch(/^> x-acme-key: /m);
      expect(transcript).not.toContain('/v1/payments');
    });
  }

  it('a scenario the profile declares unsupported ends skip with the profile\'s reason', async () => {
    const reason = 'AcmePay caps a day in the account settings, not in an API answer';
    const skipping = join(dir, 'acmepay-no-daily.yaml');
    writeFileSync(skipping, `${acmeProfileText()}unsupported:\n  daily-cap: ${reason}\n`);
    const outcome = await runAcme('daily-cap', { dailyCap: 1_000_000 }, [], skipping);
    expect(outcome.status, outcome.summary).toBe('skip');
    expect(outcome.message?.id).toBe('unsupported');
    expect(outcome.summary).toBe(`daily-cap: acmepay has no daily-cap scenario: ${reason}`);
  });

  it('a profile without the operation a scenario needs makes it skip before any call; one it only uses is done without', async () => {
    const text = acmeProfileText();
    const noRefund = join(dir, 'acmepay-no-refund.yaml');
    const cut = text.replace(/^ {2}refund:\n(?: {4}.*\n)+/m, '');
    expect(cut).not.toMatch(/^ {2}refund:/m);
    writeFileSync(noRefund, cut);
    const skipped = await runAcme('refund-full', {}, [], noRefund);
    expect(skipped.status, skipped.summary).toBe('skip');
    expect(skipped.summary).toBe('refund-full: acmepay has no refund operation in its profile: the refund-full scenario cannot run without one');
    expect(skipped.values).toMatchObject({ provider: 'acmepay' });
    const noRead = join(dir, 'acmepay-no-read.yaml');
    writeFileSync(noRead, text.replace(/^ {2}read:\n(?: {4}.*\n)+/m, ''));
    const approved = await runAcme('approve', {}, [], noRead);
    expect(approved.status, approved.summary).toBe('pass');
    expect(approved.message?.id).toBe('approvedAcknowledged');
  });
});

describe('AcmePay broken in one way: the matching scenario fails', () => {
  const cases: { name: string; scenario: string; breaks: AcmeBreak[]; extra?: Record<string, unknown>; firstId: string; first: RegExp }[] = [
    { name: 'it ignores Acme-Request-Id: idempotency-replay charges twice', scenario: 'idempotency-replay', breaks: ['ignores-request-id'], firstId: 'replayNewPayment', first: /^same Idempotency-Key charged twice: ch_[0-9a-f]{16} and ch_[0-9a-f]{16}$/ },
    {
      name: 'it ignores Acme-Request-Id: the retry after a timeout charges twice',
      scenario: 'timeout-retry',
      breaks: ['ignores-request-id'],
      extra: PASSES['timeout-retry'].extra,
      firstId: 'chargedMore',
      first: /^the retry after a timeout charged twice: ch_[0-9a-f]{16} and ch_[0-9a-f]{16}$/,
    },
    { name: 'it declines with a wrong code: decline fails naming it', scenario: 'decline', breaks: ['wrong-decline-code'], firstId: 'declineCode', first: /^tok_refuse_funds was declined with "do_not_honour", not the documented "insufficient_funds"$/ },
    { name: 'it signs webhooks with the wrong key: webhook fails', scenario: 'webhook', breaks: ['bad-webhook-signature'], firstId: 'signatureMismatch', first: /^the charge\.settled webhook for ch_[0-9a-f]{16} has a bad signature: / },
    { name: 'its cap check crashes: over-limit fails on the 500', scenario: 'over-limit', breaks: ['cap-crash'], extra: PASSES['over-limit'].extra, firstId: 'refusalServerError', first: /^a payment of 7,500\.00 EUR over the 5,000\.00 EUR cap answered 500 \(a server error\) instead of a documented 4xx refusal$/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const outcome = await runAcme(c.scenario, c.extra, c.breaks);
      expect(outcome.status, outcome.summary).toBe('fail');
      expect(outcome.message?.id).toBe('failed');
      expect(outcome.message?.data).toMatchObject({ firstId: c.firstId });
      expect(String(outcome.message?.data?.['first'])).toMatch(c.first);
    });
  }
});

describe("the scenario's webhook receiver knows an AcmePay event by the profile's idAt", () => {
  it('a redelivery of the same event_id with another body is refused as already processed; another event is taken', async () => {
    const receiver = new WebhookReceiver({ scheme: 'hmac-sha256-timestamp', header: 'acme-signature', toleranceSeconds: 300, idAt: '/event_id' });
    const url = await receiver.listen();
    receiver.useSecret('whsk_test');
    const post = async (event: Record<string, unknown>): Promise<number> => {
      const body = JSON.stringify(event);
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac('sha256', 'whsk_test').update(`${t}.${body}`).digest('hex');
      return (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'acme-signature': `t=${t},v1=${v1}` }, body })).status;
    };
    try {
      expect(await post({ event_id: 'ev_1', topic: 'charge.settled', attempt: 1 })).toBe(200);
      expect(await post({ event_id: 'ev_1', topic: 'charge.settled', attempt: 2 })).toBe(409);
      expect(await post({ event_id: 'ev_2', topic: 'charge.settled', attempt: 1 })).toBe(200);
    } finally {
      await receiver.close();
    }
  });
});
