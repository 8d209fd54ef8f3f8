import { CURRENCY_EXPONENTS } from '../../money.js';

/** Currencies the sandbox accepts: two of each exponent (0, 2 and 3 decimals) and a few more. */
const ACCEPTED = ['BHD', 'CHF', 'EUR', 'GBP', 'JPY', 'KRW', 'KWD', 'SEK', 'USD'] as const;

/**
 * ISO 4217 currencies the sandbox accepts, with their minor-unit exponent: amounts are sent in
 * minor units, so a client must know that 100 means 1.00 EUR but 100 JPY and 0.100 KWD.
 */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = Object.fromEntries(ACCEPTED.map((code) => [code, CURRENCY_EXPONENTS[code] ?? 2]));

/** Minor-unit exponent of a supported currency, undefined for anything else. */
export function currencyDecimals(code: string): number | undefined {
  return Object.hasOwn(CURRENCY_DECIMALS, code) ? CURRENCY_DECIMALS[code] : undefined;
}
