/**
 * ISO 4217 minor-unit exponents: amounts travel in minor units, so 100 means 1.00 EUR but 100 JPY
 * and 0.100 KWD. Shared by the sandbox (which currencies it accepts) and the checks (how an
 * amount reads in a summary).
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  AUD: 2,
  BHD: 3,
  CAD: 2,
  CHF: 2,
  CLP: 0,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  GBP: 2,
  HUF: 2,
  ISK: 0,
  JOD: 3,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  NOK: 2,
  OMR: 3,
  PLN: 2,
  SEK: 2,
  TND: 3,
  USD: 2,
  VND: 0,
};

/** The exponent of an ISO 4217 code, undefined when unknown. */
export function currencyExponent(code: string): number | undefined {
  return Object.hasOwn(CURRENCY_EXPONENTS, code) ? CURRENCY_EXPONENTS[code] : undefined;
}

/** "10,000.00 EUR", "1,234 JPY", "1.234 KWD": an amount in minor units, as a person reads it. */
export function formatMoney(minor: number, currency: string): string {
  const decimals = currencyExponent(currency) ?? 2;
  if (!Number.isSafeInteger(minor)) return `${minor} minor units of ${currency}`;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const unit = 10 ** decimals;
  const whole = Math.floor(abs / unit).toLocaleString('en-US');
  const fraction = decimals > 0 ? `.${String(abs % unit).padStart(decimals, '0')}` : '';
  return `${sign}${whole}${fraction} ${currency}`;
}
