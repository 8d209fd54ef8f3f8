import { randomInt } from 'node:crypto';
import type { AdyenAmount } from './validation.js';

/** Where a payment stands after the modifications processed so far. */
export type AdyenPaymentState = 'authorised' | 'refused' | 'received' | 'error' | 'cancelled' | 'captured';

/** One payment of the emulated merchant account. */
export interface AdyenPayment {
  /** Adyen's 16-character reference. */
  pspReference: string;
  /** The merchant's `reference`. */
  merchantReference: string;
  amount: AdyenAmount;
  state: AdyenPaymentState;
  /** Captured so far (minor units). */
  captured: number;
  /** Refunded so far (minor units). */
  refunded: number;
  /** Adyen variant ('visa', 'mc', ...). */
  brand: string;
  /** Last four digits of the card. */
  last4: string;
  /** "MM/YYYY". */
  expiry: string;
  /** A modification that fails on the test platform (holder name 'capture failed' / 'refund failed'). */
  failing?: 'capture' | 'refund';
  /** When it was authorised (daily cap). */
  createdAt: Date;
}

// Adyen's pspReferences are 16 characters of upper-case letters and digits.
const PSP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A new 16-character pspReference. */
export function newPspReference(): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += PSP_ALPHABET[randomInt(PSP_ALPHABET.length)];
  return out;
}

/** Payments by pspReference, bounded (oldest dropped first). */
export class AdyenPaymentStore {
  private readonly payments = new Map<string, AdyenPayment>();

  constructor(private readonly capacity = 100_000) {}

  add(payment: AdyenPayment): AdyenPayment {
    if (this.payments.size >= this.capacity) {
      const oldest = this.payments.keys().next();
      if (!oldest.done) this.payments.delete(oldest.value);
    }
    this.payments.set(payment.pspReference, payment);
    return payment;
  }

  get(pspReference: string): AdyenPayment | undefined {
    return this.payments.get(pspReference);
  }

  /** The latest payment with this merchant reference (`POST /cancels`). */
  byReference(reference: string): AdyenPayment | undefined {
    let found: AdyenPayment | undefined;
    for (const payment of this.payments.values()) if (payment.merchantReference === reference) found = payment;
    return found;
  }

  /**
   * Today's (UTC) volume in `currency`: what authorised payments still hold (the amount, or what
   * was captured, less refunds); refused and cancelled payments hold nothing.
   */
  usedToday(currency: string, now = new Date()): number {
    const day = now.toISOString().slice(0, 10);
    let total = 0;
    for (const p of this.payments.values()) {
      if (p.amount.currency !== currency || p.createdAt.toISOString().slice(0, 10) !== day) continue;
      if (p.state === 'authorised') total += p.amount.value;
      else if (p.state === 'captured') total += p.captured - p.refunded;
    }
    return total;
  }
}
