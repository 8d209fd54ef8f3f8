import type { DeclineCode } from './cards.js';

/** Lifecycle state of a payment; later work adds capture and refund states. */
export type PaymentStatus = 'authorised' | 'declined';

/** An amount in minor units of an ISO 4217 currency. */
export interface Amount {
  /** Integer number of minor units (cents for EUR, yen for JPY, fils for KWD). */
  value: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

/** What may be kept and shown of a card (PCI DSS allows the last four digits). */
export interface MaskedCard {
  /** Last four digits of the number. */
  last4: string;
  /** Card scheme: visa, mastercard, amex, discover or unknown. */
  brand: string;
}

/** A payment as stored and returned; never holds the full card number or the CVC. */
export interface Payment {
  /** `pay_` + random hex. */
  id: string;
  /** Current state. */
  status: PaymentStatus;
  /** Amount requested. */
  amount: Amount;
  /** The merchant's own reference, echoed back. */
  reference: string;
  /** ISO 8601 creation time (UTC). */
  createdAt: string;
  /** The card, masked. */
  card: MaskedCard;
  /** Issuer's reason, only on declined payments. */
  declineCode?: DeclineCode;
}

/**
 * In-memory payments by id. Bounded, so a long load test cannot exhaust memory: once full, the
 * oldest payment is forgotten (Maps iterate in insertion order).
 */
export class PaymentStore {
  private readonly payments = new Map<string, Payment>();

  constructor(private readonly capacity = 100_000) {}

  add(payment: Payment): Payment {
    if (this.payments.size >= this.capacity) {
      const oldest = this.payments.keys().next();
      if (!oldest.done) this.payments.delete(oldest.value);
    }
    this.payments.set(payment.id, structuredClone(payment));
    return structuredClone(payment);
  }

  /** A copy of the payment, so callers cannot change stored state by accident. */
  get(id: string): Payment | undefined {
    const payment = this.payments.get(id);
    return payment ? structuredClone(payment) : undefined;
  }

  get size(): number {
    return this.payments.size;
  }
}
