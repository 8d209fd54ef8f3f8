import type { Messages } from '../../../model/messages.js';
import { currencyExponent } from '../../../money.js';
import { CLIENT_ERRORS } from '../api.js';
import { ScenarioError } from '../errors.js';
import type { Scenario } from '../scenario.js';
import { expectAmount, paymentIdOf } from './approve.js';

/**
 * Amount currency-exponent pays when `amount` is not given: four digits show every exponent, and
 * the last is 0 because Stripe takes three-decimal currencies (KWD, BHD...) only in multiples of
 * 10 ("the last digit must be 0", docs.stripe.com/currencies#three-decimal).
 */
const EXPONENT_AMOUNT = 1230;

/** What currency-exponent and amount-bounds can say. */
export const amountsMessages = {
  roundTripped: {
    status: 'pass',
    text: '{scenario}: {value} minor units round-tripped exactly in {currencies}',
  },
  unknownCurrency: {
    status: 'error',
    text: '{scenario}: unknown currency {currency}: give ISO 4217 codes such as JPY, EUR, KWD',
    fix: 'List ISO 4217 currency codes in currencies.',
  },
  maxAmountMissing: {
    status: 'error',
    text: '{scenario}: amount-bounds needs the largest amount {provider} accepts: give maxAmount (minor units)',
    fix: "Give the check maxAmount, the provider's documented largest amount in minor units (or state limits.maxAmount in its profile).",
  },
  boundsRefused: {
    status: 'pass',
    text: '{scenario}: 0, negative, fractional and above-maximum amounts each refused with a 4xx and a reason ({statuses})',
  },
} as const satisfies Messages;

export const currencyExponentScenario: Scenario = {
  name: 'currency-exponent',
  reads: ['currencies', 'amount'],
  needs: ['authorise', 'capture'],
  uses: ['read'],
  description: 'Amounts in currencies with 0, 2 and 3 decimals (JPY, EUR, KWD by default) are sent in minor units and round-trip exactly through authorise, capture and read-back.',
  async run(run) {
    const value = run.params.amount ?? EXPONENT_AMOUNT;
    const described: string[] = [];
    for (const currency of run.params.currencies) {
      const exponent = currencyExponent(currency);
      if (exponent === undefined) throw new ScenarioError('unknownCurrency', { currency });
      run.step(`${value} minor units of ${currency} (${exponent} decimals) = ${run.money(value, currency)}`);
      const created = await run.authorise(value, { currency });
      run.require(`authorising ${run.money(value, currency)}`, created.result, run.client.success('authorise'));
      const id = paymentIdOf(run, `the ${currency} authorisation`, created.view, created.result.status);
      if (!id) return run.stop();
      expectAmount(run, `the ${currency} authorisation`, created.view.amount, created.view.currency, value, currency);
      const captured = await run.capture(id, value, currency);
      run.require(`capturing ${id}`, captured.result, run.client.success('capture'));
      expectAmount(run, `the ${currency} capture`, captured.view.captured, captured.view.currency, value, currency);
      if (run.client.supports('read')) {
        const read = await run.read(id);
        run.require(`reading ${id} back`, read.result, run.client.success('read'));
        expectAmount(run, `the ${currency} read-back`, read.view.amount, read.view.currency, value, currency);
      }
      described.push(`${run.money(value, currency)} (${exponent})`);
    }
    return { id: 'roundTripped', data: { value, currencies: described.join(', ') } };
  },
};

export const amountBounds: Scenario = {
  name: 'amount-bounds',
  reads: ['maxAmount'],
  needs: ['authorise'],
  description: 'Amounts of 0, a negative amount, a fractional number of minor units and one above the maximum are each refused with a 4xx and a clear error.',
  async run(run) {
    const max = run.params.maxAmount ?? run.client.profile.limits?.maxAmount;
    if (max === undefined) throw new ScenarioError('maxAmountMissing', { provider: run.client.name });
    const above = max + 1;
    const probes: { what: string; value: number }[] = [
      { what: 'an amount of 0', value: 0 },
      { what: 'a negative amount', value: -100 },
      { what: 'a fractional amount (10.5 minor units)', value: 10.5 },
      { what: `an amount above the maximum (${run.money(above)})`, value: above },
    ];
    const statuses: number[] = [];
    for (const { what, value } of probes) {
      run.step(`${what} must be refused`);
      const { result } = await run.authorise(value, { call: { expectStatus: CLIENT_ERRORS } });
      run.expectRefusal(what, result);
      if (result.status !== undefined) statuses.push(result.status);
    }
    return { id: 'boundsRefused', data: { statuses: [...new Set(statuses)].join(', ') } };
  },
};
