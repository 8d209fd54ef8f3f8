import { TRANSACTION_CAPS, capInMinorUnits } from '../payments/limits.js';
import type { TestOutcome } from './refusals.js';

/**
 * The emulated merchant account's caps: the same numbers as the payready dialect's card caps
 * (payments/limits.ts), so the suites' `transactionCap`/`dailyCap` target fields hold for every
 * dialect.
 */
export const ADYEN_CAPS = TRANSACTION_CAPS.card;

/** The per-transaction cap in minor units of `currency`. */
export function perTransactionCap(currency: string): number {
  return capInMinorUnits(ADYEN_CAPS.perTransaction, currency);
}

/** The daily cap in minor units of `currency`. */
export function dailyCap(currency: string): number {
  return capInMinorUnits(ADYEN_CAPS.daily, currency);
}

/**
 * How an Adyen merchant sees an amount over a limit. Adyen has no "cap" error in the Checkout
 * API: a limit is applied when the payment is authorised, and the payment comes back
 * `resultCode: Refused` with a `refusalReason` from the documented list ("Testing result codes
 * and refusal reasons"), never a validation error (the request itself is valid). Two rows of that
 * list fit: "Withdrawal amount exceeded" (code 28), the refusal for one amount above a limit, and
 * "Transaction Not Permitted" (code 23), the refusal of a payment the account may not take now —
 * the daily volume is spent.
 */
export const OVER_TRANSACTION_CAP: TestOutcome = { resultCode: 'Refused', refusalReason: 'Withdrawal amount exceeded', code: 28 };

/** See `OVER_TRANSACTION_CAP`. */
export const OVER_DAILY_CAP: TestOutcome = { resultCode: 'Refused', refusalReason: 'Transaction Not Permitted', code: 23 };
