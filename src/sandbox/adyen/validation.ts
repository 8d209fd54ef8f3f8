import { ADYEN_ERRORS, AdyenError } from './errors.js';
import { TEST_ENCRYPTION_PREFIX, luhnValid } from './cards.js';
import { currencyExponent } from '../../money.js';

/** An amount in minor units. */
export interface AdyenAmount {
  /** Minor units (100 = 1.00 EUR). */
  value: number;
  /** ISO 4217 code, upper case. */
  currency: string;
}

/** The card of a `scheme` payment, decrypted when it came as `test_` values. */
export interface SchemeCard {
  /** The PAN. */
  number: string;
  /** 1-12. */
  expiryMonth: number;
  /** Four digits. */
  expiryYear: number;
  /** Security code, when sent. */
  cvc?: string;
  /** Card holder name (Adyen's test platform reads outcomes from it). */
  holderName?: string;
}

/** A /payments request this dialect can process. */
export interface AdyenPaymentRequest {
  amount: AdyenAmount;
  reference: string;
  card: SchemeCard;
  /** `captureDelayHours: 0` captures at once; otherwise the payment waits for /captures (manual capture). */
  captureDelayHours?: number;
  shopperReference?: string;
}

type JsonObject = Record<string, unknown>;

/** Largest amount Adyen's `Amount.value` (int64) can hold that JSON numbers keep exact. */
const MAX_VALUE = Number.MAX_SAFE_INTEGER;
/** "Maximum length: 80 characters" (PaymentRequest.reference in the OpenAPI document). */
const MAX_REFERENCE_LENGTH = 80;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(error: keyof typeof ADYEN_ERRORS): never {
  throw new AdyenError(ADYEN_ERRORS[error]);
}

/** The body as an object, or Adyen's "Unable to parse message". */
export function requireObject(body: unknown): JsonObject {
  if (!isObject(body)) fail('unparsable');
  return body;
}

/**
 * `amount` as Adyen checks it: missing -> 100; a value that is not a positive whole number of
 * minor units, or too large -> 137; a currency that is not a known ISO 4217 code -> 138.
 */
export function checkAmount(body: JsonObject): AdyenAmount {
  const amount = body['amount'];
  if (amount === undefined) fail('amountMissing');
  if (!isObject(amount)) fail('invalidAmount');
  const { value, currency } = amount;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_VALUE) fail('invalidAmount');
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency) || currencyExponent(currency) === undefined) fail('unsupportedCurrency');
  return { value, currency };
}

/** `merchantAccount`: must be the sandbox's one (403 901 otherwise, missing included). */
export function checkMerchantAccount(body: JsonObject, merchantAccount: string): void {
  if (body['merchantAccount'] !== merchantAccount) fail('invalidMerchantAccount');
}

function decrypted(method: JsonObject, plain: string, encrypted: string): string | undefined {
  const clear = method[plain];
  if (typeof clear === 'string' || typeof clear === 'number') return String(clear);
  const sealed = method[encrypted];
  if (typeof sealed !== 'string') return undefined;
  // Only the documented test_ values can be read: real client-side encryption needs Adyen's key.
  return sealed.startsWith(TEST_ENCRYPTION_PREFIX) ? sealed.slice(TEST_ENCRYPTION_PREFIX.length) : '';
}

function checkCard(body: JsonObject): SchemeCard {
  const method = body['paymentMethod'];
  if (!isObject(method)) fail('unsupportedMethod');
  if (method['type'] !== 'scheme') fail('unsupportedMethod');
  const number = decrypted(method, 'number', 'encryptedCardNumber');
  if (number === undefined || !/^\d{12,19}$/.test(number) || !luhnValid(number)) fail('invalidCardNumber');
  const month = decrypted(method, 'expiryMonth', 'encryptedExpiryMonth');
  const year = decrypted(method, 'expiryYear', 'encryptedExpiryYear');
  if (month === undefined || year === undefined || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year) || Number(month) < 1 || Number(month) > 12) fail('expiryInvalid');
  const cvc = decrypted(method, 'cvc', 'encryptedSecurityCode');
  if (cvc !== undefined && !/^\d{3,4}$/.test(cvc)) fail('cvcLength');
  const holderName = method['holderName'];
  return {
    number,
    expiryMonth: Number(month),
    expiryYear: Number(year),
    ...(cvc !== undefined ? { cvc } : {}),
    ...(typeof holderName === 'string' ? { holderName } : {}),
  };
}

/**
 * Validates a /payments body in the order Adyen reports: the merchant account (a security error)
 * first, then amount, reference and card. Throws the first `AdyenError`: Adyen answers one
 * errorCode per request. `returnUrl`, required by the OpenAPI document, is not enforced: card
 * payments without 3-D Secure never use it.
 */
export function validatePayment(body: unknown, merchantAccount: string): AdyenPaymentRequest {
  const object = requireObject(body);
  checkMerchantAccount(object, merchantAccount);
  const amount = checkAmount(object);
  const reference = object['reference'];
  if (typeof reference !== 'string' || reference.trim() === '' || reference.length > MAX_REFERENCE_LENGTH) fail('referenceMissing');
  const card = checkCard(object);
  const delay = object['captureDelayHours'];
  const shopper = object['shopperReference'];
  return {
    amount,
    reference,
    card,
    ...(typeof delay === 'number' && Number.isInteger(delay) && delay >= 0 ? { captureDelayHours: delay } : {}),
    ...(typeof shopper === 'string' ? { shopperReference: shopper } : {}),
  };
}

/** A modification body: merchant account, and `amount` when `needsAmount` (captures, refunds). */
export function validateModification(body: unknown, merchantAccount: string, needsAmount: boolean): { amount?: AdyenAmount; reference?: string } {
  const object = requireObject(body);
  checkMerchantAccount(object, merchantAccount);
  const reference = typeof object['reference'] === 'string' ? object['reference'] : undefined;
  const amount = needsAmount ? checkAmount(object) : undefined;
  return { ...(amount ? { amount } : {}), ...(reference !== undefined ? { reference } : {}) };
}
