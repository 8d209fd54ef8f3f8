import { StripeApiError, docUrl, invalidRequest } from './errors.js';

/**
 * Amounts as Stripe takes them (https://docs.stripe.com/currencies):
 *
 * - "All API requests expect amounts to be provided in a currency's smallest unit. For example,
 *   to charge 10 USD, provide an amount value of 1000 (that is, 1000 cents)."
 * - Zero-decimal currencies: "For zero-decimal currencies, still provide amounts as an integer but
 *   without multiplying by 100. For example, to charge ¥500, provide an amount value of 500."
 * - Three-decimal currencies: "The API supports three-decimal currencies for the standard payment
 *   flows, including Payment Intents, Refunds, and Disputes. However, to ensure compatibility with
 *   Stripe's payments partners, these API calls require the least-significant (last) digit to be
 *   0. Your integration must round amounts to the nearest ten. For example, 5.124 KWD must be
 *   rounded to 5120 or 5130."
 * - Maximum: "The amount value supports up to eight digits (e.g., a value of 99999999 for a USD
 *   charge of $999,999.99)." Above it the API answers `amount_too_large`.
 * - Minimum: the "Minimum and maximum charge amounts" table (USD $0.50, EUR €0.50, GBP £0.30,
 *   JPY ¥50, ...); below it the API answers `amount_too_small`.
 * - "You must use all lowercase letters when passing the three-letter ISO code": responses carry
 *   lowercase codes; the emulator also takes upper case and answers lowercase, as the API does.
 */

/** Largest amount of one charge, in minor units of any currency: the dialect's per-transaction cap. */
export const STRIPE_MAX_AMOUNT = 99_999_999;

interface CurrencyRule {
  /** Digits after the decimal point. */
  decimals: 0 | 2 | 3;
  /** Smallest charge, in minor units. */
  minimum: number;
}

/**
 * The currencies the emulator accepts: the minimums of Stripe's table where it has a row; for the
 * three-decimal currencies and KRW, which it has not, the minimum is roughly USD 0.50 (written so).
 */
const CURRENCIES: Readonly<Record<string, CurrencyRule>> = {
  usd: { decimals: 2, minimum: 50 },
  eur: { decimals: 2, minimum: 50 },
  gbp: { decimals: 2, minimum: 30 },
  chf: { decimals: 2, minimum: 50 },
  cad: { decimals: 2, minimum: 50 },
  aud: { decimals: 2, minimum: 50 },
  sek: { decimals: 2, minimum: 300 },
  nok: { decimals: 2, minimum: 300 },
  dkk: { decimals: 2, minimum: 250 },
  pln: { decimals: 2, minimum: 200 },
  jpy: { decimals: 0, minimum: 50 },
  krw: { decimals: 0, minimum: 700 },
  bhd: { decimals: 3, minimum: 200 },
  jod: { decimals: 3, minimum: 400 },
  kwd: { decimals: 3, minimum: 200 },
  omr: { decimals: 3, minimum: 200 },
  tnd: { decimals: 3, minimum: 1500 },
};

/** Every currency the emulator accepts (lowercase). */
export const STRIPE_CURRENCIES: readonly string[] = Object.keys(CURRENCIES);

/** Digits after the decimal point of an accepted currency (lowercase code). */
export function decimalsOf(currency: string): number {
  return CURRENCIES[currency]?.decimals ?? 2;
}

/** "$999,999.99", "¥50", "KWD 0.200": how Stripe's messages show an amount. */
export function formatAmount(minor: number, currency: string): string {
  const decimals = decimalsOf(currency);
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: currency.toUpperCase(), minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(minor / 10 ** decimals);
}

/** The `currency` parameter, lowercase; a 400 when missing or not accepted. */
export function parseCurrency(raw: unknown): string {
  if (raw === undefined || raw === '') throw invalidRequest('Missing required param: currency.', { code: 'parameter_missing', param: 'currency' });
  const currency = typeof raw === 'string' ? raw.toLowerCase() : '';
  if (!Object.hasOwn(CURRENCIES, currency)) {
    throw invalidRequest(`Invalid currency: ${typeof raw === 'string' ? raw : ''}. Stripe currently supports these currencies: ${STRIPE_CURRENCIES.join(', ')}`, { param: 'currency' });
  }
  return currency;
}

/** An integer parameter written as decimal digits; 400 `parameter_invalid_integer` otherwise. */
export function parseInteger(raw: unknown, param: string): number {
  const text = typeof raw === 'string' ? raw : '';
  if (!/^-?\d{1,15}$/.test(text)) throw invalidRequest(`Invalid integer: ${text.slice(0, 40)}`, { code: 'parameter_invalid_integer', param });
  return Number(text);
}

/**
 * An amount to charge (`amount` of a PaymentIntent): an integer of at least 1, at least the
 * currency's minimum, a multiple of 10 in a three-decimal currency, and at most 99999999 unless
 * `capOff`. The over-cap refusal is returned through `overCap` so a fault can change it.
 */
export function parseChargeAmount(raw: unknown, currency: string, param: string, overCap: (error: StripeApiError) => void): number {
  if (raw === undefined || raw === '') throw invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
  const amount = parseInteger(raw, param);
  if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', { code: 'parameter_invalid_integer', param });
  const rule = CURRENCIES[currency];
  if (rule && amount < rule.minimum) {
    throw invalidRequest(`Amount must be at least ${formatAmount(rule.minimum, currency)} ${currency}`, { code: 'amount_too_small', param });
  }
  if (rule?.decimals === 3 && amount % 10 !== 0) {
    // The docs state the rule, not the API's words for breaking it: this message is the emulator's.
    throw invalidRequest(`Amounts in ${currency} must end in 0: round to the nearest ten (e.g. 5120 or 5130 for 5.124 ${currency.toUpperCase()}).`, { code: 'invalid_charge_amount', param });
  }
  if (amount > STRIPE_MAX_AMOUNT) overCap(amountTooLarge(STRIPE_MAX_AMOUNT, currency, param));
  return amount;
}

/** Stripe's refusal of an amount above `max`: 400 invalid_request_error `amount_too_large`. */
export function amountTooLarge(max: number, currency: string, param: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code: 'amount_too_large', doc_url: docUrl('amount_too_large'), param, message: `Amount must be no more than ${formatAmount(max, currency)}` });
}

/** A partial amount (capture, refund): an integer of at least 1; the caller compares it with what is left. */
export function parsePartialAmount(raw: unknown, param: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const amount = parseInteger(raw, param);
  if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', { code: 'parameter_invalid_integer', param });
  return amount;
}
