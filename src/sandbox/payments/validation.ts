import type { FieldError } from '../respond.js';
import { luhnValid } from './cards.js';
import { CURRENCY_DECIMALS, currencyDecimals } from './currencies.js';
import { MAX_AMOUNT_MAJOR, capInMinorUnits } from './limits.js';
import type { Amount } from './store.js';

/** A card as sent by the client; lives only for the request, never stored. */
export interface CardDetails {
  /** Digits only. */
  number: string;
  /** 1-12. */
  expiryMonth: number;
  /** Four digits. */
  expiryYear: number;
  /** 3 or 4 digits. */
  cvc: string;
}

/** A bank account to debit (the sandbox's alternate payment method, with higher caps). */
export interface BankTransferDetails {
  /** IBAN, upper case, without spaces. */
  iban: string;
}

/** The payment method of a request. */
export type MethodDetails = { type: 'card'; card: CardDetails } | { type: 'bank_transfer'; bankTransfer: BankTransferDetails };

/** A valid `POST /v1/payments` body. */
export interface PaymentRequest {
  /** Amount in minor units. */
  amount: Amount;
  /** The card or bank account to charge. */
  method: MethodDetails;
  /** The merchant's reference. */
  reference: string;
}

/** Either the parsed request or every problem found (all at once, not just the first). */
export type ValidationResult = { ok: true; request: PaymentRequest } | { ok: false; errors: FieldError[] };

/** Either an optional amount (capture, refund) or every problem found. */
export type AmountResult = { ok: true; amount?: Amount } | { ok: false; errors: FieldError[] };

const MAX_REFERENCE_LENGTH = 128;
const MAX_EXPIRY_YEARS_AHEAD = 20;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects field errors while reading the body. */
class Checker {
  readonly errors: FieldError[] = [];

  fail(pointer: string, detail: string): undefined {
    this.errors.push({ pointer, detail });
    return undefined;
  }

  object(parent: JsonObject, key: string, pointer: string): JsonObject | undefined {
    const value = parent[key];
    if (isObject(value)) return value;
    return this.fail(pointer, value === undefined ? 'is required (an object)' : 'must be an object');
  }

  string(parent: JsonObject, key: string, pointer: string): string | undefined {
    const value = parent[key];
    if (typeof value === 'string') return value;
    return this.fail(pointer, value === undefined ? 'is required (a string)' : 'must be a string');
  }

  integer(parent: JsonObject, key: string, pointer: string): number | undefined {
    const value = parent[key];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    return this.fail(pointer, value === undefined ? 'is required (an integer)' : 'must be an integer');
  }
}

function checkAmount(check: Checker, body: JsonObject): Amount | undefined {
  const amount = check.object(body, 'amount', '/amount');
  if (!amount) return undefined;
  let value = check.integer(amount, 'value', '/amount/value');
  if (value !== undefined && value <= 0) {
    value = check.fail('/amount/value', 'must be a positive integer number of minor units (e.g. 1050 for 10.50 EUR)');
  }
  let currency = check.string(amount, 'currency', '/amount/currency');
  if (currency !== undefined && currencyDecimals(currency) === undefined) {
    const supported = Object.keys(CURRENCY_DECIMALS).join(', ');
    currency = check.fail('/amount/currency', `must be an upper-case ISO 4217 code the sandbox supports: ${supported}`);
  }
  if (value !== undefined && currency !== undefined && value > capInMinorUnits(MAX_AMOUNT_MAJOR, currency)) {
    value = check.fail('/amount/value', `must be at most ${capInMinorUnits(MAX_AMOUNT_MAJOR, currency)} minor units of ${currency}`);
  }
  return value !== undefined && currency !== undefined ? { value, currency } : undefined;
}

function checkExpiry(check: Checker, method: JsonObject, now: Date): { month: number; year: number } | undefined {
  let month = check.integer(method, 'expiryMonth', '/paymentMethod/expiryMonth');
  if (month !== undefined && (month < 1 || month > 12)) month = check.fail('/paymentMethod/expiryMonth', 'must be 1 to 12');
  let year = check.integer(method, 'expiryYear', '/paymentMethod/expiryYear');
  const thisYear = now.getUTCFullYear();
  if (year !== undefined && (year < 1000 || year > 9999)) {
    year = check.fail('/paymentMethod/expiryYear', 'must be a four-digit year, e.g. 2030');
  } else if (year !== undefined && year > thisYear + MAX_EXPIRY_YEARS_AHEAD) {
    year = check.fail('/paymentMethod/expiryYear', `must be at most ${MAX_EXPIRY_YEARS_AHEAD} years ahead`);
  }
  if (month === undefined || year === undefined) return undefined;
  // A card is valid through the last day of its expiry month.
  if (year < thisYear || (year === thisYear && month < now.getUTCMonth() + 1)) {
    return check.fail('/paymentMethod/expiryYear', 'the expiry date is in the past; ask the shopper for a card that has not expired');
  }
  return { month, year };
}

/** ISO 13616 check: country code, check digits, then mod 97 of the rearranged number is 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function checkBankTransfer(check: Checker, method: JsonObject): BankTransferDetails | undefined {
  // Like card numbers, an IBAN is never quoted back in an error.
  const iban = check.string(method, 'iban', '/paymentMethod/iban');
  if (iban === undefined) return undefined;
  if (!ibanValid(iban)) return check.fail('/paymentMethod/iban', 'is not a valid IBAN (upper case, no spaces, ISO 13616 check digits)');
  return { iban };
}

function checkMethod(check: Checker, body: JsonObject, now: Date): MethodDetails | undefined {
  const method = check.object(body, 'paymentMethod', '/paymentMethod');
  if (!method) return undefined;
  if (method['type'] === 'bank_transfer') {
    const bankTransfer = checkBankTransfer(check, method);
    return bankTransfer ? { type: 'bank_transfer', bankTransfer } : undefined;
  }
  const card = checkCard(check, method, now);
  return card ? { type: 'card', card } : undefined;
}

function checkCard(check: Checker, method: JsonObject, now: Date): CardDetails | undefined {
  const type = check.string(method, 'type', '/paymentMethod/type');
  if (type !== undefined && type !== 'card') check.fail('/paymentMethod/type', 'must be "card" or "bank_transfer"');
  // Details never quote the number: it must not be echoed anywhere, not even in an error.
  let number = check.string(method, 'number', '/paymentMethod/number');
  if (number !== undefined && !/^\d{12,19}$/.test(number)) {
    number = check.fail('/paymentMethod/number', 'must be 12 to 19 digits, without spaces or dashes');
  } else if (number !== undefined && !luhnValid(number)) {
    number = check.fail('/paymentMethod/number', 'is not a valid card number (Luhn check failed)');
  }
  const expiry = checkExpiry(check, method, now);
  let cvc = check.string(method, 'cvc', '/paymentMethod/cvc');
  if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) cvc = check.fail('/paymentMethod/cvc', 'must be a string of 3 or 4 digits');
  if (number === undefined || expiry === undefined || cvc === undefined || type !== 'card') return undefined;
  return { number, expiryMonth: expiry.month, expiryYear: expiry.year, cvc };
}

function checkReference(check: Checker, body: JsonObject): string | undefined {
  const reference = check.string(body, 'reference', '/reference');
  if (reference === undefined) return undefined;
  if (reference.trim() === '' || reference.length > MAX_REFERENCE_LENGTH) {
    return check.fail('/reference', `must be 1 to ${MAX_REFERENCE_LENGTH} characters`);
  }
  return reference;
}

/** Validates a `POST /v1/payments` body; unknown members are ignored. */
export function validatePaymentRequest(body: unknown, now = new Date()): ValidationResult {
  const check = new Checker();
  if (!isObject(body)) return { ok: false, errors: [{ pointer: '', detail: 'the body must be a JSON object' }] };
  const amount = checkAmount(check, body);
  const method = checkMethod(check, body, now);
  const reference = checkReference(check, body);
  if (check.errors.length > 0 || !amount || !method || reference === undefined) return { ok: false, errors: check.errors };
  return { ok: true, request: { amount, method, reference } };
}

/** Validates the optional `{ amount }` body of a capture or refund; an empty body means "all of it". */
export function validateAmountRequest(body: unknown): AmountResult {
  if (body === undefined) return { ok: true };
  if (!isObject(body)) return { ok: false, errors: [{ pointer: '', detail: 'the body must be a JSON object' }] };
  if (body['amount'] === undefined) return { ok: true };
  const check = new Checker();
  const amount = checkAmount(check, body);
  return check.errors.length > 0 || !amount ? { ok: false, errors: check.errors } : { ok: true, amount };
}
