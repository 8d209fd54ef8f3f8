import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULTS } from '../../src/sandbox/faults.js';
import { runInProcess } from './in-process.js';
import { stackTraceIn, tempDir } from './helpers.js';

/**
 * `payready demo --provider stripe|adyen`: the go-live suite of that provider against the sandbox
 * speaking its dialect is READY as shipped, and the sandbox's faults fail their checks in that
 * dialect too. As in isolation.test.ts, each run switches on a group of faults whose guarding
 * checks differ, and the run must fail exactly the expected checks: each fault's `caughtBy` (where
 * the provider's suite has it) and what the dialect makes it break besides, listed per provider
 * below with the reason. The browser check is left out: the hosted checkout page is the same in
 * every dialect (demo.test.ts runs it).
 */
interface Group {
  faults: readonly string[];
  /** Checks the group fails in this dialect. */
  fails: readonly string[];
}

const GROUPS: Record<'stripe' | 'adyen', readonly Group[]> = {
  stripe: [
    {
      faults: ['no-idempotency', 'webhook-bad-signature', 'latin1', 'no-cap', 'weak-headers'],
      // no-cap lifts Stripe's 99999999 maximum, which is also amount-bounds' "above the maximum".
      fails: ['json-utf8', 'security-headers', 'transaction-amount-bounds', 'transaction-idempotency', 'transaction-over-limit', 'transaction-timeout-retry', 'transaction-webhook'],
    },
    {
      faults: ['cap-500', 'opaque-errors'],
      // opaque-errors turns every Stripe error body into text: the 401, the decline, the
      // idempotency_error and the refusals lose their code and message; cap-500's 500s cost api-kpis.
      fails: ['api-kpis', 'error-messages', 'payments-require-auth', 'transaction-amount-bounds', 'transaction-declines', 'transaction-idempotency', 'transaction-over-limit', 'transaction-refund-over'],
    },
    // The amount as a string and `created` dropped: every scenario that echoes amounts.
    { faults: ['schema-drift'], fails: ['payment-approve', 'transaction-currency-exponent'] },
  ],
  adyen: [
    {
      faults: ['no-idempotency', 'webhook-bad-signature', 'latin1', 'no-cap', 'weak-headers'],
      fails: ['json-utf8', 'security-headers', 'transaction-idempotency', 'transaction-over-limit', 'transaction-timeout-retry', 'transaction-webhook'],
    },
    {
      // Adyen payments carry the card number itself, so the request log shows pan-in-logs.
      faults: ['cap-500', 'opaque-errors', 'pan-in-logs'],
      fails: ['error-messages', 'no-pan-in-logs', 'payments-require-auth', 'transaction-amount-bounds', 'transaction-over-limit'],
    },
    {
      // pspReference dropped from PaymentResponse: no scenario can name the payment it made.
      faults: ['schema-drift'],
      fails: ['payment-approve', 'transaction-currency-exponent', 'transaction-idempotency', 'transaction-over-limit', 'transaction-refund-full', 'transaction-refund-partial', 'transaction-timeout-retry', 'transaction-webhook'],
    },
  ],
};

interface Result {
  id: string;
  status: string;
  summary: string;
}

async function demo(provider: string, faults: readonly string[]): Promise<{ code: number | null; results: Result[]; stdout: string }> {
  const out = tempDir();
  const result = await runInProcess(['demo', '--provider', provider, ...faults.flatMap((f) => ['--fault', f]), '--skip', 'checkout-mobile', '--out', out]);
  expect(stackTraceIn(result.stdout + result.stderr)).toBeUndefined();
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { results: Result[]; environment: { faults?: string[] } };
  expect([...(report.environment.faults ?? [])].sort()).toEqual([...faults].sort());
  return { code: result.code, results: report.results, stdout: result.stdout };
}

// One demo at a time: demos side by side on two cores blur the bandwidth, rate-limit and latency
// verdicts the expected sets depend on.
for (const provider of ['stripe', 'adyen'] as const) {
  describe(`payready demo --provider ${provider}`, () => {
    it('is READY as shipped, its scenarios speaking the provider\'s API', async () => {
      const { code, results, stdout } = await demo(provider, []);
      expect(code, stdout).toBe(0);
      const approve = results.find((r) => r.id === 'payment-approve')!;
      expect(approve.status).toBe('pass');
      // The summary names the payment the provider's way.
      expect(approve.summary).toMatch(provider === 'stripe' ? /pi_[A-Za-z0-9]+/ : /pspReference [A-Z0-9]{16}/);
      expect(results.filter((r) => r.status === 'fail' || r.status === 'error')).toEqual([]);
    }, 90_000);

    for (const group of GROUPS[provider]) {
      it(`--fault ${group.faults.join(' ')}: exactly ${group.fails.join(', ')}`, async () => {
        for (const name of group.faults) {
          const fault = FAULTS.find((f) => f.name === name)!;
          // Each fault's own guard fails, where the provider's suite has it (payment-schema is
          // payready's OpenAPI document; its alsoFails stand for it).
          const guards = [fault.caughtBy, ...(fault.alsoFails ?? [])].filter((id) => id !== 'payment-schema');
          expect(guards.some((id) => group.fails.includes(id)), `${name} fails none of ${guards.join(', ')}`).toBe(true);
        }
        const { code, results } = await demo(provider, group.faults);
        expect(code).toBe(1);
        const bad = results.filter((r) => r.status === 'fail' || r.status === 'error');
        expect(bad.map((r) => r.id).sort(), JSON.stringify(bad.map((r) => `${r.id}: ${r.summary}`))).toEqual([...group.fails].sort());
      }, 90_000);
    }
  });
}
