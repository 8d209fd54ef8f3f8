import { currencyDecimals } from './currencies.js';

/**
 * The sandbox's transaction caps, in MAJOR units of the payment's currency (10,000 means
 * 10,000.00 EUR, 10,000 JPY or 10,000.000 KWD). Exported so the docs (docs/sandbox.md), the OpenAPI document
 * and the embedded target fields state the same numbers the handlers enforce.
 */
export interface Caps {
  /** Largest single payment. */
  perTransaction: number;
  /** Largest total of one UTC day's payments (authorised or captured, less refunds and cancellations). */
  daily: number;
}

/** Payment methods the sandbox accepts. */
export type PaymentMethodType = 'card' | 'bank_transfer';

/**
 * Caps per payment method. Bank transfers have higher caps: they are the "alternate route" an
 * integration can fall back to when a card payment is over the card cap.
 */
export const TRANSACTION_CAPS: Readonly<Record<PaymentMethodType, Caps>> = {
  card: { perTransaction: 10_000, daily: 25_000 },
  bank_transfer: { perTransaction: 100_000, daily: 250_000 },
};

/** Largest amount any payment may have, whatever the caps (major units): above it is a validation error. */
export const MAX_AMOUNT_MAJOR = 1_000_000_000;

/** A cap expressed in minor units of `currency` (10,000 EUR -> 1,000,000). */
export function capInMinorUnits(major: number, currency: string): number {
  return major * 10 ** (currencyDecimals(currency) ?? 2);
}
