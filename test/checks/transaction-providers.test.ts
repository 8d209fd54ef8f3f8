import { describe, expect, it } from 'vitest';
import { runCheck, type RunOptions } from './harness.js';
import type { ProviderName } from '../../src/providers/names.js';

/**
 * Every scenario of the library under each real provider's profile, against the embedded
 * sandbox speaking that provider's dialect: each passes, or ends skip with the reason its profile
 * states; and the dialect's faults fail the scenario that guards against each.
 */
const SCENARIOS: Record<string, Record<string, unknown>> = {
  approve: {},
  decline: {},
  'over-limit': { cap: '${target.transactionCap}' },
  'daily-cap': { cap: '${target.transactionCap}', dailyCap: '${target.dailyCap}', currency: 'GBP', fallback: 'none' },
  'idempotency-replay': {},
  'timeout-retry': { firstAttemptTimeoutMs: 300, delayMs: 1500 },
  'refund-partial': {},
  'refund-full': {},
  'refund-over': {},
  'currency-exponent': {},
  'amount-bounds': {},
  webhook: {},
};

const EXPECTED: Record<ProviderName, Partial<Record<string, { status: 'pass' | 'skip'; message: string }>>> = {
  payready: {},
  stripe: {},
  adyen: {
    approve: { status: 'pass', message: 'approvedAcknowledged' },
    decline: { status: 'pass', message: 'declined' },
    'over-limit': { status: 'pass', message: 'overLimitSplit' },
    'daily-cap': { status: 'pass', message: 'dailyCapHeld' },
    'idempotency-replay': { status: 'pass', message: 'replayedOriginal' },
    'timeout-retry': { status: 'pass', message: 'retriedOnce' },
    'refund-partial': { status: 'pass', message: 'refundedPartUnread' },
    'refund-full': { status: 'pass', message: 'refundedFullUnread' },
    'refund-over': { status: 'skip', message: 'unsupported' },
    'currency-exponent': { status: 'pass', message: 'roundTripped' },
    'amount-bounds': { status: 'pass', message: 'boundsRefused' },
    webhook: { status: 'pass', message: 'webhookVerifiedUntimed' },
  },
};

function run(provider: ProviderName, scenario: string, options: RunOptions = {}): ReturnType<typeof runCheck> {
  return runCheck('transaction', { scenario, ...SCENARIOS[scenario] }, { provider, timeoutMs: 20_000, ...options });
}

for (const provider of ['adyen'] as const) {
  describe(`transaction scenarios in the ${provider} dialect`, () => {
    for (const [scenario, expected] of Object.entries(EXPECTED[provider])) {
      it(`${scenario}: ${expected!.status} (${expected!.message})`, async () => {
        const { outcome } = await run(provider, scenario);
        expect(outcome.status, outcome.summary).toBe(expected!.status);
        expect(outcome.message?.id, outcome.summary).toBe(expected!.message);
        expect(outcome.values?.['provider']).toBe(provider);
      }, 30_000);
    }

    it.each([
      ['no-idempotency', 'idempotency-replay', 'replayNewPayment'],
      ['no-idempotency', 'timeout-retry', 'chargedMore'],
      ['cap-500', 'over-limit', 'refusalServerError'],
      ['no-cap', 'over-limit', 'refusalAccepted'],
      ['webhook-bad-signature', 'webhook', 'signatureMismatch'],
      ['schema-drift', 'approve', 'noPaymentId'],
      ['opaque-errors', 'amount-bounds', 'refusalNoReason'],
    ])(`fault %s fails %s (%s)`, async (fault, scenario, firstId) => {
      const { outcome } = await run(provider, scenario, { faults: [fault] });
      expect(outcome.status, outcome.summary).toBe('fail');
      expect(outcome.message?.data?.['firstId'], outcome.summary).toBe(firstId);
    }, 30_000);
  });
}
