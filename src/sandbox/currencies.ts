/**
 * ISO 4217 currencies the sandbox accepts, with their minor-unit exponent: amounts are sent in
 * minor units, so a client must know that 100 means 1.00 EUR but 100 JPY and 0.100 KWD.
 */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
  BHD: 3,
  CHF: 2,
  EUR: 2,
  GBP: 2,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  SEK: 2,
  USD: 2,
};

/** Minor-unit exponent of a supported currency, undefined for anything else. */
export function currencyDecimals(code: string): number | undefined {
  return Object.hasOwn(CURRENCY_DECIMALS, code) ? CURRENCY_DECIMALS[code] : undefined;
}
