import type { DeclineCode } from './cards.js';
import type { PaymentMethodType } from './limits.js';

/**
 * Lifecycle of a payment: `authorised` -> `captured` -> `partially_refunded` -> `refunded`;
 * an authorisation may instead be `cancelled`; a `declined` payment goes nowhere.
 */
export type PaymentStatus = 'authorised' | 'declined' | 'captured' | 'partially_refunded' | 'refunded' | 'cancelled';

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

/** What is kept of a bank account: its country and the last four characters of the IBAN. */
export interface MaskedBankAccount {
  /** Last four characters of the IBAN. */
  last4: string;
  /** ISO 3166 country code from the IBAN. */
  country: string;
}

/** A refund of (part of) a captured payment. */
export interface Refund {
  /** `re_` + random hex. */
  id: string;
  /** Payment refunded. */
  paymentId: string;
  /** Amount refunded. */
  amount: Amount;
  /** Always `succeeded` in the sandbox. */
  status: 'succeeded';
  /** ISO 8601 time (UTC). */
  createdAt: string;
}

/** A payment as stored and returned; never holds the full card number, the CVC or the full IBAN. */
export interface Payment {
  /** `pay_` + random hex. */
  id: string;
  /** Current state. */
  status: PaymentStatus;
  /** Payment method used. */
  method: PaymentMethodType;
  /** Amount requested (and authorised unless declined). */
  amount: Amount;
  /** Amount captured so far (0 until captured). */
  capturedAmount: Amount;
  /** Amount refunded so far. */
  refundedAmount: Amount;
  /** The merchant's own reference, echoed back. */
  reference: string;
  /** ISO 8601 creation time (UTC). */
  createdAt: string;
  /** The card, masked (card payments). */
  card?: MaskedCard;
  /** The bank account, masked (bank transfers). */
  bankAccount?: MaskedBankAccount;
  /** Issuer's reason, only on declined payments. */
  declineCode?: DeclineCode;
  /** Refunds, oldest first. */
  refunds: Refund[];
}

/**
 * A payment as the API shows it. The same as `Payment` unless a fault changes its shape: the
 * amount may then be a string and `createdAt` missing (`schema-drift`).
 */
export type PaymentView = Omit<Payment, 'amount' | 'createdAt'> & { amount: { value: number | string; currency: string }; createdAt?: string };

/** Minor units a payment holds against its day's cap: authorised, or captured less refunded. */
function capUse(payment: Payment): number {
  if (payment.status === 'authorised') return payment.amount.value;
  if (payment.status === 'captured' || payment.status === 'partially_refunded') return payment.capturedAmount.value - payment.refundedAmount.value;
  return 0;
}

function dayKey(payment: Pick<Payment, 'createdAt' | 'method' | 'amount'>): string {
  return `${payment.createdAt.slice(0, 10)}|${payment.method}|${payment.amount.currency}`;
}

/**
 * In-memory payments by id. Bounded, so a long load test cannot exhaust memory: once full, the
 * oldest payment is forgotten (Maps iterate in insertion order). The daily volume per method and
 * currency is kept as a running total, so the daily cap costs nothing per request.
 */
export class PaymentStore {
  private readonly payments = new Map<string, Payment>();
  private readonly volume = new Map<string, number>();

  constructor(private readonly capacity = 100_000) {}

  add(payment: Payment): Payment {
    if (this.payments.size >= this.capacity) {
      const oldest = this.payments.keys().next();
      if (!oldest.done) this.payments.delete(oldest.value);
    }
    this.payments.set(payment.id, structuredClone(payment));
    this.adjustVolume(payment, capUse(payment));
    return structuredClone(payment);
  }

  /** A copy of the payment, so callers cannot change stored state by accident. */
  get(id: string): Payment | undefined {
    const payment = this.payments.get(id);
    return payment ? structuredClone(payment) : undefined;
  }

  /** Applies `change` to a copy and stores it; keeps the daily volume in step. */
  update(id: string, change: (payment: Payment) => void): Payment | undefined {
    const stored = this.payments.get(id);
    if (!stored) return undefined;
    const next = structuredClone(stored);
    change(next);
    this.adjustVolume(stored, capUse(next) - capUse(stored));
    this.payments.set(id, next);
    return structuredClone(next);
  }

  /** Payments with this merchant reference, newest first (at most `limit`). */
  findByReference(reference: string, limit = 100): Payment[] {
    const found: Payment[] = [];
    for (const payment of this.payments.values()) if (payment.reference === reference) found.push(payment);
    return found.reverse().slice(0, limit).map((payment) => structuredClone(payment));
  }

  /** Minor units used today (UTC) against the daily cap of this method and currency. */
  usedToday(method: Payment['method'], currency: string, now = new Date()): number {
    return this.volume.get(dayKey({ createdAt: now.toISOString(), method, amount: { value: 0, currency } })) ?? 0;
  }

  get size(): number {
    return this.payments.size;
  }

  private adjustVolume(payment: Payment, delta: number): void {
    if (delta === 0) return;
    const key = dayKey(payment);
    this.volume.set(key, (this.volume.get(key) ?? 0) + delta);
  }
}
